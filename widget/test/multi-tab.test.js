// Several tabs of one visitor share localStorage (the visitor token and the outbox) but each has
// its own socket. These tests play two tabs over one storage and one clock.
import test from 'node:test';
import assert from 'node:assert/strict';
import { SodamClient, visitorHello } from '../src/js/protocol/client.js';
import { TabLock, DEFAULT_LEASE_MS } from '../src/js/protocol/tablock.js';
import { fakeWebSocketClass, FakeClock, golden, memoryStorage } from './fake-socket.js';

const CONV = 'cv_01jd7k3m9p';
const TOKEN = 'vt_4f1c2a9b8e7d6c5b4a39281706f5e4d3';

/** One tab: its own socket class and client, sharing `storage` and `clock` with the others. */
function tab({ storage, clock, tabId, ids }) {
  const WS = fakeWebSocketClass();
  const holder = {};
  const lock = new TabLock({ storage, tabId, now: () => clock.now });
  const client = new SodamClient({
    url: 'ws://test/ws?site=demo',
    hello: () => visitorHello({ site: 'demo', visitorToken: TOKEN, locale: 'ko', resume: { conversationId: CONV, lastSeq: holder.client.lastSeq(CONV) } }),
    WebSocketImpl: WS, storage, lock, random: () => 0,
    randomId: ids, setTimeout: clock.setTimeout, clearTimeout: clock.clearTimeout,
  });
  holder.client = client;
  const sends = () => WS.instances.flatMap((ws) => ws.framesOfType('send')).map((f) => f.clientMsgId);
  return { client, WS, lock, sends };
}

function welcome(WS) {
  const ws = WS.last;
  ws.serverOpen();
  ws.serverSend(golden('s2c-welcome-visitor'));
  return ws;
}

function counter(prefix) {
  let n = 0;
  return () => `${prefix}${++n}`;
}

function stored(storage) {
  return JSON.parse(storage.get('outbox') ?? '[]').map((f) => f.clientMsgId);
}

const visitorMessage = (seq, clientMsgId, text = 'hi') => ({
  ...golden('s2c-message-visitor'), conversationId: CONV, seq, messageId: `m_${seq}`, clientMsgId, text,
});

test('TabLock: one owner at a time; a lease runs out; only the owner (or time) releases it', () => {
  const storage = memoryStorage();
  const clock = new FakeClock();
  const a = new TabLock({ storage, tabId: 'A', now: () => clock.now });
  const b = new TabLock({ storage, tabId: 'B', now: () => clock.now });
  assert.deepEqual(a.acquire('c-1'), { ok: true });
  assert.deepEqual(a.acquire('c-1'), { ok: true }, 'the owner renews');
  assert.deepEqual(b.acquire('c-1'), { ok: false, retryAt: DEFAULT_LEASE_MS });
  assert.equal(b.heldElsewhere('c-1'), true);
  assert.deepEqual(b.acquire('c-2'), { ok: true }, 'leases are per name');

  b.release('c-1'); // not B's: stays
  assert.equal(b.acquire('c-1').ok, false);
  clock.advance(DEFAULT_LEASE_MS);
  assert.deepEqual(b.acquire('c-1'), { ok: true }, 'an expired lease is free');
  assert.equal(a.acquire('c-1').ok, false);

  b.releaseAll();
  assert.equal(storage.get('lock:c-1'), null);
  assert.equal(storage.get('lock:c-2'), null);
  assert.deepEqual(a.acquire('c-1'), { ok: true });

  storage.set('lock:c-9', 'not json');
  assert.deepEqual(b.acquire('c-9'), { ok: true }, 'garbage is not a lease');
});

test('after a reload of two tabs, a restored unsent message is sent by one tab only', () => {
  const storage = memoryStorage();
  const clock = new FakeClock();
  // Tab A sent while offline, then both tabs reloaded.
  const before = tab({ storage, clock, tabId: 'A0', ids: counter('') });
  before.client.send({ text: '오프라인에서 보냄', conversationId: CONV }).catch(() => {});
  before.client.close();
  assert.deepEqual(stored(storage), ['c-1']);

  const a = tab({ storage, clock, tabId: 'A', ids: counter('a') });
  const b = tab({ storage, clock, tabId: 'B', ids: counter('b') });
  assert.deepEqual(a.client.pending().map((f) => f.clientMsgId), ['c-1']);
  assert.deepEqual(b.client.pending().map((f) => f.clientMsgId), ['c-1']);
  a.client.connect();
  b.client.connect();
  const wsA = welcome(a.WS);
  const wsB = welcome(b.WS);
  assert.deepEqual(a.sends(), ['c-1']);
  assert.deepEqual(b.sends(), [], 'B leaves it to A, which holds the lease');

  // A's ack; both tabs get the stored message (the server pushes to every tab of the visitor).
  wsA.serverSend({ type: 'ack', clientMsgId: 'c-1', conversationId: CONV, seq: 1, messageId: 'm_1' });
  wsA.serverSend(visitorMessage(1, 'c-1'));
  wsB.serverSend(visitorMessage(1, 'c-1'));
  assert.deepEqual(a.client.pending(), []);
  assert.deepEqual(b.client.pending(), [], "B learns from the message frame that it is stored");
  assert.equal(storage.get('outbox'), null);
  assert.equal(storage.get('lock:c-1'), null, 'the lease is released with the ack');

  clock.advance(DEFAULT_LEASE_MS * 3);
  wsB.serverDrop();
  clock.advance(1000);
  welcome(b.WS);
  assert.deepEqual(b.sends(), [], 'nothing is ever re-sent by B');
});

test('a tab that finds the message finished by another tab while it waited drops it silently', () => {
  const storage = memoryStorage();
  const clock = new FakeClock();
  const first = tab({ storage, clock, tabId: 'X', ids: counter('') });
  first.client.send({ text: 'x', conversationId: CONV }).catch(() => {});
  first.client.close();

  const a = tab({ storage, clock, tabId: 'A', ids: counter('a') });
  const b = tab({ storage, clock, tabId: 'B', ids: counter('b') });
  a.client.connect();
  b.client.connect();
  const wsA = welcome(a.WS);
  welcome(b.WS);
  // A gets the ack, but B's socket has not delivered the message yet when B's wait ends.
  wsA.serverSend({ type: 'ack', clientMsgId: 'c-1', conversationId: CONV, seq: 1, messageId: 'm_1' });
  clock.advance(DEFAULT_LEASE_MS + 500);
  assert.deepEqual(b.sends(), []);
  assert.deepEqual(b.client.pending(), []);
});

test('when the tab holding the lease vanishes without an ack, another tab sends after the lease runs out', () => {
  const storage = memoryStorage();
  const clock = new FakeClock();
  const first = tab({ storage, clock, tabId: 'X', ids: counter('') });
  first.client.send({ text: '살려줘', conversationId: CONV }).catch(() => {});
  first.client.close();

  const a = tab({ storage, clock, tabId: 'A', ids: counter('a') });
  const b = tab({ storage, clock, tabId: 'B', ids: counter('b') });
  a.client.connect();
  welcome(a.WS);
  assert.deepEqual(a.sends(), ['c-1']);
  // Tab A crashes: no ack, no release, no more timers.
  a.WS.last.onmessage = null;

  b.client.connect();
  const wsB = welcome(b.WS);
  assert.deepEqual(b.sends(), []);
  clock.advance(DEFAULT_LEASE_MS - 1);
  assert.deepEqual(b.sends(), []);
  clock.advance(500);
  assert.deepEqual(b.sends(), ['c-1'], 'same clientMsgId: the server answers with the original ack if A got it through');
  wsB.serverSend({ type: 'ack', clientMsgId: 'c-1', conversationId: CONV, seq: 1, messageId: 'm_1' });
  assert.equal(storage.get('outbox'), null);
});

test('a reloaded tab (same tab id from sessionStorage) re-sends its own leased message at once', () => {
  const storage = memoryStorage();
  const clock = new FakeClock();
  const before = tab({ storage, clock, tabId: 'A', ids: counter('') });
  before.client.connect();
  welcome(before.WS);
  before.client.send({ text: '보내는 중에 새로고침', conversationId: CONV }).catch(() => {});
  assert.deepEqual(before.sends(), ['c-1']); // sent, leased, never acked: the page reloads

  const after = tab({ storage, clock, tabId: 'A', ids: counter('x') });
  after.client.connect();
  welcome(after.WS);
  assert.deepEqual(after.sends(), ['c-1']);
});

test('releaseLocks (pagehide) lets a new page with a new tab id re-send at once', () => {
  const storage = memoryStorage();
  const clock = new FakeClock();
  const before = tab({ storage, clock, tabId: 'A', ids: counter('') });
  before.client.connect();
  welcome(before.WS);
  before.client.send({ text: 'pagehide', conversationId: CONV }).catch(() => {});
  before.client.releaseLocks();

  const after = tab({ storage, clock, tabId: 'Z', ids: counter('x') });
  after.client.connect();
  welcome(after.WS);
  assert.deepEqual(after.sends(), ['c-1']);
});

test('two open tabs sending while offline keep both messages in storage (no overwrite)', () => {
  const storage = memoryStorage();
  const clock = new FakeClock();
  const a = tab({ storage, clock, tabId: 'A', ids: counter('a') });
  const b = tab({ storage, clock, tabId: 'B', ids: counter('b') });
  a.client.send({ text: 'from A', conversationId: CONV }).catch(() => {});
  b.client.send({ text: 'from B', conversationId: CONV }).catch(() => {});
  assert.deepEqual(stored(storage), ['c-a1', 'c-b1']);

  // A gets its ack: only A's entry leaves storage.
  a.client.connect();
  const wsA = welcome(a.WS);
  assert.deepEqual(a.sends(), ['c-a1'], 'one send on the wire at a time');
  wsA.serverSend({ type: 'ack', clientMsgId: 'c-a1', conversationId: CONV, seq: 1, messageId: 'm_1' });
  assert.deepEqual(stored(storage), ['c-b1']);
  assert.deepEqual(a.sends(), ['c-a1', 'c-b1'], "A also takes up B's unsent message (B is still offline), after its own");
});

test("a live tab takes up the message a closed tab left unsent and sends it once when the network returns", () => {
  const storage = memoryStorage();
  const clock = new FakeClock();
  const a = tab({ storage, clock, tabId: 'A', ids: counter('a') });
  const b = tab({ storage, clock, tabId: 'B', ids: counter('b') });
  const drawnInB = [];
  b.client.on('pending', (frames) => drawnInB.push(...frames.map((f) => f.text)));
  // Both offline (never welcomed). Tab 1 sends and is closed (pagehide releases its leases).
  a.client.send({ text: '탭1에서 보냄', conversationId: CONV }).catch(() => {});
  assert.deepEqual(b.client.adoptStored().map((f) => f.clientMsgId), ['c-a1'], "the storage event in tab 2");
  assert.deepEqual(b.client.adoptStored(), [], 'taken up once');
  a.client.releaseLocks();
  a.client.close();
  assert.deepEqual(drawnInB, ['탭1에서 보냄']);

  b.client.connect();
  const ws = welcome(b.WS);
  assert.deepEqual(b.sends(), ['c-a1']);
  ws.serverSend({ type: 'ack', clientMsgId: 'c-a1', conversationId: CONV, seq: 1, messageId: 'm_1' });
  ws.serverSend(visitorMessage(1, 'c-a1'));
  assert.equal(storage.get('outbox'), null);
  assert.deepEqual(b.client.pending(), []);
  assert.deepEqual(a.sends(), []);
});

test('a tab that missed the storage event takes up what another tab left at its next welcome', () => {
  const storage = memoryStorage();
  const clock = new FakeClock();
  const a = tab({ storage, clock, tabId: 'A', ids: counter('a') });
  const b = tab({ storage, clock, tabId: 'B', ids: counter('b') });
  b.client.connect();
  welcome(b.WS).serverDrop();
  a.client.send({ text: 'left behind', conversationId: CONV }).catch(() => {});
  a.client.releaseLocks();
  a.client.close();
  clock.advance(1000);
  welcome(b.WS);
  assert.deepEqual(b.sends(), ['c-a1']);
});

test('with both tabs online, a message of one is sent by that tab only and drawn once in the other', () => {
  const storage = memoryStorage();
  const clock = new FakeClock();
  const a = tab({ storage, clock, tabId: 'A', ids: counter('a') });
  const b = tab({ storage, clock, tabId: 'B', ids: counter('b') });
  a.client.connect();
  b.client.connect();
  const wsA = welcome(a.WS);
  const wsB = welcome(b.WS);
  const delivered = [];
  b.client.on('message', (m) => delivered.push(m.clientMsgId));
  a.client.send({ text: 'hi', conversationId: CONV }).catch(() => {});
  assert.equal(b.client.adoptStored().length, 1, 'B sees it queued (storage event)');
  assert.deepEqual(b.sends(), [], 'A holds the lease: B does not send it too');
  wsA.serverSend({ type: 'ack', clientMsgId: 'c-a1', conversationId: CONV, seq: 1, messageId: 'm_1' });
  wsA.serverSend(visitorMessage(1, 'c-a1'));
  wsB.serverSend(visitorMessage(1, 'c-a1'));
  assert.deepEqual(b.client.pending(), []);
  clock.advance(DEFAULT_LEASE_MS * 3);
  assert.deepEqual(b.sends(), []);
  assert.deepEqual(a.sends(), ['c-a1']);
  assert.deepEqual(delivered, ['c-a1']);

  // A stale storage copy of something this tab already saw stored is never taken up again.
  storage.set('outbox', JSON.stringify([{ type: 'send', clientMsgId: 'c-a1', conversationId: CONV, text: 'hi', ref: 'c-a1' }]));
  assert.deepEqual(b.client.adoptStored(), []);
});

test('a send is settled by its own message frame when the ack never comes', async () => {
  const storage = memoryStorage();
  const clock = new FakeClock();
  const a = tab({ storage, clock, tabId: 'A', ids: counter('') });
  a.client.connect();
  const ws = welcome(a.WS);
  const p = a.client.send({ text: '안녕', conversationId: CONV });
  ws.serverSend(visitorMessage(1, p.clientMsgId, '안녕'));
  const ack = await p;
  assert.deepEqual({ ...ack }, { type: 'ack', clientMsgId: 'c-1', conversationId: CONV, seq: 1, messageId: 'm_1' });
  assert.equal(storage.get('outbox'), null);
});

test('drop() (the browser went offline) closes the socket now and reconnects with backoff', () => {
  const storage = memoryStorage();
  const clock = new FakeClock();
  const a = tab({ storage, clock, tabId: 'A', ids: counter('') });
  const states = [];
  a.client.on('state', (s) => states.push(s));
  a.client.connect();
  const ws = welcome(a.WS);
  a.client.drop();
  assert.equal(a.client.state, 'closed');
  assert.equal(ws.closedByClient, true);
  assert.equal(a.WS.instances.length, 1);
  clock.advance(500);
  assert.equal(a.WS.instances.length, 2);
  assert.deepEqual(states, ['connecting', 'open', 'closed', 'connecting']);
  a.client.close();
  a.client.drop(); // after close(): nothing
  clock.advance(60000);
  assert.equal(a.WS.instances.length, 2);
});
