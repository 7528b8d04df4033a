// A uWebSockets.js relay (the npm republish @trufflesuite/uws-js-unofficial, see package.json) with the frame
// shape of dev.sodam.bench.ReferenceRelay (issue 8's peer, bench/run.sh); the relay logic is relay.mjs.
// Usage: node uws-relay.mjs <port>
import uWS from 'uWebSockets.js';
import { createRelay } from './relay.mjs';

const port = Number(process.argv[2] ?? 9090);
const decoder = new TextDecoder();
const relay = createRelay({ send: (ws, text) => ws.send(text), isOpen: (ws) => !ws.getUserData().closed });

uWS.App().ws('/ws', {
  compression: uWS.DISABLED,
  maxPayloadLength: 1 << 20,
  idleTimeout: 0, // idle connections are scenario (a): never closed for silence, as the other servers
  maxBackpressure: 64 << 20, // buffer rather than drop: a dropped frame would count as lost
  close: (ws) => { ws.getUserData().closed = true; },
  message: (ws, data) => relay(ws, ws.getUserData(), decoder.decode(data)),
}).listen('127.0.0.1', port, (token) => {
  if (!token) { console.error(`uws relay: cannot listen on 127.0.0.1:${port}`); process.exit(1); }
  console.log(`uws relay listening on 127.0.0.1:${port}`);
});
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
