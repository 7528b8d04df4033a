// The relay logic both Node peers share (ws-relay.mjs, uws-relay.mjs): the frame shape of
// dev.sodam.bench.ReferenceRelay. hello {role, chat | chats} → welcome; send → ack to the sender, and the
// message to the sender and to the other side of the chat, with a per-chat seq. No storage, no auth.
// `send(socket, text)` and `isOpen(socket)` adapt it to a WebSocket library.
export function createRelay({ send, isOpen }) {
  const chats = new Map(); // chat id → { visitor, agent, seq }
  return (socket, session, text) => { // session: a per-connection object the relay keeps its role in
    let frame;
    try { frame = JSON.parse(text); } catch { send(socket, '{"type":"error","code":"bad_request"}'); return; }
    if (frame.type === 'hello' && !session.role) {
      session.role = frame.role === 'agent' ? 'agent' : 'visitor';
      for (const id of session.role === 'agent' ? (frame.chats ?? []) : [frame.chat]) {
        let chat = chats.get(String(id));
        if (!chat) chats.set(String(id), (chat = { visitor: null, agent: null, seq: 0 }));
        chat[session.role] = socket;
      }
      send(socket, '{"type":"welcome","protocol":1}');
    } else if (frame.type === 'send' && session.role) {
      const id = String(frame.conversationId);
      const chat = chats.get(id);
      if (!chat) { send(socket, '{"type":"error","code":"not_found"}'); return; }
      const seq = ++chat.seq;
      const messageId = `m_${id}_${seq}`;
      const role = session.role;
      send(socket, JSON.stringify({ type: 'ack', clientMsgId: frame.clientMsgId, conversationId: id, seq, messageId }));
      const json = JSON.stringify({ type: 'message', conversationId: id, seq, messageId, clientMsgId: frame.clientMsgId,
        from: { kind: role, id: `${role}_${id}`, name: role }, text: frame.text, ts: new Date().toISOString() });
      send(socket, json);
      const peer = role === 'agent' ? chat.visitor : chat.agent;
      if (peer && isOpen(peer)) send(peer, json);
    } else {
      send(socket, '{"type":"error","code":"bad_request"}');
    }
  };
}
