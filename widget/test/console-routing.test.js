// The console's routing logic (offers, presence, alerts) without a DOM: src/console/routing.js.
import test from 'node:test';
import assert from 'node:assert/strict';
import { RoutingState, secondsLeft, formatLoad, withdrawnKey, visitorLabel, OFFER_GRACE_MS } from '../src/console/routing.js';
import { errorReason, transferTargets } from '../src/console/routing.js';
import { translator, stringTables } from '../src/js/i18n.js';
import { golden } from './fake-socket.js';

const CONV = 'cv_01jd7k3m9p';
const AGENT = { id: 'ag_1', name: '김소담', role: 'agent' };
const ADMIN = { id: 'ad_1', name: '관리자', role: 'admin' };
const EXPIRES = Date.parse('2026-11-22T10:00:35Z');

test('secondsLeft rounds up, never goes negative, and is 0 for junk', () => {
  assert.equal(secondsLeft('2026-11-22T10:00:35Z', EXPIRES - 30000), 30);
  assert.equal(secondsLeft('2026-11-22T10:00:35Z', EXPIRES - 29001), 30);
  assert.equal(secondsLeft('2026-11-22T10:00:35Z', EXPIRES - 1), 1);
  assert.equal(secondsLeft('2026-11-22T10:00:35Z', EXPIRES), 0);
  assert.equal(secondsLeft('2026-11-22T10:00:35Z', EXPIRES + 5000), 0);
  assert.equal(secondsLeft('2026-11-22T10:00:35.500Z', EXPIRES), 1, 'fractional seconds');
  assert.equal(secondsLeft(undefined, EXPIRES), 0);
  assert.equal(secondsLeft('soon', EXPIRES), 0);
});

test('formatLoad is "2 / 3", and empty until both numbers are known', () => {
  const p = golden('s2c-presence');
  assert.equal(formatLoad(p.load, p.cap), '2 / 3');
  assert.equal(formatLoad(0, 3), '0 / 3');
  assert.equal(formatLoad(undefined, 3), '');
  assert.equal(formatLoad(2, null), '');
});

test('every offer_withdrawn reason has a Korean and an English toast; unknown reasons a neutral one', () => {
  const ko = translator('ko');
  const en = translator('en');
  for (const reason of ['timeout', 'declined', 'taken', 'presence']) {
    const key = withdrawnKey(reason);
    assert.equal(key, `console.withdrawn.${reason}`);
    assert.ok(key in stringTables().ko && key in stringTables().en, key);
    assert.match(ko(key, { name: '방문자 7' }), /방문자 7/);
    assert.match(en(key, { name: 'Visitor 7' }), /Visitor 7/);
  }
  assert.equal(withdrawnKey('moon'), 'console.withdrawn.other');
  assert.equal(withdrawnKey(undefined), 'console.withdrawn.other');
  assert.equal(ko(withdrawnKey('taken'), { name: '방문자 7' }), '방문자 7 님의 상담을 다른 상담원이 맡았어요');
});

test('visitorLabel prefers the visitor name, then ids', () => {
  assert.equal(visitorLabel(golden('s2c-offer').conversation), '방문자 7');
  assert.equal(visitorLabel({ id: CONV, visitor: { id: 'vi_7' } }), 'vi_7');
  assert.equal(visitorLabel({ id: CONV }), CONV);
  assert.equal(visitorLabel(undefined, CONV), CONV);
});

test('an offer is new once; withdrawal removes it and returns it, a second withdrawal finds nothing', () => {
  const r = new RoutingState(AGENT);
  assert.equal(r.offer(golden('s2c-offer')), true);
  assert.equal(r.offer(golden('s2c-offer')), false, 'the same offer again (another tab, a resend) is no news');
  assert.equal(r.offers.size, 1);
  assert.equal(r.offers.get(CONV).conversation.visitor.name, '방문자 7');
  const gone = r.withdraw(golden('s2c-offer-withdrawn'));
  assert.equal(gone.conversationId, CONV);
  assert.equal(r.offers.size, 0);
  assert.equal(r.withdraw(golden('s2c-offer-withdrawn')), null, 'already accepted/declined here: no toast');
  assert.equal(r.offer({ type: 'offer' }), false, 'no conversationId: ignored');
});

test('drop (we accepted or declined) removes the offer so the later offer_withdrawn is silent', () => {
  const r = new RoutingState(AGENT);
  r.offer(golden('s2c-offer'));
  assert.equal(r.drop(CONV).conversationId, CONV);
  assert.equal(r.withdraw(golden('s2c-offer-withdrawn')), null);
});

test('offers sort by expiry; prune drops only those past expiresAt + grace', () => {
  const r = new RoutingState(AGENT);
  r.offer({ ...golden('s2c-offer'), conversationId: 'late', expiresAt: '2026-11-22T10:01:00Z' });
  r.offer(golden('s2c-offer'));
  r.offer({ ...golden('s2c-offer'), conversationId: 'junk', expiresAt: 'never' });
  assert.deepEqual(r.sortedOffers().map((o) => o.conversationId), ['junk', CONV, 'late']);
  assert.deepEqual(r.prune(EXPIRES + OFFER_GRACE_MS), ['junk'], 'at the grace limit the offer stays');
  assert.deepEqual(r.prune(EXPIRES + OFFER_GRACE_MS + 1), [CONV]);
  assert.deepEqual([...r.offers.keys()], ['late']);
});

test('a conversation leaving the queue takes its offer and alert with it', () => {
  const r = new RoutingState(ADMIN);
  r.offer(golden('s2c-offer'));
  r.alert(golden('s2c-alert'));
  assert.equal(r.conversationChanged({ id: CONV, state: 'queued' }), false);
  assert.equal(r.offers.size + r.alerts.size, 2);
  assert.equal(r.conversationChanged(golden('s2c-conversation').conversation), true, 'assigned');
  assert.equal(r.offers.size + r.alerts.size, 0);
  assert.equal(r.conversationChanged({ id: CONV, state: 'resolved' }), false, 'nothing left to remove');
});

test('our own presence frame sets status and load; before any frame we are online', () => {
  const r = new RoutingState(AGENT);
  assert.equal(r.status, 'online');
  assert.equal(r.self, null);
  assert.equal(r.presence(golden('s2c-presence')), 'self');
  assert.deepEqual(r.self, { status: 'online', load: 2, cap: 3, reason: null });
  assert.equal(r.presence({ ...golden('s2c-presence'), status: 'away', load: 3 }), 'self');
  assert.equal(r.status, 'away');
  assert.equal(formatLoad(r.self.load, r.self.cap), '3 / 3');
  assert.equal(r.agents.size, 0, 'an agent never lists themself');
  assert.equal(r.presence({ type: 'presence', status: 'online' }), null, 'no agent: ignored');
});

test('admins collect other agents\' presence, sorted online → away → offline, by name; never themselves', () => {
  const r = new RoutingState(ADMIN);
  assert.equal(r.isAdmin, true);
  const p = (id, name, status, load = 0) => ({ type: 'presence', agent: { id, name }, status, load, cap: 3 });
  assert.equal(r.presence(p('ag_3', '최상담', 'offline')), 'other');
  r.presence(p('ag_2', '박상담', 'away', 1));
  r.presence(p('ag_1', '김소담', 'online', 2));
  r.presence(p('ag_4', '강상담', 'online'));
  assert.equal(r.presence(p('ad_1', '관리자', 'online')), 'self');
  assert.deepEqual(r.agentRows().map((a) => [a.name, a.status]), [
    ['강상담', 'online'], ['김소담', 'online'], ['박상담', 'away'], ['최상담', 'offline'],
  ]);
  r.presence(p('ag_2', '박상담', 'online', 2)); // a change replaces the row
  assert.equal(r.agents.get('ag_2').status, 'online');
  assert.equal(r.agents.get('ag_2').load, 2);
  assert.equal(r.agents.size, 4);
});

test('a presence frame that came before the welcome is re-filed once we know who we are', () => {
  const r = new RoutingState(null);
  assert.equal(r.presence(golden('s2c-presence')), 'other');
  r.setMe({ id: 'ag_1', name: '김소담', role: 'agent' });
  assert.equal(r.agents.size, 0, 'not listed as someone else');
  assert.equal(r.presence(golden('s2c-presence')), 'self');
});

test('alerts: new once, kept until dismissed; clear forgets the session', () => {
  const r = new RoutingState(ADMIN);
  assert.equal(r.alert(golden('s2c-alert')), true);
  assert.equal(r.alert(golden('s2c-alert')), false);
  assert.equal(r.alerts.get(CONV).code, 'unplaced');
  assert.equal(r.dismissAlert(CONV), true);
  assert.equal(r.alerts.size, 0);
  r.alert(golden('s2c-alert'));
  r.offer(golden('s2c-offer'));
  r.presence(golden('s2c-presence'));
  r.clear();
  assert.equal(r.alerts.size + r.offers.size + r.agents.size, 0);
  assert.equal(r.self, null);
});

test('the unplaced alert and presence labels read well in both languages', () => {
  const ko = translator('ko');
  const en = translator('en');
  assert.equal(ko('console.alert.unplaced', { name: '방문자 7' }), '방문자 7 님의 상담을 아무도 수락하지 않았어요');
  assert.equal(en('console.alert.unplaced', { name: 'Visitor 7' }), 'Nobody accepted the chat with Visitor 7');
  assert.deepEqual(['online', 'away', 'offline'].map((s) => ko(`console.presence.${s}`)), ['온라인', '자리 비움', '오프라인']);
  assert.deepEqual(['online', 'away', 'offline'].map((s) => en(`console.presence.${s}`)), ['Online', 'Away', 'Offline']);
});

test("refusals are said in the console's language by code, never with the server's English", () => {
  const ko = translator('ko');
  const en = translator('en');
  const full = { status: 'online', load: 3, cap: 3 };
  assert.equal(ko('console.acceptConflict', { message: errorReason(ko, 'conflict', { action: 'accept', self: full }) }),
    '수락할 수 없어요: 동시 상담 한도(3개)에 닿았어요. 진행 중인 상담을 마친 뒤 수락해 주세요.');
  assert.equal(en('console.acceptConflict', { message: errorReason(en, 'conflict', { action: 'accept', self: full }) }),
    'Could not accept: you are at your limit of 3 chats. Finish one first.');
  assert.equal(errorReason(ko, 'conflict', { action: 'accept', self: { load: 1, cap: 3 } }),
    '이미 다른 상담원이 맡았거나 더는 대기 중이 아니에요.');
  assert.equal(errorReason(ko, 'conflict', { action: 'accept', self: null }), '이미 다른 상담원이 맡았거나 더는 대기 중이 아니에요.');
  assert.equal(errorReason(ko, 'conflict', { action: 'transfer' }), '받는 상담원이 한도에 닿았거나 상담 상태가 그새 바뀌었어요.');
  assert.equal(errorReason(ko, 'forbidden', { action: 'note' }), '이 상담에 대한 권한이 없어요.');
  assert.equal(errorReason(en, 'not_found', { action: 'transfer' }), 'chat not found.');
  assert.equal(errorReason(ko, 'conflict'), '상담 상태가 그새 바뀌었어요.');
  assert.equal(errorReason(ko, 'weird_new_code'), ko('error.generic'));
  for (const code of ['conflict', 'forbidden', 'not_found', 'bad_request', 'too_large']) {
    for (const action of [null, 'accept', 'transfer', 'note']) {
      assert.doesNotMatch(errorReason(ko, code, { action, self: full }), /[A-Za-z]/, `${action} ${code} in Korean`);
    }
  }
});

test('transferTargets: who can take the chat first (least busy first), then the rest greyed by why not', () => {
  const answer = golden('s2c-colleagues');
  const rows = transferTargets([
    ...answer.colleagues,
    { id: 'ag_6', name: '가나다', teams: [], state: 'online', load: 2, cap: 3, available: true },
    { id: 'ag_7', name: '퇴사자', teams: [], state: 'offline', load: 0, cap: 3, available: false, reason: 'disabled' },
    { id: 'ag_8', name: '나미접속', teams: [], state: 'offline', load: 0, cap: 3, available: false, reason: 'offline' },
  ]);
  assert.deepEqual(rows.map((r) => [r.id, r.pickable, r.reason]), [
    ['ag_2', true, null], // load 1 before load 2, whatever the name
    ['ag_6', true, null],
    ['ag_3', false, 'at_limit'],
    ['ag_4', false, 'away'],
    ['ag_8', false, 'offline'],
    ['ag_5', false, 'pending'],
  ], 'a disabled account is left out');
  assert.deepEqual(rows[0], {
    id: 'ag_2', name: '이결제', pickable: true, reason: null, state: 'online', load: 1, cap: 3, teams: ['payment'],
  });
});

test('transferTargets: only available:true is pickable; junk entries and answers are survived', () => {
  assert.deepEqual(transferTargets(undefined), []);
  assert.deepEqual(transferTargets({}), []);
  const rows = transferTargets([null, { name: 'no id' }, { id: 'ag_9', available: 'yes' }, { id: 'ag_10', name: '가', available: true }]);
  assert.deepEqual(rows.map((r) => [r.id, r.name, r.pickable, r.reason]), [
    ['ag_10', '가', true, null],
    ['ag_9', 'ag_9', false, 'offline'],
  ]);
});

test('a declined chat is marked until it is offered again or leaves the queue', () => {
  const r = new RoutingState(AGENT);
  r.offer(golden('s2c-offer'));
  assert.equal(r.decline(CONV).conversationId, CONV, 'the offer is gone');
  assert.equal(r.offers.size, 0);
  assert.ok(r.declined.has(CONV), 'marked: the server holds it back from us for a while, it stays queued');
  assert.equal(r.conversationChanged({ id: CONV, state: 'queued' }), false, 'still queued: still marked');
  assert.ok(r.declined.has(CONV));
  r.offer(golden('s2c-offer'));
  assert.equal(r.declined.has(CONV), false, 'offered again after the cool-off: no longer marked');

  r.decline(CONV);
  assert.equal(r.conversationChanged({ id: CONV, state: 'assigned' }), true);
  assert.equal(r.declined.has(CONV), false, 'taken: nothing to mark');

  r.withdraw({ type: 'offer_withdrawn', conversationId: 'cv_other_tab', reason: 'declined' });
  assert.ok(r.declined.has('cv_other_tab'), 'declined in another tab of ours');
  r.withdraw({ type: 'offer_withdrawn', conversationId: 'cv_timeout', reason: 'timeout' });
  assert.equal(r.declined.has('cv_timeout'), false, 'a timeout is not a decline');
  r.clear();
  assert.equal(r.declined.size, 0);
});

test('the declined mark speaks Korean and English', () => {
  for (const key of ['console.declined', 'console.declinedLabel']) {
    assert.ok(key in stringTables().ko && key in stringTables().en, key);
  }
  assert.equal(translator('ko')('console.declined'), '거절함');
});

// Regression: an agent the server set away after offers ran out unanswered (routing.awayAfterMissedOffers)
// only saw "자리 비움" and no more offers, and not why or how to get chats again.
test('set away for missed offers: the reason is kept while away, through frames without it, until online', () => {
  const r = new RoutingState(AGENT);
  assert.equal(r.awayReason, null, 'nothing said yet');
  r.presence(golden('s2c-presence'));
  assert.equal(r.awayReason, null, 'online');
  const missed = golden('s2c-presence-missed-offers');
  assert.equal(missed.reason, 'missed_offers');
  assert.equal(r.presence(missed), 'self');
  assert.equal(r.status, 'away');
  assert.equal(r.awayReason, 'missed_offers');
  // The requeue that follows tells the new load, without a reason: still the same away.
  r.presence({ ...missed, reason: undefined, load: 0 });
  assert.equal(r.awayReason, 'missed_offers');
  r.presence({ ...golden('s2c-presence'), load: 0 }); // the agent pressed 'online'
  assert.equal(r.awayReason, null);
  assert.equal(r.status, 'online');
  r.presence({ ...golden('s2c-presence'), status: 'away' }); // their own choice later: no reason
  assert.equal(r.awayReason, null);
  r.presence(missed);
  r.presence({ ...golden('s2c-presence'), status: 'offline' }); // another status: the reason no longer holds
  assert.equal(r.awayReason, null);
  r.presence(missed);
  r.clear();
  assert.equal(r.awayReason, null, 'logout forgets it');
});

test('a console that connects while we are away for missed offers shows why from its first frame', () => {
  // A reloaded page or a second tab: the server's presence frame on connect carries the reason.
  const reloaded = new RoutingState(AGENT);
  const missed = golden('s2c-presence-missed-offers');
  assert.equal(reloaded.presence(missed), 'self');
  assert.equal(reloaded.awayReason, 'missed_offers');
  // Repeated with every presence frame while it lasts (a load change, another tab connecting).
  reloaded.presence({ ...missed, load: 0 });
  assert.equal(reloaded.awayReason, 'missed_offers');
  reloaded.presence({ ...golden('s2c-presence'), load: 0 });
  assert.equal(reloaded.awayReason, null);
  // Before the welcome, with the login's user known (the page's session): still ours.
  const early = new RoutingState({ id: 'ag_1', name: '김소담', role: 'agent' });
  assert.equal(early.presence(missed), 'self');
  assert.equal(early.awayReason, 'missed_offers');
  // A supervisor's roster on connect says it too.
  const admin = new RoutingState(ADMIN);
  admin.presence(missed);
  assert.equal(admin.agents.get('ag_1').reason, 'missed_offers');
});

test('supervisors see why a colleague was set away, until they come back', () => {
  const r = new RoutingState(ADMIN);
  r.presence(golden('s2c-presence-missed-offers'));
  assert.equal(r.agents.get('ag_1').reason, 'missed_offers');
  r.presence({ ...golden('s2c-presence-missed-offers'), reason: undefined });
  assert.equal(r.agents.get('ag_1').reason, 'missed_offers', 'a load change keeps it');
  r.presence(golden('s2c-presence'));
  assert.equal(r.agents.get('ag_1').reason, null);
});

test('the set-away notice says what happened and how to come back, in Korean and English', () => {
  const ko = translator('ko');
  const en = translator('en');
  assert.equal(ko('console.awayNotice.missed_offers'),
    "응답이 없어 자리 비움으로 바뀌었어요. 다시 상담을 받으려면 '온라인'을 누르세요.");
  assert.equal(en('console.awayNotice.missed_offers'),
    "Offers went unanswered, so your status was set to Away. To get chats again, press 'Online'.");
  // The button the notice names is called what the notice says, and is the presence select's word.
  assert.equal(ko('console.awayNotice.online'), ko('console.presence.online'));
  assert.equal(en('console.awayNotice.online'), en('console.presence.online'));
  assert.notEqual(ko('console.presenceReason.missed_offers'), 'console.presenceReason.missed_offers');
  assert.notEqual(en('console.presenceReason.missed_offers'), 'console.presenceReason.missed_offers');
});

test('the console draws the notice with text, never HTML, and its button sends presence online', async () => {
  const { readFileSync } = await import('node:fs');
  const js = readFileSync(new URL('../src/console/console.js', import.meta.url), 'utf8');
  const html = readFileSync(new URL('../src/console/index.html', import.meta.url), 'utf8');
  assert.match(html, /data-testid="away-notice"[^>]*role="alert"/);
  const fn = js.slice(js.indexOf('function renderAwayNotice'), js.indexOf('function renderPresence'));
  assert.ok(fn.length > 0, 'renderAwayNotice exists');
  assert.match(fn, /testid: 'away-notice-text'/);
  assert.match(fn, /testid: 'away-notice-online'/);
  assert.match(fn, /presence\('online'\)/);
  assert.doesNotMatch(fn, /innerHTML|insertAdjacentHTML|outerHTML/);
});
