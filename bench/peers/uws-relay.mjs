// A uWebSockets.js relay (the npm republish @trufflesuite/uws-js-unofficial, see package.json) with the frame
// shape of dev.sodam.bench.ReferenceRelay (issue 8's peer, bench/run.sh): hello {role, chat | chats} →
// welcome; send → ack to the sender, and the message to the sender and to the other side of the chat,
// with a per-chat seq. No storage, no auth. Usage: node uws-relay.mjs <port>
import uWS from 'uWebSockets.js';

const port = Number(process.argv[2] ?? 9090);
const chats = new Map(); // chat id → { visitor, agent, seq }
const chatOf = (id) => {
  let chat = chats.get(id);
  if (!chat) chats.set(id, (chat = { visitor: null, agent: null, seq: 0 }));
  return chat;
};
const decoder = new TextDecoder();

uWS.App().ws('/ws', {
  compression: uWS.DISABLED,
  maxPayloadLength: 1 << 20,
  idleTimeout: 0, // idle connections are scenario (a): never closed for silence, as the other servers
  maxBackpressure: 64 << 20, // buffer rather than drop: a dropped frame would count as lost
  open: (ws) => { ws.getUserData().role = null; },
  close: (ws) => { ws.getUserData().closed = true; },
  message: (ws, data) => {
    const user = ws.getUserData();
    let frame;
    try { frame = JSON.parse(decoder.decode(data)); } catch { ws.send('{"type":"error","code":"bad_request"}'); return; }
    if (frame.type === 'hello' && user.role === null) {
      user.role = frame.role === 'agent' ? 'agent' : 'visitor';
      for (const id of user.role === 'agent' ? (frame.chats ?? []) : [frame.chat]) chatOf(String(id))[user.role] = ws;
      ws.send('{"type":"welcome","protocol":1}');
    } else if (frame.type === 'send' && user.role !== null) {
      const id = String(frame.conversationId);
      const chat = chats.get(id);
      if (!chat) { ws.send('{"type":"error","code":"not_found"}'); return; }
      const seq = ++chat.seq;
      const messageId = `m_${id}_${seq}`;
      ws.send(JSON.stringify({ type: 'ack', clientMsgId: frame.clientMsgId, conversationId: id, seq, messageId }));
      const json = JSON.stringify({ type: 'message', conversationId: id, seq, messageId, clientMsgId: frame.clientMsgId,
        from: { kind: user.role, id: `${user.role}_${id}`, name: user.role }, text: frame.text, ts: new Date().toISOString() });
      ws.send(json);
      const peer = user.role === 'agent' ? chat.visitor : chat.agent;
      if (peer && !peer.getUserData().closed) peer.send(json);
    } else {
      ws.send('{"type":"error","code":"bad_request"}');
    }
  },
}).listen('127.0.0.1', port, (token) => {
  if (!token) { console.error(`uws relay: cannot listen on 127.0.0.1:${port}`); process.exit(1); }
  console.log(`uws relay listening on 127.0.0.1:${port}`);
});
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
