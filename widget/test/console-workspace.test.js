// The agent's workspace rules (src/console/workspace.js): who waits for an answer, which chat
// needs one next, shortcuts, transfer outcomes, chimes, title count and the mute switch.
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  unansweredSince, needsReplyId, neighbourTab, shortcutFor, SHORTCUTS, transferOutcome, arrivedByTransfer,
  chimesForMessage, titleCount, MutePref, leftWhileAway,
} from '../src/console/workspace.js';
import { stringTables } from '../src/js/i18n.js';

const m = (seq, kind, ts = `2026-11-22T10:0${seq}:00Z`) => ({ seq, ts, from: { kind } });

test('the visitor waits since their first message after the agent last spoke', () => {
  assert.equal(unansweredSince([]), null);
  assert.equal(unansweredSince([m(1, 'visitor'), m(2, 'bot')]), m(1, 'visitor').ts, 'the bot does not answer');
  assert.equal(unansweredSince([m(1, 'visitor'), m(2, 'agent')]), null, 'answered');
  assert.equal(unansweredSince([m(1, 'visitor'), m(2, 'agent'), m(3, 'visitor'), m(4, 'visitor'), m(5, 'system')]),
    m(3, 'visitor').ts, 'the oldest unanswered message counts');
  // Seq order, not arrival order.
  assert.equal(unansweredSince([m(4, 'visitor'), m(3, 'agent'), m(2, 'visitor')]), m(4, 'visitor').ts);
  assert.equal(unansweredSince(new Map([[1, m(1, 'visitor')]]).values()), m(1, 'visitor').ts, 'any iterable');
});

test('the chat that waited longest needs a reply next', () => {
  assert.equal(needsReplyId([]), null);
  assert.equal(needsReplyId([{ id: 'a', since: null }, { id: 'b', since: undefined }]), null);
  assert.equal(needsReplyId([
    { id: 'a', since: '2026-11-22T10:05:00Z' },
    { id: 'b', since: '2026-11-22T10:01:00.5Z' },
    { id: 'c', since: null },
    { id: 'd', since: 'nonsense' },
  ]), 'b');
});

test('Alt+↓ / Alt+↑ walk the open chats and wrap around', () => {
  const tabs = ['a', 'b', 'c'];
  assert.equal(neighbourTab(tabs, 'a', 1), 'b');
  assert.equal(neighbourTab(tabs, 'c', 1), 'a');
  assert.equal(neighbourTab(tabs, 'a', -1), 'c');
  assert.equal(neighbourTab(tabs, null, 1), 'a');
  assert.equal(neighbourTab(tabs, null, -1), 'c');
  assert.equal(neighbourTab([], 'a', 1), null);
});

test('shortcuts: Alt+arrows, Alt+Enter, Esc, ? outside fields; nothing while an IME composes', () => {
  const key = (key, extra = {}) => ({ key, altKey: false, ctrlKey: false, metaKey: false, shiftKey: false, ...extra });
  assert.equal(shortcutFor(key('ArrowDown', { altKey: true })), 'next');
  assert.equal(shortcutFor(key('ArrowUp', { altKey: true })), 'previous');
  assert.equal(shortcutFor(key('Enter', { altKey: true }), true), 'accept-offer', 'also from the reply box');
  assert.equal(shortcutFor(key('Escape'), true), 'escape');
  assert.equal(shortcutFor(key('?')), 'help');
  assert.equal(shortcutFor(key('?'), true), null, 'a ? typed into a reply is text');
  assert.equal(shortcutFor(key('ArrowDown')), null);
  assert.equal(shortcutFor(key('ArrowDown', { altKey: true, ctrlKey: true })), null);
  assert.equal(shortcutFor(key('Enter')), null);
  assert.equal(shortcutFor(key('Enter', { altKey: true, isComposing: true })), null);
  assert.equal(shortcutFor(key('Process', { keyCode: 229 })), null);
  // Every shortcut the help lists has its words in both languages.
  for (const [, k] of SHORTCUTS) for (const l of ['ko', 'en']) assert.ok(stringTables()[l][k], `${l} ${k}`);
});

test('a transfer is done when the push shows the chat elsewhere', () => {
  assert.equal(transferOutcome({ state: 'assigned', agent: { id: 'ag_2' } }, 'ag_1'), 'agent');
  assert.equal(transferOutcome({ state: 'assigned', agent: { id: 'ag_1' } }, 'ag_1'), null, 'still ours');
  assert.equal(transferOutcome({ state: 'queued', agent: { id: 'ag_1' } }, 'ag_1'), 'team', 'a stale agent field does not matter');
  assert.equal(transferOutcome({ state: 'resolved' }, 'ag_1'), 'resolved');
  assert.equal(transferOutcome(null, 'ag_1'), null);
});

test('a chat that becomes ours without our accept arrived by transfer', () => {
  const mine = { state: 'assigned', agent: { id: 'ag_1' } };
  assert.equal(arrivedByTransfer({ state: 'assigned', agent: { id: 'ag_2' } }, mine, 'ag_1', false), true);
  assert.equal(arrivedByTransfer(undefined, mine, 'ag_1', false), true, 'never seen before');
  assert.equal(arrivedByTransfer({ state: 'queued' }, mine, 'ag_1', true), false, 'our own accept');
  assert.equal(arrivedByTransfer(mine, mine, 'ag_1', false), false, 'already ours');
  assert.equal(arrivedByTransfer({ state: 'assigned', agent: { id: 'ag_1' } }, { state: 'queued' }, 'ag_1', false), false);
  assert.equal(arrivedByTransfer(undefined, { state: 'assigned', agent: { id: 'ag_3' } }, 'ag_1', false), false);
});

test('a visitor message chimes in a background chat of ours, also with the page in front', () => {
  assert.equal(chimesForMessage({ isNew: true, kind: 'visitor', mine: true, viewing: false }), true);
  assert.equal(chimesForMessage({ isNew: true, kind: 'visitor', mine: true, viewing: true }), false);
  assert.equal(chimesForMessage({ isNew: false, kind: 'visitor', mine: true, viewing: false }), false, 'history');
  assert.equal(chimesForMessage({ isNew: true, kind: 'agent', mine: true, viewing: false }), false);
  assert.equal(chimesForMessage({ isNew: true, kind: 'visitor', mine: false, viewing: false }), false, 'queued: the offer rings');
});

test('title count: queue and offers once each, plus unread messages', () => {
  assert.equal(titleCount({}), 0);
  assert.equal(titleCount({ unseenQueue: new Set(['a']), offers: ['a', 'b'], unread: [2, 0, 1] }), 5);
  assert.equal(titleCount({ unread: new Map([['x', 3]]).values() }), 3);
  assert.equal(titleCount({ unread: [-1, NaN, 1.5] }), 0);
});

test('the mute switch is remembered, and survives blocked storage', () => {
  const data = new Map();
  const storage = { get: (k) => data.get(k) ?? null, set: (k, v) => data.set(k, v), remove: (k) => data.delete(k) };
  const pref = new MutePref(storage);
  assert.equal(pref.muted, false);
  assert.equal(pref.toggle(), true);
  assert.equal(data.get('muted'), '1');
  assert.equal(new MutePref(storage).muted, true, 'another page reads it');
  pref.muted = false;
  assert.equal(data.has('muted'), false);
  const broken = new MutePref({ get() { throw new Error('blocked'); }, set() { throw new Error('blocked'); }, remove() { throw new Error('blocked'); } });
  assert.equal(broken.muted, false);
  assert.doesNotThrow(() => broken.toggle());
});

test('a chat the reconnect welcome no longer lists left while the console was disconnected', () => {
  const me = 'ag_me';
  const mine = { id: 'cv_1', state: 'assigned', agent: { id: me, name: '나' }, lastSeq: 7 };
  assert.deepEqual(leftWhileAway(mine, me), { id: 'cv_1', state: 'elsewhere', agent: null, lastSeq: 7 },
    'requeued after the presence grace and taken by a colleague, or resolved: no longer mine');
  assert.deepEqual(leftWhileAway({ id: 'cv_2', state: 'queued', queuePosition: 2 }, me), { id: 'cv_2', state: 'elsewhere', agent: null },
    'a queued chat the welcome queue does not list was taken meanwhile');
  assert.equal(leftWhileAway({ id: 'cv_3', state: 'assigned', agent: { id: 'ag_other' } }, me), null, 'still known as a colleague\'s');
  assert.equal(leftWhileAway({ id: 'cv_4', state: 'resolved', agent: { id: me } }, me), null, 'resolved stays resolved');
  assert.equal(leftWhileAway(undefined, me), null);
  const { ko, en } = stringTables();
  for (const key of ['console.state.elsewhere', 'console.leftWhileAway']) assert.ok(ko[key] && en[key], key);
});
