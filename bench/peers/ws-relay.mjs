// A Node `ws` relay with the frame shape of dev.sodam.bench.ReferenceRelay (issue 8's peer, bench/run.sh):
// hello {role, chat | chats} → welcome; send → ack to the sender, and the message to the sender and to
// the other side of the chat, with a per-chat seq. No storage, no auth. Usage: node ws-relay.mjs <port>
import { WebSocketServer } from 'ws';

const port = Number(process.argv[2] ?? 9090);
const chats = new Map(); // chat id → { visitor, agent, seq }
const chatOf = (id) => {
  let chat = chats.get(id);
  if (!chat) chats.set(id, (chat = { visitor: null, agent: null, seq: 0 }));
  return chat;
};

const server = new WebSocketServer({ host: '127.0.0.1', port, path: '/ws', backlog: 8192, perMessageDeflate: false,
  maxPayload: 1 << 20 });
server.on('connection', (socket) => {
  let role = null;
  socket.on('message', (data) => {
    let frame;
    try { frame = JSON.parse(data); } catch { socket.send('{"type":"error","code":"bad_request"}'); return; }
    if (frame.type === 'hello' && role === null) {
      role = frame.role === 'agent' ? 'agent' : 'visitor';
      for (const id of role === 'agent' ? (frame.chats ?? []) : [frame.chat]) chatOf(String(id))[role] = socket;
      socket.send('{"type":"welcome","protocol":1}');
    } else if (frame.type === 'send' && role !== null) {
      const id = String(frame.conversationId);
      const chat = chats.get(id);
      if (!chat) { socket.send('{"type":"error","code":"not_found"}'); return; }
      const seq = ++chat.seq;
      const messageId = `m_${id}_${seq}`;
      socket.send(JSON.stringify({ type: 'ack', clientMsgId: frame.clientMsgId, conversationId: id, seq, messageId }));
      const json = JSON.stringify({ type: 'message', conversationId: id, seq, messageId, clientMsgId: frame.clientMsgId,
        from: { kind: role, id: `${role}_${id}`, name: role }, text: frame.text, ts: new Date().toISOString() });
      socket.send(json);
      const peer = role === 'agent' ? chat.visitor : chat.agent;
      if (peer && peer.readyState === 1) peer.send(json);
    } else {
      socket.send('{"type":"error","code":"bad_request"}');
    }
  });
  socket.on('error', () => {});
});
server.on('listening', () => console.log(`ws relay listening on 127.0.0.1:${port}`));
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
