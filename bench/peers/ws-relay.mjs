// A Node `ws` relay with the frame shape of dev.sodam.bench.ReferenceRelay (issue 8's peer, bench/run.sh);
// the relay logic is relay.mjs. Usage: node ws-relay.mjs <port>
import { WebSocketServer } from 'ws';
import { createRelay } from './relay.mjs';

const port = Number(process.argv[2] ?? 9090);
const relay = createRelay({ send: (socket, text) => socket.send(text), isOpen: (socket) => socket.readyState === 1 });
const server = new WebSocketServer({ host: '127.0.0.1', port, path: '/ws', backlog: 8192, perMessageDeflate: false,
  maxPayload: 1 << 20 });
server.on('connection', (socket) => {
  const session = {};
  socket.on('message', (data) => relay(socket, session, data.toString()));
  socket.on('error', () => {});
});
server.on('listening', () => console.log(`ws relay listening on 127.0.0.1:${port}`));
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
