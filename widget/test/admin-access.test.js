// The users / teams / audit page and the password page: pure helpers and string tables.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { auditQuery, inviteBody, splitList, teamBody, auditChange, linkToken } from '../src/admin/access-model.js';
import { accessTranslator, accessStringTables } from '../src/admin/access-strings.js';

test('the audit query carries only the filters that are set, and the format', () => {
  assert.equal(auditQuery({ actor: ' ', action: 'user.disable', type: '', from: '2026-11-01', to: '' }),
    '?action=user.disable&from=2026-11-01');
  assert.equal(auditQuery({}), '');
  assert.equal(auditQuery({ type: 'faq' }, 'csv'), '?type=faq&format=csv');
});

test('an invite leaves out blank optional fields so the server decides', () => {
  assert.deepEqual(inviteBody({ email: ' a@b.kr ', name: ' 김 ', role: 'agent', siteId: '', maxChats: '', password: '' }),
    { email: 'a@b.kr', name: '김', role: 'agent' });
  assert.deepEqual(inviteBody({ email: 'a@b.kr', name: '김', role: 'admin', siteId: 'shop2', maxChats: '4', password: 'x' }),
    { email: 'a@b.kr', name: '김', role: 'admin', siteId: 'shop2', maxChats: 4, password: 'x' });
});

test('a team form becomes a body; hours must be JSON or empty (always open)', () => {
  assert.deepEqual(splitList('배송, returns,,배송 '), ['배송', 'returns']);
  const form = { id: 'vip ', nameKo: '우수', nameEn: 'VIP', tags: 'vip', allAgents: false, members: ['ag_1'], hoursText: '' };
  assert.deepEqual(teamBody(form, 3).body, { id: 'vip', name: { ko: '우수', en: 'VIP' }, allAgents: false, tags: ['vip'],
    members: ['ag_1'], hours: null, version: 3 });
  assert.deepEqual(teamBody({ ...form, hoursText: '{"timeZone":"Asia/Seoul"}' }).body.hours, { timeZone: 'Asia/Seoul' });
  assert.deepEqual(teamBody({ ...form, hoursText: '{broken' }), { error: 'hours' });
});

test('an audit change names what differs, ignoring version bookkeeping', () => {
  assert.equal(auditChange({ name: '김', role: 'agent', version: 1 }, { name: '김', role: 'admin', version: 2 }), 'role: agent → admin');
  assert.equal(auditChange(null, { id: 'x', siteId: null }), 'id=x');
  assert.equal(auditChange({ id: 'x' }, null), 'id=x');
  assert.match(auditChange(null, { answer: 'a'.repeat(100) }), /…$/);
});

test('the password page reads the token from the fragment only', () => {
  assert.equal(linkToken('#token=inv_abc%2B1'), 'inv_abc+1');
  assert.equal(linkToken(''), null);
  assert.equal(linkToken('#other=1'), null);
});

test('Korean and English access strings define the same keys and placeholders, and the pages use only known keys', () => {
  const { ko, en } = accessStringTables();
  assert.deepEqual(Object.keys(ko).sort(), Object.keys(en).sort());
  const placeholders = (s) => (s.match(/\{\w+\}/g) ?? []).sort();
  for (const key of Object.keys(ko)) assert.deepEqual(placeholders(ko[key]), placeholders(en[key]), key);
  assert.equal(accessTranslator('ja')('access.nav.users'), 'Users');
  for (const page of ['access.html', 'password.html']) {
    const html = readFileSync(new URL(`../src/admin/${page}`, import.meta.url), 'utf8');
    for (const m of html.matchAll(/data-i18n(?:-label|-placeholder)?="([^"]+)"/g)) assert.ok(m[1] in ko, `${page}: ${m[1]}`);
  }
  for (const file of ['access.js', 'sites.js']) {
    const js = readFileSync(new URL(`../src/admin/${file}`, import.meta.url), 'utf8');
    for (const m of js.matchAll(/t\('([\w.]+)'/g)) assert.ok(m[1] in ko, `${file}: ${m[1]}`);
  }
});

test('the sites pane: the key only when adding, origins and quick replies one per line, blank texts left alone', async () => {
  const { siteBody, siteSettingsBody, splitLines } = await import('../src/admin/access-model.js');
  assert.deepEqual(splitLines(' self \r\nhttps://a.example\n\nhttps://a.example\n'), ['self', 'https://a.example']);
  assert.deepEqual(siteBody({ id: ' north ', name: ' 북쪽 ', origins: 'https://north.example\nself' }, true),
    { id: 'north', name: '북쪽', allowedOrigins: ['https://north.example', 'self'] });
  assert.deepEqual(siteBody({ id: 'north', name: '  ', origins: '' }, false), { allowedOrigins: [] });
  assert.deepEqual(siteSettingsBody({
    greetingKo: ' 어서 오세요 ', greetingEn: '', accentColor: '', privacyKo: '', privacyEn: 'We keep it a year.',
    quickKo: '배송 조회\n상담원 연결', quickEn: '',
  }), {
    greeting: { ko: '어서 오세요' }, privacy: { en: 'We keep it a year.' },
    quickReplies: { ko: ['배송 조회', '상담원 연결'], en: [] },
  });
});

test('the integrations pane: a key needs a name and a scope; a delivery shows its status or its error', async () => {
  const { keyBody, lastAnswer, EVENTS } = await import('../src/admin/integrations-model.js');
  assert.equal(keyBody('demo', '  ', ['read'], ''), null);
  assert.equal(keyBody('demo', 'CRM', [], ''), null);
  assert.deepEqual(keyBody('demo', ' CRM ', ['read', 'write'], ''), { site: 'demo', name: 'CRM', scopes: ['read', 'write'] });
  assert.deepEqual(keyBody('shop', 'Kakao', ['write'], ' kakao '), { site: 'shop', name: 'Kakao', scopes: ['write'], channel: 'kakao' });
  assert.equal(lastAnswer({ lastStatus: 500, lastError: 'HTTP 500' }), '500');
  assert.equal(lastAnswer({ lastStatus: null, lastError: 'timed out' }), 'timed out');
  assert.equal(lastAnswer({ lastStatus: null, lastError: null }), '');
  assert.equal(EVENTS.length, 7);
});
