// Unread counting, the chime and the blinking tab title of the visitor widget (DOM-free parts).
import test from 'node:test';
import assert from 'node:assert/strict';
import { HistoryMark, countsAsUnread, shouldChime, claimChime, blinkTitle, TitleBlinker } from '../src/js/visitor/notify.js';
import { translator } from '../src/js/i18n.js';
import { FakeClock, memoryStorage } from './fake-socket.js';

const m = (seq, kind, conversationId = 'cv_1') => ({ conversationId, seq, from: { kind } });

/** Feed messages through the widget's rules; returns the unread count after each. */
function unreadAfter(messages, { history, open = () => false }) {
  let unread = 0;
  return messages.map((msg) => {
    if (countsAsUnread(msg, { isOpen: open(msg), isNew: history.isNew(msg) })) unread += 1;
    if (open(msg)) unread = 0;
    return unread;
  });
}

test('history replayed on load is never unread; new agent and bot messages are, while closed', () => {
  const history = new HistoryMark();
  assert.equal(history.isNew(m(1, 'agent')), false, 'nothing is new before the first welcome');
  history.welcome({ conversation: { id: 'cv_1', lastSeq: 3 }, resumedId: 'cv_1' });
  history.welcome({ conversation: { id: 'cv_1', lastSeq: 9 }, resumedId: 'cv_1' }); // a reconnect: ignored
  const counts = unreadAfter([
    m(1, 'visitor'), m(2, 'bot'), m(3, 'agent'), // replayed history
    m(4, 'agent'), m(5, 'visitor'), m(6, 'system'), m(7, 'bot'), m(8, 'agent'),
  ], { history });
  assert.deepEqual(counts, [0, 0, 0, 1, 1, 1, 2, 3]);
});

test('opening the panel resets; messages while open are not counted', () => {
  const history = new HistoryMark();
  history.welcome({ conversation: null, resumedId: null });
  const counts = unreadAfter([m(1, 'bot'), m(2, 'agent'), m(3, 'agent'), m(4, 'agent')], {
    history, open: (msg) => msg.seq === 3,
  });
  assert.deepEqual(counts, [1, 2, 0, 1]);
});

test('a resumed conversation that is no longer open (resolved) replays as history; a new one counts', () => {
  const history = new HistoryMark();
  history.welcome({ conversation: null, resumedId: 'cv_old' });
  assert.equal(history.isNew(m(12, 'agent', 'cv_old')), false);
  assert.equal(history.isNew(m(1, 'bot', 'cv_new')), true);
  const other = new HistoryMark();
  other.welcome({ conversation: { id: 'cv_other', lastSeq: 2 }, resumedId: 'cv_old' });
  assert.equal(other.isNew(m(5, 'agent', 'cv_old')), false);
  assert.equal(other.isNew(m(2, 'agent', 'cv_other')), false);
  assert.equal(other.isNew(m(3, 'agent', 'cv_other')), true);
});

test('the chime: new agent messages only, while closed or in the background, never when muted', () => {
  const base = { isOpen: false, hidden: false, isNew: true, muted: false };
  assert.equal(shouldChime(m(1, 'agent'), base), true);
  assert.equal(shouldChime(m(1, 'bot'), base), false);
  assert.equal(shouldChime(m(1, 'visitor'), base), false);
  assert.equal(shouldChime(m(1, 'agent'), { ...base, isNew: false }), false);
  assert.equal(shouldChime(m(1, 'agent'), { ...base, muted: true }), false);
  assert.equal(shouldChime(m(1, 'agent'), { ...base, isOpen: true }), false);
  assert.equal(shouldChime(m(1, 'agent'), { ...base, isOpen: true, hidden: true }), true);
});

test('of several tabs only the first to see a message chimes', () => {
  const shared = memoryStorage();
  assert.equal(claimChime(shared, m(4, 'agent')), true); // tab A
  assert.equal(claimChime(shared, m(4, 'agent')), false); // tab B, same message
  assert.equal(claimChime(shared, m(3, 'agent')), false, 'an older one is not news');
  assert.equal(claimChime(shared, m(5, 'agent')), true);
  assert.equal(claimChime(shared, m(1, 'agent', 'cv_2')), true, 'another conversation');
});

test('blink text: "(1) 새 메시지", "(1) New message", "(3) New messages"', () => {
  assert.equal(blinkTitle(translator('ko'), 1), '(1) 새 메시지');
  assert.equal(blinkTitle(translator('ko'), 4), '(4) 새 메시지');
  assert.equal(blinkTitle(translator('en'), 1), '(1) New message');
  assert.equal(blinkTitle(translator('en'), 3), '(3) New messages');
});

test('TitleBlinker alternates, follows a title the page changes, and restores it when stopped', () => {
  const clock = new FakeClock();
  const timers = new Map();
  let id = 0;
  const doc = { title: '소담 마켓' };
  const blinker = new TitleBlinker({
    doc,
    setInterval: (fn, ms) => { const i = ++id; const loop = () => { fn(); timers.set(i, clock.setTimeout(loop, ms)); }; timers.set(i, clock.setTimeout(loop, ms)); return i; },
    clearInterval: (i) => { clock.clearTimeout(timers.get(i)); timers.delete(i); },
    intervalMs: 1000,
  });
  blinker.set('(1) 새 메시지');
  assert.equal(doc.title, '(1) 새 메시지');
  clock.advance(1000);
  assert.equal(doc.title, '소담 마켓');
  blinker.set('(2) 새 메시지'); // showing the original: stays until the next tick
  assert.equal(doc.title, '소담 마켓');
  clock.advance(1000);
  assert.equal(doc.title, '(2) 새 메시지');

  doc.title = '장바구니 — 소담 마켓'; // the page navigates (SPA)
  clock.advance(1000);
  assert.equal(doc.title, '(2) 새 메시지');
  clock.advance(1000);
  assert.equal(doc.title, '장바구니 — 소담 마켓');
  clock.advance(1000);
  blinker.set(null);
  assert.equal(doc.title, '장바구니 — 소담 마켓', 'restored on open');
  assert.equal(blinker.active, false);
  clock.advance(5000);
  assert.equal(doc.title, '장바구니 — 소담 마켓', 'no timer left');
  blinker.stop(); // idempotent
});
