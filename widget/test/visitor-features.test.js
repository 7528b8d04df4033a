// Pure parts of the widget's newer features: links, notices in the current language, identify's
// frame, the feedback rule, and the guards on site settings (URLs, colours, offline choice).
import test from 'node:test';
import assert from 'node:assert/strict';
import { linkify } from '../src/js/dom.js';
import { noticeText, translator } from '../src/js/i18n.js';
import { identityFrame } from '../src/js/visitor/widget.js';
import { wantsThumbs } from '../src/js/visitor/feedback.js';
import { safeUrl, safeColor, wantsOfflineForm, agentsAvailable, unavailability, localized } from '../src/js/visitor/settings.js';

// linkify builds <a> with document.createElement: a stand-in records what it was given.
globalThis.document = { createElement: (tag) => ({ tag }) };
const shape = (nodes) => nodes.map((n) => (typeof n === 'string' ? n : { href: n.href, text: n.textContent, rel: n.rel, target: n.target }));

test('linkify links http(s) URLs only, without trailing punctuation, and keeps all text', () => {
  const nodes = linkify('주문 조회: https://shop.example/orders?id=1. 또는 javascript:alert(1) 와 <b>http://a.example</b>');
  assert.deepEqual(shape(nodes), [
    '주문 조회: ',
    { href: 'https://shop.example/orders?id=1', text: 'https://shop.example/orders?id=1', rel: 'noopener noreferrer', target: '_blank' },
    '. 또는 javascript:alert(1) 와 <b>',
    { href: 'http://a.example/', text: 'http://a.example', rel: 'noopener noreferrer', target: '_blank' },
    '</b>',
  ]);
  assert.deepEqual(shape(linkify('no links here')), ['no links here']);
  assert.deepEqual(shape(linkify('')), []);
  assert.deepEqual(shape(linkify('data:text/html,<script>x</script> ftp://x.example')),
    ['data:text/html,<script>x</script> ftp://x.example']);
});

test('noticeText says a notice in the asked language, picks {ko,en} params, renames, or gives null', () => {
  assert.equal(noticeText({ code: 'agent.joined', params: { name: '김소담' } }, 'ko'), '김소담 상담원이 연결되었어요.');
  assert.equal(noticeText({ code: 'agent.joined', params: { name: '김소담' } }, 'en'), '김소담 has joined the chat.');
  assert.equal(noticeText({ code: 'agent.joined', params: { name: '김소담' } }, 'en', { rename: () => 'Agent' }),
    'Agent has joined the chat.');
  assert.equal(noticeText({ code: 'transfer.team', params: { team: { ko: '배송', en: 'Delivery' } } }, 'en'),
    'Transferring you to the Delivery team.');
  assert.match(noticeText({ code: 'handoff.closed', params: { team: { ko: '배송', en: 'Delivery' }, opensAt: '2026-11-23T00:00:00Z' } }, 'ko'),
    /^배송 상담 시간이 아니에요\. .+부터 답변드릴게요/);
  assert.equal(noticeText({ code: 'no.such.code', params: {} }, 'ko'), null);
  assert.equal(noticeText(null, 'ko'), null);
});

test('identityFrame maps id to externalId, keeps text-like attributes and drops the rest', () => {
  assert.deepEqual(identityFrame({ name: ' 김민지 ', email: 'm@example.com', id: 42,
    attributes: { plan: 'pro', orders: 12, vip: true, nested: { a: 1 }, fn: () => 1 } }),
  { name: '김민지', email: 'm@example.com', externalId: '42', attributes: { plan: 'pro', orders: '12', vip: 'true' } });
  assert.equal(identityFrame(null), null);
  assert.equal(identityFrame('x'), null);
  assert.deepEqual(identityFrame({}), { attributes: {} });
});

test('👍/👎 goes under bot answers, not under "did you mean" lists or other speakers', () => {
  assert.equal(wantsThumbs({ messageId: 'm1', from: { kind: 'bot' } }), true);
  assert.equal(wantsThumbs({ messageId: 'm1', from: { kind: 'bot' }, suggestions: [{ faqId: 'x', question: 'q' }] }), false);
  assert.equal(wantsThumbs({ messageId: 'm1', from: { kind: 'agent' } }), false);
  assert.equal(wantsThumbs({ from: { kind: 'bot' } }), false);
});

test('settings guards: http(s) URLs, #rrggbb colours, the offline form only when nobody can answer', () => {
  assert.equal(safeUrl('https://shop.example/logo.png'), 'https://shop.example/logo.png');
  assert.equal(safeUrl('javascript:alert(1)'), null);
  assert.equal(safeUrl('/relative.png'), null);
  assert.equal(safeColor('#AA3300'), '#AA3300');
  assert.equal(safeColor('red; background:url(x)'), null);
  assert.equal(localized({ ko: '안녕', en: 'Hi' }, 'en'), 'Hi');
  assert.equal(localized({ ko: '안녕' }, 'en'), '안녕');
  const open = { hours: { open: true }, agentsOnline: true, offline: { mode: 'form' } };
  assert.equal(agentsAvailable(open), true);
  assert.equal(wantsOfflineForm(open), false);
  assert.equal(wantsOfflineForm({ ...open, agentsOnline: false }), true);
  assert.equal(wantsOfflineForm({ ...open, hours: { open: false } }), true);
  assert.equal(wantsOfflineForm({ ...open, agentsOnline: false, offline: { mode: 'chat' } }), false);
  assert.equal(wantsOfflineForm(null), false);
});

test('no agent online within hours is told apart from outside hours, in both languages', () => {
  // GET /api/sites/demo/settings while the team is open but nobody is connected.
  const openNobodyOnline = { hours: { open: true }, agentsOnline: false };
  assert.equal(unavailability(openNobodyOnline), 'noAgent');
  assert.equal(unavailability({ hours: { open: false }, agentsOnline: false }), 'closed');
  assert.equal(unavailability({ hours: { open: false }, agentsOnline: true }), 'closed');
  assert.equal(unavailability({ hours: { open: true }, agentsOnline: true }), null);
  assert.equal(unavailability(null), null, 'unknown settings: no claim either way');
  assert.equal(agentsAvailable(openNobodyOnline), false);
  for (const locale of ['ko', 'en']) {
    const t = translator(locale);
    // The widget's status line says t(`offline.${reason}`).
    const [closed, noAgent] = ['closed', 'noAgent'].map((reason) => t(`offline.${reason}`));
    assert.notEqual(closed, 'offline.closed', locale);
    assert.notEqual(noAgent, 'offline.noAgent', locale);
    assert.notEqual(closed, noAgent, locale);
  }
  const ko = translator('ko');
  assert.match(ko('offline.closed'), /상담 시간이 아니에요/);
  assert.doesNotMatch(ko('offline.noAgent'), /상담 시간/, 'within hours it is not about the hours');
  assert.match(ko('offline.noAgent'), /상담원이 없어요/);
});
