// Behaviour of the protocol client against an in-memory WebSocket and a manual clock.
import test from 'node:test';
import assert from 'node:assert/strict';
import { SodamClient, SodamError, backoffDelay, visitorHello, agentHello } from '../src/js/protocol/client.js';
import { fakeWebSocketClass, FakeClock, golden, memoryStorage } from './fake-socket.js';

const CONV = 'cv_01jd7k3m9p';
const TOKEN = 'vt_4f1c2a9b8e7d6c5b4a39281706f5e4d3';

function msg(seq, extra = {}) {
  return { ...golden('s2c-message-bot'), seq, messageId: `m_${seq}`, text: `message ${seq}`, ...extra };
}

/** A visitor client whose hello resumes CONV from the client's own lastSeq, like the widget. */
function visitor({ storage, random = () => 0, backoff } = {}) {
  const WS = fakeWebSocketClass();
  const clock = new FakeClock();
  let n = 0;
  const holder = {};
  const client = new SodamClient({
    url: 'ws://test/ws?site=demo',
    hello: () => visitorHello({ site: 'demo', visitorToken: TOKEN, locale: 'ko', resume: { conversationId: CONV, lastSeq: holder.client.lastSeq(CONV) } }),
    WebSocketImpl: WS, storage, random, backoff,
    randomId: () => String(++n), setTimeout: clock.setTimeout, clearTimeout: clock.clearTimeout,
  });
  holder.client = client;
  const events = [];
  for (const type of ['welcome', 'message', 'ack', 'error', 'state', 'status']) client.on(type, (f) => events.push([type, f]));
  const messages = () => events.filter(([t]) => t === 'message').map(([, f]) => f.seq);
  return { client, WS, clock, events, messages };
}

/** Open the latest socket and welcome it. */
function welcome(WS, frame = golden('s2c-welcome-visitor')) {
  const ws = WS.last;
  ws.serverOpen();
  ws.serverSend(frame);
  return ws;
}

test('welcome → ack → messages from the golden files, in order', async () => {
  const { client, WS, events, messages } = visitor();
  client.connect();
  assert.equal(client.state, 'connecting');
  const p = client.send({ text: '배송 언제 와요?' });
  const ws = welcome(WS, golden('s2c-welcome-visitor-new'));
  assert.equal(client.state, 'open');
  assert.equal(ws.framesOfType('send').length, 1, 'queued send flushed once after welcome, not before');
  assert.equal(ws.frames[0].type, 'hello');

  ws.serverSend(golden('s2c-ack'));
  const ack = await p;
  assert.equal(ack.seq, 1);
  assert.deepEqual(client.pending(), []);

  ws.serverSend(golden('s2c-message-visitor'));
  ws.serverSend(golden('s2c-message-bot'));
  ws.serverSend(golden('s2c-message-system'));
  ws.serverSend(golden('s2c-message-agent')); // seq 5 after 3: a gap (see the gap test)
  assert.deepEqual(messages(), [1, 2, 3]);
  assert.equal(client.lastSeq(CONV), 3);
  assert.deepEqual(events.filter(([t]) => t === 'state').map(([, s]) => s), ['connecting', 'open']);
});

test('a duplicate message (same seq) is delivered once', () => {
  const { client, WS, messages } = visitor();
  client.connect();
  const ws = welcome(WS);
  ws.serverSend(msg(1));
  ws.serverSend(msg(1));
  ws.serverSend(msg(2));
  ws.serverSend(msg(1));
  ws.serverSend(msg(2));
  assert.deepEqual(messages(), [1, 2]);
});

test('a gap triggers one sync afterSeq=lastSeq; messages then arrive in order, each exactly once', () => {
  const { client, WS, messages } = visitor();
  client.connect();
  const ws = welcome(WS);
  ws.serverSend(msg(1));
  ws.serverSend(msg(4)); // 2 and 3 missing
  assert.deepEqual(messages(), [1]);
  assert.deepEqual(ws.framesOfType('sync'), [{ type: 'sync', conversationId: CONV, afterSeq: 1 }]);
  ws.serverSend(msg(5)); // still waiting: no second sync
  assert.equal(ws.framesOfType('sync').length, 1);
  // The sync answer replays everything after 1, overlapping what is buffered.
  for (const seq of [2, 3, 4, 5]) ws.serverSend(msg(seq));
  ws.serverSend(msg(6));
  assert.deepEqual(messages(), [1, 2, 3, 4, 5, 6]);
  assert.equal(client.lastSeq(CONV), 6);
  // A later gap asks again.
  ws.serverSend(msg(8));
  assert.deepEqual(ws.framesOfType('sync').at(-1), { type: 'sync', conversationId: CONV, afterSeq: 6 });
});

test('gaps are tracked per conversation', () => {
  const { client, WS, messages } = visitor();
  client.connect();
  const ws = welcome(WS);
  ws.serverSend(msg(1));
  ws.serverSend(msg(1, { conversationId: 'cv_other' }));
  ws.serverSend(msg(2, { conversationId: 'cv_other' }));
  assert.deepEqual(messages(), [1, 1, 2]);
  assert.equal(client.lastSeq(CONV), 1);
  assert.equal(client.lastSeq('cv_other'), 2);
  assert.equal(ws.framesOfType('sync').length, 0);
});

test('reconnect after a drop re-sends the unacked send with the same clientMsgId; resume carries lastSeq', async () => {
  const { client, WS, clock, messages } = visitor();
  client.connect();
  const ws1 = welcome(WS);
  assert.deepEqual(ws1.frames[0].resume, { conversationId: CONV, lastSeq: 0 });
  ws1.serverSend(msg(1));
  ws1.serverSend(msg(2));
  const p = client.send({ text: '주문 취소하고 싶어요', conversationId: CONV });
  const sent1 = ws1.framesOfType('send');
  assert.equal(sent1.length, 1);

  ws1.serverDrop();
  assert.equal(client.state, 'closed');
  assert.equal(WS.instances.length, 1, 'no reconnect before the backoff delay');
  clock.advance(500);
  assert.equal(WS.instances.length, 2);

  const ws2 = WS.last;
  ws2.serverOpen();
  const hello = ws2.frames[0];
  assert.deepEqual(hello.resume, { conversationId: CONV, lastSeq: 2 }, 'resume from the last delivered seq');
  assert.equal(ws2.framesOfType('send').length, 0, 'nothing but hello before welcome');
  ws2.serverSend(golden('s2c-welcome-visitor'));
  const sent2 = ws2.framesOfType('send');
  assert.deepEqual(sent2, sent1, 'same frame, same clientMsgId');

  // The server answers the retry with the original ack; the replay after resume is deduped.
  ws2.serverSend({ type: 'ack', clientMsgId: sent1[0].clientMsgId, conversationId: CONV, seq: 3, messageId: 'm_3' });
  assert.equal((await p).seq, 3);
  ws2.serverSend(msg(2));
  ws2.serverSend(msg(3, { from: { kind: 'visitor', id: 'vi_7', name: '방문자 7' }, clientMsgId: sent1[0].clientMsgId }));
  assert.deepEqual(messages(), [1, 2, 3]);
});

test('the outbox is persisted and a new client (page reload) re-sends it after welcome', () => {
  const storage = memoryStorage();
  const a = visitor({ storage });
  a.client.connect();
  welcome(a.WS);
  a.client.send({ text: '안녕하세요', conversationId: CONV }).catch(() => {});
  assert.equal(JSON.parse(storage.get('outbox')).length, 1);
  a.client.close();

  const b = visitor({ storage });
  assert.deepEqual(b.client.pending().map((f) => f.text), ['안녕하세요']);
  b.client.connect();
  const ws = welcome(b.WS);
  const [resent] = ws.framesOfType('send');
  assert.equal(resent.clientMsgId, 'c-1');
  assert.equal(resent.ref, 'c-1');
  ws.serverSend({ type: 'ack', clientMsgId: 'c-1', conversationId: CONV, seq: 1, messageId: 'm_1' });
  assert.equal(storage.get('outbox'), null, 'acked sends leave storage');
  assert.ok(b.events.some(([t, f]) => t === 'ack' && f.clientMsgId === 'c-1'));
});

test('an error with a matching ref rejects that send and drops it from the outbox', async () => {
  const { client, WS } = visitor();
  client.connect();
  const ws = welcome(WS);
  const keep = client.send({ text: 'fine', conversationId: CONV });
  const bad = client.send({ text: 'x'.repeat(4001), conversationId: CONV });
  ws.serverSend({ type: 'error', code: 'too_large', message: 'text over 4000 characters', ref: bad.clientMsgId });
  await assert.rejects(bad, (err) => err instanceof SodamError && err.code === 'too_large' && err.ref === bad.clientMsgId);
  assert.deepEqual(client.pending().map((f) => f.clientMsgId), [keep.clientMsgId]);
  keep.catch(() => {});
});

test('rate_limited and internal keep the send and retry it later with the same clientMsgId', async () => {
  const { client, WS, clock } = visitor();
  client.connect();
  const ws = welcome(WS);
  let settled = false;
  const p = client.send({ text: '빨리요', conversationId: CONV });
  p.then(() => { settled = true; }, () => { settled = true; });
  const id = p.clientMsgId;
  ws.serverSend({ type: 'error', code: 'rate_limited', message: 'slow down', ref: id });
  await Promise.resolve();
  assert.equal(settled, false);
  assert.equal(ws.framesOfType('send').length, 1);
  clock.advance(500);
  assert.equal(ws.framesOfType('send').length, 2);
  ws.serverSend({ type: 'error', code: 'internal', message: 'oops', ref: id });
  clock.advance(999);
  assert.equal(ws.framesOfType('send').length, 2, 'second retry waits longer (1000 ms)');
  clock.advance(1);
  const sends = ws.framesOfType('send');
  assert.equal(sends.length, 3);
  assert.ok(sends.every((f) => f.clientMsgId === id));
  ws.serverSend({ type: 'ack', clientMsgId: id, conversationId: CONV, seq: 1, messageId: 'm_1' });
  assert.equal((await p).seq, 1);
});

test('backoff grows exponentially, is capped at maxMs, applies jitter, and resets after welcome', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 10, 100].map((a) => backoffDelay(a, {}, () => 0)),
    [500, 1000, 2000, 4000, 8000, 15000, 15000, 15000, 15000]);
  assert.equal(backoffDelay(2, { jitter: 0.5 }, () => 1), 1000, 'jitter only shortens');
  assert.equal(backoffDelay(9, { jitter: 0.3 }, () => 0.999) <= 15000, true);

  const { client, WS, clock } = visitor();
  client.connect();
  const delays = [];
  for (let i = 0; i < 7; i++) {
    WS.last.serverDrop(); // fails before open
    delays.push(...clock.pendingDelays());
    clock.advance(clock.pendingDelays()[0]);
  }
  assert.deepEqual(delays, [500, 1000, 2000, 4000, 8000, 15000, 15000]);
  welcome(WS);
  WS.last.serverDrop();
  assert.deepEqual(clock.pendingDelays(), [500], 'a successful welcome resets the backoff');
});

test('close() stops for good: no reconnect, no timers', () => {
  const { client, WS, clock } = visitor();
  client.connect();
  const ws = welcome(WS);
  client.close();
  assert.equal(ws.closedByClient, true);
  assert.equal(client.state, 'closed');
  assert.deepEqual(clock.pendingDelays(), []);
  clock.advance(60000);
  assert.equal(WS.instances.length, 1);
});

test('reconnect() replaces the socket at once (used after forgetting an unknown visitor token)', () => {
  const { client, WS } = visitor();
  client.connect();
  const first = WS.last;
  first.serverOpen();
  first.serverSend({ type: 'error', code: 'unauthorized', message: 'unknown visitor token' });
  assert.equal(client.welcomed, false);
  client.reconnect();
  assert.equal(first.closedByClient, true);
  assert.equal(WS.instances.length, 2);
  welcome(WS);
  assert.equal(client.state, 'open');
});

test('frames other than hello are not written before welcome', () => {
  const { client, WS } = visitor();
  client.connect();
  WS.last.serverOpen();
  assert.equal(client.typing(CONV, true), false);
  assert.equal(client.handoff(CONV), false);
  assert.deepEqual(WS.last.frames.map((f) => f.type), ['hello']);
});

test('agent: watched conversations are re-synced from lastSeq after every reconnect', () => {
  const WS = fakeWebSocketClass();
  const clock = new FakeClock();
  const client = new SodamClient({
    url: 'ws://test/ws', hello: () => agentHello('at_x'), WebSocketImpl: WS, random: () => 0,
    setTimeout: clock.setTimeout, clearTimeout: clock.clearTimeout,
  });
  const seqs = [];
  client.on('message', (m) => seqs.push(`${m.conversationId}:${m.seq}`));
  client.connect();
  const ws1 = welcome(WS, golden('s2c-welcome-agent'));
  client.watch(CONV);
  client.watch(CONV); // idempotent
  assert.deepEqual(ws1.framesOfType('sync'), [golden('c2s-sync')], 'opening a chat fetches its full history');
  for (const seq of [1, 2, 3]) ws1.serverSend(msg(seq));
  ws1.serverSend(msg(1, { conversationId: 'cv_unwatched' }));

  ws1.serverDrop();
  clock.advance(500);
  const ws2 = welcome(WS, golden('s2c-welcome-agent'));
  assert.deepEqual(ws2.framesOfType('sync'), [{ type: 'sync', conversationId: CONV, afterSeq: 3 }],
    'only watched conversations, from where we were');
  ws2.serverSend(msg(3));
  ws2.serverSend(msg(4));
  assert.deepEqual(seqs, [`${CONV}:1`, `${CONV}:2`, `${CONV}:3`, 'cv_unwatched:1', `${CONV}:4`]);

  client.unwatch(CONV);
  ws2.serverDrop();
  clock.advance(500);
  const ws3 = welcome(WS, golden('s2c-welcome-agent'));
  assert.deepEqual(ws3.framesOfType('sync'), []);
});

test('a gap left open by a dropped connection is re-requested after the next welcome', () => {
  const { client, WS, clock, messages } = visitor();
  client.connect();
  const ws1 = welcome(WS);
  ws1.serverSend(msg(1));
  ws1.serverSend(msg(3));
  ws1.serverDrop();
  clock.advance(500);
  const ws2 = welcome(WS);
  assert.deepEqual(ws2.frames[0].resume.lastSeq, 1);
  assert.deepEqual(ws2.framesOfType('sync'), [{ type: 'sync', conversationId: CONV, afterSeq: 1 }]);
  ws2.serverSend(msg(2));
  assert.deepEqual(messages(), [1, 2, 3]);
});

test('setLastSeq restores a position and releases buffered frames beyond it', () => {
  const { client, WS, messages } = visitor();
  client.connect();
  const ws = welcome(WS);
  client.setLastSeq(CONV, 10);
  ws.serverSend(msg(10));
  ws.serverSend(msg(11));
  assert.deepEqual(messages(), [11]);
});

test('malformed and unknown frames are ignored; a throwing listener does not stop others', () => {
  const { client, WS, messages } = visitor();
  client.connect();
  const ws = welcome(WS);
  const original = console.error;
  console.error = () => {};
  try {
    client.on('message', () => { throw new Error('boom'); });
    ws.serverSend('{not json');
    ws.serverSend('[1,2]');
    ws.serverSend({ type: 'future-frame' });
    ws.serverSend({ type: 'message', conversationId: CONV, seq: 'x' });
    ws.serverSend(msg(1));
  } finally {
    console.error = original;
  }
  assert.deepEqual(messages(), [1]);
});

// ---- routing frames (offers, presence, alerts) ------------------------------------------------

/** An agent client, welcomed, recording the routing events. */
function agent() {
  const WS = fakeWebSocketClass();
  const clock = new FakeClock();
  const client = new SodamClient({
    url: 'ws://test/ws', hello: () => agentHello('tok'), WebSocketImpl: WS,
    setTimeout: clock.setTimeout, clearTimeout: clock.clearTimeout,
  });
  const events = [];
  for (const type of ['offer', 'offer_withdrawn', 'presence', 'alert', 'status']) client.on(type, (f) => events.push([type, f]));
  client.connect();
  const ws = welcome(WS, golden('s2c-welcome-agent'));
  return { client, ws, WS, events };
}

test('offer, offer_withdrawn, presence and alert reach their own events, untouched', () => {
  const { ws, events } = agent();
  for (const name of ['s2c-offer', 's2c-offer-withdrawn', 's2c-presence', 's2c-alert']) ws.serverSend(golden(name));
  assert.deepEqual(events.map(([t]) => t), ['offer', 'offer_withdrawn', 'presence', 'alert']);
  assert.deepEqual(events[0][1], golden('s2c-offer'));
  assert.equal(events[0][1].expiresAt, '2026-11-22T10:00:35Z');
  assert.equal(events[1][1].reason, 'timeout');
  assert.deepEqual([events[2][1].load, events[2][1].cap], [2, 3]);
  assert.equal(events[3][1].code, 'unplaced');
});

test('a queued status with etaSeconds reaches the status event with the ETA', () => {
  const { ws, events } = agent();
  ws.serverSend(golden('s2c-status-queued-eta'));
  assert.deepEqual(events, [['status', golden('s2c-status-queued-eta')]]);
});

test('routing frames are not dedup-tracked: the same offer twice is delivered twice (the UI decides)', () => {
  const { ws, events } = agent();
  ws.serverSend(golden('s2c-offer'));
  ws.serverSend(golden('s2c-offer'));
  assert.equal(events.filter(([t]) => t === 'offer').length, 2);
});

test('presence sends only the three statuses; decline and presence are dropped while not welcomed', () => {
  const { client, ws, WS } = agent();
  assert.equal(client.presence('busy'), false);
  assert.equal(client.presence('online'), true);
  assert.deepEqual(ws.frames.slice(1), [{ type: 'presence', status: 'online' }]);
  ws.serverDrop();
  assert.equal(client.presence('away'), false);
  assert.equal(client.decline(CONV), false);
  assert.equal(WS.instances.length, 1, 'nothing was written to a dead socket');
});

test('restartResolved: a send refused because its conversation was resolved meanwhile starts the new one, once, same clientMsgId', async () => {
  const storage = memoryStorage();
  const WS = fakeWebSocketClass();
  const clock = new FakeClock();
  const client = new SodamClient({
    url: 'ws://test/ws?site=demo',
    hello: () => visitorHello({ site: 'demo', visitorToken: TOKEN, locale: 'ko', resume: { conversationId: CONV, lastSeq: 6 } }),
    WebSocketImpl: WS, storage, restartResolved: true, random: () => 0,
    randomId: () => 'x1', setTimeout: clock.setTimeout, clearTimeout: clock.clearTimeout,
  });
  const errors = [];
  client.on('error', (e) => errors.push(e));
  client.connect();
  // Typed while offline, aimed at the conversation the widget still believed open.
  const p = client.send({ text: '고마워요', conversationId: CONV });
  const ws = welcome(WS, golden('s2c-welcome-visitor-new'));
  assert.deepEqual(ws.framesOfType('send').map((f) => f.conversationId), [CONV]);

  ws.serverSend({ type: 'error', code: 'conflict', message: 'conversation is resolved; send without conversationId to start a new one', ref: 'c-x1' });
  const sends = ws.framesOfType('send');
  assert.equal(sends.length, 2, 'sent again at once');
  assert.deepEqual(sends[1], { type: 'send', clientMsgId: 'c-x1', conversationId: null, text: '고마워요', ref: 'c-x1' });
  assert.deepEqual(errors, [], 'nothing failed, so the app hears no error');
  assert.equal(JSON.parse(storage.get('outbox'))[0].conversationId, null, 'a reload now re-sends it to the new conversation too');

  ws.serverSend({ type: 'ack', clientMsgId: 'c-x1', conversationId: 'cv_new', seq: 1, messageId: 'm_1' });
  assert.equal((await p).conversationId, 'cv_new');
  assert.equal(storage.get('outbox'), null);

  // A second conflict for a send that already has no conversationId is a real refusal.
  const q = client.send({ text: '또', conversationId: null });
  ws.serverSend({ type: 'error', code: 'conflict', message: 'no', ref: 'c-x1' });
  await assert.rejects(q, (e) => e instanceof SodamError && e.code === 'conflict');
});

test('without restartResolved (agents) a conflict is a refusal, as before', async () => {
  const { client, WS } = visitor();
  client.connect();
  const p = client.send({ text: 'x', conversationId: CONV });
  const ws = welcome(WS);
  ws.serverSend({ type: 'error', code: 'conflict', message: 'resolved', ref: p.clientMsgId });
  await assert.rejects(p, (e) => e.code === 'conflict');
  assert.equal(ws.framesOfType('send').length, 1);
});

// ---- ordering under the server's rate limit ---------------------------------------------------

/**
 * A fake server on the client's socket: a per-connection token bucket like the server's
 * RateLimitHandler (ratePerSecond refilled continuously up to burst, every frame takes one), a
 * store that gives each new clientMsgId the next seq and answers a repeat with the original ack.
 * serve() answers every frame written since the last call (and what the client writes meanwhile).
 */
function fakeServer(clock, { ratePerSecond = 20, burst = 40, store = { seqs: new Map(), order: [] } } = {}) {
  let tokens = burst;
  let last = clock.now;
  let read = 0;
  const refused = [];
  const sendTimes = [];
  const take = () => {
    tokens = Math.min(burst, tokens + (clock.now - last) * ratePerSecond / 1000);
    last = clock.now;
    if (tokens >= 1) { tokens -= 1; return true; }
    return false;
  };
  const serve = (ws) => {
    while (read < ws.sent.length) {
      const f = JSON.parse(ws.sent[read++]);
      if (!take()) {
        if (f.type === 'send') refused.push(f.clientMsgId);
        ws.serverSend({ type: 'error', code: 'rate_limited', message: 'too many frames; slow down and retry', ref: f.ref ?? null });
        continue;
      }
      if (f.type !== 'send') continue;
      sendTimes.push(clock.now);
      let seq = store.seqs.get(f.clientMsgId);
      const fresh = seq == null;
      if (fresh) {
        seq = store.order.length + 1;
        store.seqs.set(f.clientMsgId, seq);
        store.order.push(f.text);
      }
      ws.serverSend({ type: 'ack', clientMsgId: f.clientMsgId, conversationId: CONV, seq, messageId: `m_${seq}` });
      if (fresh) ws.serverSend(msg(seq, { text: f.text, clientMsgId: f.clientMsgId, from: { kind: 'visitor', id: 'vi_1', name: '방문자' } }));
    }
  };
  return { serve, store, refused, sendTimes };
}

/** Advance the fake clock in small steps, serving after each, until the outbox is empty. */
function runUntilDrained(client, clock, server, ws, limitMs = 60000) {
  for (let t = 0; client.pending().length > 0 && t < limitMs; t += 5) {
    server.serve(ws);
    clock.advance(5);
  }
  server.serve(ws);
}

/** A seeded stand-in for Math.random, so jitter varies from call to call as in a browser. */
function seededRandom(seed = 42) {
  let x = seed;
  return () => { x = (x * 1103515245 + 12345) % 2147483648; return x / 2147483648; };
}

test('a burst over the rate limit is stored in send order, each once: refused sends are not overtaken', async () => {
  const { client, WS, clock, messages } = visitor({ random: seededRandom() });
  client.connect();
  const ws = welcome(WS);
  const server = fakeServer(clock);
  const texts = Array.from({ length: 60 }, (_, i) => `연속 ${i + 1}`);
  const promises = texts.map((text) => client.send({ text, conversationId: CONV }));
  runUntilDrained(client, clock, server, ws);
  assert.ok(server.refused.length >= 1, 'the burst did hit the limit');
  assert.deepEqual(server.store.order, texts, 'stored in the order they were sent');
  const acks = await Promise.all(promises);
  assert.deepEqual(acks.map((a) => a.seq), texts.map((_, i) => i + 1));
  assert.deepEqual(messages(), texts.map((_, i) => i + 1), 'delivered in seq order, each once');
  // A refused send went again with its own clientMsgId (the server's dedupe stays the backstop).
  const sends = ws.framesOfType('send');
  for (const id of server.refused) assert.ok(sends.filter((f) => f.clientMsgId === id).length >= 2);
});

test('after a rate_limited the outbox waits out a backoff, then drains paced under the limit (no hammering)', () => {
  const { client, WS, clock } = visitor({ random: () => 0 });
  client.connect();
  const ws = welcome(WS);
  const server = fakeServer(clock);
  for (let i = 1; i <= 80; i += 1) client.send({ text: `m${i}`, conversationId: CONV }).catch(() => {});
  runUntilDrained(client, clock, server, ws);
  assert.equal(server.store.order.length, 80);
  assert.equal(server.refused.length, 1, 'one refusal, then the pace keeps under 20 frames/s');
  // 39 sends go at once (the hello took a token), the 40th is refused and goes again after the
  // 500 ms backoff; from then on the sends are at least 60 ms apart.
  const after = server.sendTimes.slice(39);
  assert.ok(after[0] >= 500, `the refused one waits out the backoff (went at ${after[0]} ms)`);
  for (let i = 1; i < after.length; i += 1) assert.ok(after[i] - after[i - 1] >= 60, `paced: ${after[i - 1]} → ${after[i]}`);
});

test('a send made while the head is held back for rate_limited waits behind it', async () => {
  const { client, WS, clock } = visitor();
  client.connect();
  const ws = welcome(WS);
  const first = client.send({ text: '하나', conversationId: CONV });
  const second = client.send({ text: '둘', conversationId: CONV });
  assert.deepEqual(ws.framesOfType('send').map((f) => f.text), ['하나'], 'one send on the wire at a time');
  ws.serverSend({ type: 'error', code: 'rate_limited', message: 'slow down', ref: first.clientMsgId });
  const third = client.send({ text: '셋', conversationId: CONV });
  clock.advance(499);
  assert.deepEqual(ws.framesOfType('send').map((f) => f.text), ['하나'], 'nothing overtakes the refused send');
  clock.advance(1);
  assert.deepEqual(ws.framesOfType('send').map((f) => f.clientMsgId), [first.clientMsgId, first.clientMsgId]);
  ws.serverSend({ type: 'ack', clientMsgId: first.clientMsgId, conversationId: CONV, seq: 1, messageId: 'm_1' });
  assert.equal(ws.framesOfType('send').length, 2, 'draining: the next waits the pace');
  clock.advance(60);
  assert.deepEqual(ws.framesOfType('send').map((f) => f.text), ['하나', '하나', '둘']);
  ws.serverSend({ type: 'ack', clientMsgId: second.clientMsgId, conversationId: CONV, seq: 2, messageId: 'm_2' });
  clock.advance(60);
  assert.deepEqual(ws.framesOfType('send').map((f) => f.text), ['하나', '하나', '둘', '셋']);
  ws.serverSend({ type: 'ack', clientMsgId: third.clientMsgId, conversationId: CONV, seq: 3, messageId: 'm_3' });
  assert.deepEqual((await Promise.all([first, second, third])).map((a) => a.seq), [1, 2, 3]);
  // The outbox is empty: the pace is over and the next send goes at once.
  client.send({ text: '넷', conversationId: CONV }).catch(() => {});
  assert.equal(ws.framesOfType('send').at(-1).text, '넷');
});

test('a head refused for good does not hold up the rest; the next goes at once', async () => {
  const { client, WS } = visitor();
  client.connect();
  const ws = welcome(WS);
  const bad = client.send({ text: 'x'.repeat(4001), conversationId: CONV });
  const good = client.send({ text: 'ok', conversationId: CONV });
  ws.serverSend({ type: 'error', code: 'too_large', message: 'text over 4000 characters', ref: bad.clientMsgId });
  await assert.rejects(bad, (err) => err.code === 'too_large');
  assert.deepEqual(ws.framesOfType('send').map((f) => f.text.length), [4001, 2]);
  ws.serverSend({ type: 'ack', clientMsgId: good.clientMsgId, conversationId: CONV, seq: 1, messageId: 'm_1' });
  assert.equal((await good).seq, 1);
});

test('a reconnect during the rate-limit wait re-sends from the held head, in order, nothing lost or doubled', async () => {
  const storage = memoryStorage();
  const { client, WS, clock } = visitor({ storage, random: () => 0.5 });
  client.connect();
  const ws1 = welcome(WS);
  const store = { seqs: new Map(), order: [] };
  const s1 = fakeServer(clock, { burst: 10, store });
  const texts = Array.from({ length: 25 }, (_, i) => `연속 ${i + 1}`);
  const promises = texts.map((text) => client.send({ text, conversationId: CONV }));
  s1.serve(ws1);
  assert.ok(s1.refused.length === 1 && store.order.length === 9, 'the 10th is refused (hello took a token)');
  assert.equal(JSON.parse(storage.get('outbox')).length, 16, 'the unstored ones stay in storage');
  ws1.serverDrop();
  clock.advance(backoffDelay(0, undefined, () => 0.5));
  const ws2 = welcome(WS);
  const s2 = fakeServer(clock, { burst: 10, store });
  runUntilDrained(client, clock, s2, ws2);
  assert.deepEqual(store.order, texts);
  assert.deepEqual((await Promise.all(promises)).map((a) => a.seq), texts.map((_, i) => i + 1));
  assert.equal(storage.get('outbox'), null);
});

test('a server restored from a backup: its next messages are delivered, not taken for repeats (visitor)', () => {
  const { client, WS, clock, events, messages } = visitor();
  const rewound = [];
  client.on('rewound', (r) => rewound.push(r));
  client.connect();
  const ws1 = welcome(WS, { ...golden('s2c-welcome-visitor'), conversation: { id: CONV, state: 'assigned', lastSeq: 0 } });
  for (const seq of [1, 2, 3, 4, 5, 6]) ws1.serverSend(msg(seq));
  ws1.serverDrop();
  clock.advance(500);
  // Restored from a backup holding seqs 1–4: the welcome says so, and 5 and 6 are new messages now.
  const ws2 = welcome(WS, { ...golden('s2c-welcome-visitor'), conversation: { id: CONV, state: 'assigned', lastSeq: 4 } });
  assert.equal(ws2.frames[0].resume.lastSeq, 6, 'the hello resumed from what we had delivered');
  assert.deepEqual(rewound, [{ conversationId: CONV, lastSeq: 4 }]);
  assert.equal(client.lastSeq(CONV), 4);
  ws2.serverSend(msg(5, { text: 'after the restore' }));
  ws2.serverSend(msg(6, { text: 'after the restore, too' }));
  assert.deepEqual(messages(), [1, 2, 3, 4, 5, 6, 5, 6]);
  assert.equal(events.filter(([t]) => t === 'message').at(-1)[1].text, 'after the restore, too');

  // An ordinary reconnect (the server is where we are, or ahead) rewinds nothing.
  ws2.serverDrop();
  clock.advance(500);
  welcome(WS, { ...golden('s2c-welcome-visitor'), conversation: { id: CONV, state: 'assigned', lastSeq: 7 } });
  assert.equal(rewound.length, 1);
  assert.equal(client.lastSeq(CONV), 6);
});

test('a server restored from a backup: an agent re-syncs a watched chat from the server\'s lastSeq', () => {
  const WS = fakeWebSocketClass();
  const clock = new FakeClock();
  const client = new SodamClient({
    url: 'ws://test/ws', hello: () => agentHello('at_x'), WebSocketImpl: WS, random: () => 0,
    setTimeout: clock.setTimeout, clearTimeout: clock.clearTimeout,
  });
  const rewound = [];
  const order = [];
  client.on('rewound', (r) => { rewound.push(r); order.push('rewound'); });
  client.on('welcome', () => order.push('welcome'));
  client.connect();
  const ws1 = welcome(WS, golden('s2c-welcome-agent'));
  client.watch(CONV);
  for (const seq of [1, 2, 3, 4, 5, 6, 7]) ws1.serverSend(msg(seq));
  ws1.serverDrop();
  clock.advance(500);
  order.length = 0;
  const ws2 = welcome(WS, golden('s2c-welcome-agent')); // lastSeq 4
  assert.deepEqual(rewound, [{ conversationId: CONV, lastSeq: 4 }]);
  assert.deepEqual(order, ['rewound', 'welcome'], 'the app drops what is gone before it hears the welcome');
  assert.deepEqual(ws2.framesOfType('sync'), [{ type: 'sync', conversationId: CONV, afterSeq: 4 }]);
});
