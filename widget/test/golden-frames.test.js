// The client's outgoing frames must equal the golden c2s frames in docs/protocol/frames/,
// and every golden s2c frame must reach the right event.
import test from 'node:test';
import assert from 'node:assert/strict';
import { SodamClient, visitorHello, agentHello } from '../src/js/protocol/client.js';
import { fakeWebSocketClass, FakeClock, golden, goldenNames } from './fake-socket.js';

const CONV = 'cv_01jd7k3m9p';

function connected({ hello = () => golden('c2s-hello-visitor'), welcome = golden('s2c-welcome-visitor-new') } = {}) {
  const WS = fakeWebSocketClass();
  const clock = new FakeClock();
  let n = 0;
  const client = new SodamClient({
    url: 'ws://test/ws?site=demo', hello, WebSocketImpl: WS,
    randomId: () => String(++n), setTimeout: clock.setTimeout, clearTimeout: clock.clearTimeout,
  });
  client.connect();
  const ws = WS.last;
  ws.serverOpen();
  if (welcome) ws.serverSend(welcome);
  return { client, ws, WS, clock };
}

/** Frames written after the hello. */
function afterHello(ws) {
  return ws.frames.slice(1);
}

test('visitorHello builds the golden visitor hello (null token, no resume)', () => {
  assert.deepEqual(visitorHello({ site: 'demo', visitorToken: null, locale: 'ko' }), golden('c2s-hello-visitor'));
});

test('visitorHello with resume builds the golden resume hello', () => {
  const g = golden('c2s-hello-visitor-resume');
  assert.deepEqual(
    visitorHello({ site: 'demo', visitorToken: g.visitorToken, locale: 'ko', resume: { conversationId: CONV, lastSeq: 12 } }),
    g,
  );
});

test('agentHello builds the golden agent hello', () => {
  const g = golden('c2s-hello-agent');
  assert.deepEqual(agentHello(g.token), g);
});

test('on open the client writes exactly the hello() frame, first', () => {
  const { ws } = connected({ welcome: null });
  assert.deepEqual(ws.frames, [golden('c2s-hello-visitor')]);
});

test('send with ref equals c2s-send; with faqId c2s-send-faq; with handoff c2s-send-handoff', async () => {
  const { client, ws } = connected();
  const p1 = client.send({ text: '배송 언제 와요?', conversationId: null });
  const p2 = client.send({ text: '배송은 얼마나 걸리나요?', conversationId: CONV, faqId: 'ko-delivery-time' });
  assert.equal(p1.clientMsgId, 'c-1');
  assert.equal(p2.clientMsgId, 'c-2');
  const p3 = client.send({ text: '환불 문의 남깁니다. 주문 1234', conversationId: null, handoff: true });
  assert.equal(p3.clientMsgId, 'c-3');
  // One send on the wire at a time (the stored order is the send order): each goes after the ack before it.
  assert.deepEqual(afterHello(ws), [golden('c2s-send')]);
  ws.serverSend(golden('s2c-ack'));
  assert.deepEqual(await p1, golden('s2c-ack'));
  assert.deepEqual(afterHello(ws), [golden('c2s-send'), golden('c2s-send-faq')]);
  ws.serverSend({ ...golden('s2c-ack'), clientMsgId: 'c-2', seq: 2, messageId: 'm_2' });
  assert.equal((await p2).seq, 2);
  assert.deepEqual(afterHello(ws), [golden('c2s-send'), golden('c2s-send-faq'), golden('c2s-send-handoff')]);
  p3.catch(() => {});
});

test('handoff, sync, typing, read, accept, resolve equal their golden frames', () => {
  const { client, ws } = connected({ hello: () => golden('c2s-hello-agent'), welcome: golden('s2c-welcome-agent') });
  assert.equal(client.handoff(CONV), true);
  client.sync(CONV, 0);
  client.typing(CONV, true);
  client.read(CONV, 7);
  client.accept(CONV);
  client.resolve(CONV);
  assert.deepEqual(afterHello(ws), [
    golden('c2s-handoff'), golden('c2s-sync'), golden('c2s-typing'),
    golden('c2s-read'), golden('c2s-accept'), golden('c2s-resolve'),
  ]);
});

test('decline and presence equal their golden frames', () => {
  const { client, ws } = connected({ hello: () => golden('c2s-hello-agent'), welcome: golden('s2c-welcome-agent') });
  assert.equal(client.decline(golden('c2s-decline').conversationId), true);
  assert.equal(client.presence(golden('c2s-presence').status), true);
  assert.deepEqual(afterHello(ws), [golden('c2s-decline'), golden('c2s-presence')]);
});

test('transfer (to an agent, to a team) and note equal their golden frames', () => {
  const { client, ws } = connected({ hello: () => golden('c2s-hello-agent'), welcome: golden('s2c-welcome-agent') });
  const toAgent = golden('c2s-transfer');
  const toTeam = golden('c2s-transfer-team');
  assert.equal(client.transfer(toAgent.conversationId, { toAgentId: toAgent.toAgentId, note: toAgent.note }), true);
  assert.equal(client.transfer(toTeam.conversationId, { toTeamId: toTeam.toTeamId }), true);
  assert.equal(client.note(golden('c2s-note').conversationId, golden('c2s-note').text), true);
  assert.deepEqual(afterHello(ws), [toAgent, toTeam, golden('c2s-note')]);
});

test('colleagues (asked when the transfer dialog opens) equals its golden frame', () => {
  const { client, ws } = connected({ hello: () => golden('c2s-hello-agent'), welcome: golden('s2c-welcome-agent') });
  const frame = golden('c2s-colleagues');
  assert.equal(client.colleagues(frame.conversationId, { ref: frame.ref }), true);
  assert.deepEqual(afterHello(ws), [frame]);
});

test('a visitor welcome tells the language the server speaks, also when the hello asked for another', () => {
  const { client } = connected({ hello: () => ({ ...golden('c2s-hello-visitor'), locale: 'fr' }),
    welcome: { ...golden('s2c-welcome-visitor-new'), locale: 'en' } });
  assert.equal(client.serverLocale, 'en');
  assert.equal(connected().client.serverLocale, golden('s2c-welcome-visitor-new').locale);
  assert.equal(connected({ hello: () => golden('c2s-hello-agent'), welcome: golden('s2c-welcome-agent') }).client.serverLocale,
    null, 'an agent\'s welcome has no locale');
});

test('page (the visitor\'s widget reports where it is) equals its golden frame', () => {
  const { client, ws } = connected({ hello: () => golden('c2s-hello-visitor'), welcome: golden('s2c-welcome-visitor') });
  const page = golden('c2s-page');
  assert.equal(client.page(page.url, page.title), true);
  assert.equal(client.page('javascript:alert(1)', 'x'), false, 'only http(s) pages are reported');
  assert.deepEqual(afterHello(ws), [page]);
});

test('label equals its golden frame; a blank label is not sent', () => {
  const { client, ws } = connected({ hello: () => golden('c2s-hello-agent'), welcome: golden('s2c-welcome-agent') });
  const frame = golden('c2s-label');
  assert.equal(client.label(frame.conversationId, ` ${frame.label} `, frame.on), true);
  assert.equal(client.label(frame.conversationId, '   ', true), false);
  assert.deepEqual(afterHello(ws), [frame]);
});

test('transfer and note carry a ref when given one, so their errors can be told apart', () => {
  const { client, ws } = connected({ hello: () => golden('c2s-hello-agent'), welcome: golden('s2c-welcome-agent') });
  client.transfer(CONV, { toTeamId: 'payment', ref: 'transfer:1' });
  client.note(CONV, '메모', { ref: 'note:2' });
  assert.deepEqual(afterHello(ws), [
    { type: 'transfer', conversationId: CONV, toTeamId: 'payment', ref: 'transfer:1' },
    { type: 'note', conversationId: CONV, text: '메모', ref: 'note:2' },
  ]);
});

test('rate (thumbs, csat with a comment) equals its golden frames', () => {
  const { client, ws } = connected();
  const thumbs = golden('c2s-rate-thumbs');
  const csat = golden('c2s-rate-csat');
  assert.equal(client.rate(CONV, { kind: 'thumbs', messageId: thumbs.messageId, score: 1 }), true);
  client.rate(CONV, { kind: 'csat', score: 5, comment: `  ${csat.comment} ` });
  assert.deepEqual(afterHello(ws), [thumbs, csat]);
});

test('identify equals its golden frame', () => {
  const { client, ws } = connected();
  const g = golden('c2s-identify');
  assert.equal(client.identify({ name: g.name, email: g.email, externalId: g.externalId, attributes: g.attributes }), true);
  assert.deepEqual(afterHello(ws), [g]);
});

test('every golden s2c frame reaches its event', () => {
  const { client, ws } = connected({ welcome: null });
  const seen = [];
  for (const type of ['welcome', 'message', 'status', 'conversation', 'typing', 'read', 'error', 'ack',
    'offer', 'offer_withdrawn', 'presence', 'alert', 'note', 'rated', 'visitor', 'colleagues']) {
    client.on(type, (f) => seen.push([type, f]));
  }
  const names = goldenNames().filter((n) => n.startsWith('s2c-'));
  assert.ok(names.length >= 21, 'golden s2c frames found');
  for (const routing of ['s2c-offer', 's2c-offer-withdrawn', 's2c-presence', 's2c-alert', 's2c-status-queued-eta']) {
    assert.ok(names.includes(routing), `${routing} is among the golden frames`);
  }
  for (const name of names) {
    // Message frames share seqs across files; reset so each one is new to the client.
    client.setLastSeq(CONV, 0);
    const frame = golden(name);
    if (frame.type === 'message') client.setLastSeq(CONV, frame.seq - 1);
    const before = seen.length;
    ws.serverSend(frame);
    assert.equal(seen.length, before + 1, `${name} delivered once`);
    assert.equal(seen.at(-1)[0], frame.type, `${name} → '${frame.type}' event`);
    assert.deepEqual(seen.at(-1)[1], frame);
  }
});

test('c2s golden frames are all covered by the tests above', () => {
  const covered = new Set(['c2s-hello-visitor', 'c2s-hello-visitor-resume', 'c2s-hello-agent', 'c2s-send', 'c2s-send-faq', 'c2s-send-handoff',
    'c2s-handoff', 'c2s-sync', 'c2s-typing', 'c2s-read', 'c2s-accept', 'c2s-resolve', 'c2s-decline', 'c2s-presence',
    'c2s-transfer', 'c2s-transfer-team', 'c2s-note', 'c2s-rate-thumbs', 'c2s-rate-csat',
    'c2s-page', 'c2s-identify', 'c2s-label', 'c2s-colleagues']);
  const missing = goldenNames().filter((n) => n.startsWith('c2s-') && !covered.has(n));
  assert.deepEqual(missing, [], 'a new c2s golden frame needs a client test');
});
