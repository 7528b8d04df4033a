// Canned responses (src/console/canned.js): "/" query, filtering, insertion, validation, the
// server-backed book, the API calls, and moving an old localStorage list to the server.
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  LEGACY_DEFAULTS, CannedBook, cannedApi, cannedQuery, filterCanned, applyCanned, normalizeShortcut, validateCanned,
  legacyCanned, MAX_TEXT,
} from '../src/console/canned.js';

test('the list opens only for "/" at the very start, with no space after it', () => {
  assert.equal(cannedQuery('/'), '');
  assert.equal(cannedQuery('/배'), '배');
  assert.equal(cannedQuery('/Ship'), 'ship');
  assert.equal(cannedQuery(''), null);
  assert.equal(cannedQuery('배송 /배'), null);
  assert.equal(cannedQuery(' /배'), null);
  assert.equal(cannedQuery('/배송 문의'), null, 'a space ends the shortcut: it is a sentence now');
  assert.equal(cannedQuery('/\n'), null);
  assert.equal(cannedQuery(undefined), null);
});

test('filtering: shortcut prefix first, then shortcut or text containing it; the chat language first', () => {
  const items = LEGACY_DEFAULTS.map((c) => ({ ...c }));
  assert.deepEqual(filterCanned(items, '배').map((c) => c.shortcut), ['배송']);
  assert.deepEqual(filterCanned(items, '').map((c) => c.locale), ['ko', 'ko', 'ko', 'ko', 'en', 'en', 'en', 'en']);
  assert.deepEqual(filterCanned(items, '', 'en').slice(0, 4).map((c) => c.locale), ['en', 'en', 'en', 'en']);
  assert.equal(filterCanned(items, '', 'ko')[0].shortcut, '인사');
  assert.deepEqual(filterCanned(items, 'ref').map((c) => c.shortcut), ['refund']);
  assert.deepEqual(filterCanned(items, '주문번호').map((c) => c.shortcut), ['배송'], 'found in the text');
  assert.deepEqual(filterCanned(items, 'zzz'), []);
  const mixed = [{ shortcut: 'xship', locale: 'en', text: 'a' }, { shortcut: 'ship', locale: 'en', text: 'b' }];
  assert.deepEqual(filterCanned(mixed, 'ship').map((c) => c.shortcut), ['ship', 'xship'], 'prefix beats contains');
});

test('picking a response replaces the "/query" with its text', () => {
  const item = { shortcut: '배송', locale: 'ko', text: '배송 안내' };
  assert.equal(applyCanned('/배', item), '배송 안내');
  assert.equal(applyCanned('/', item), '배송 안내');
  assert.equal(applyCanned('고객님, ', item), '고객님, 배송 안내');
});

test('validation normalises the shortcut and refuses empty or oversized input', () => {
  assert.deepEqual(validateCanned({ shortcut: ' /교환 ', text: ' 교환은 7일 안에 ', locale: 'ko' }).draft,
    { shortcut: '교환', locale: 'ko', text: '교환은 7일 안에', scope: 'personal' });
  assert.equal(validateCanned({ shortcut: 'a', text: 'b', locale: 'fr', scope: 'shared' }).draft.locale, 'ko');
  assert.equal(validateCanned({ shortcut: 'a', text: 'b', scope: 'shared' }).draft.scope, 'shared');
  assert.deepEqual(validateCanned({ shortcut: ' / ', text: 'x' }), { error: 'shortcut' });
  assert.deepEqual(validateCanned({ shortcut: 'a', text: '  ' }), { error: 'text' });
  assert.deepEqual(validateCanned({ shortcut: 'a', text: 'x'.repeat(MAX_TEXT + 1) }), { error: 'text' });
  assert.equal(normalizeShortcut('/Ship Now'), 'shipnow');
});

test('the book keeps well-formed items; own ones are deletable, shared ones only by who manages them', () => {
  const book = new CannedBook();
  book.set([{ id: 'cr_1', scope: 'personal', shortcut: 'a', locale: 'en', text: 'x' },
    { id: 'cr_2', scope: 'shared', shortcut: 'b', locale: 'xx', text: 'y' }, { id: 'cr_3', shortcut: '', text: 'z' }, null]);
  assert.deepEqual(book.list().map((c) => [c.id, c.scope, c.locale]), [['cr_1', 'personal', 'en'], ['cr_2', 'shared', 'ko']]);
  assert.equal(CannedBook.deletable(book.list()[0], false), true);
  assert.equal(CannedBook.deletable(book.list()[1], false), false);
  assert.equal(CannedBook.deletable(book.list()[1], true), true);
  book.set('nonsense');
  assert.deepEqual(book.list(), []);
});

test('the API sends the token and says what failed', async () => {
  const seen = [];
  const fetchImpl = async (url, init) => {
    seen.push([init.method, url, init.headers.Authorization, init.body]);
    if (init.method === 'DELETE') return { ok: false, status: 403, json: async () => ({ code: 'forbidden', message: 'only admins' }) };
    return { ok: true, status: 200, json: async () => ({ canned: [] }) };
  };
  const api = cannedApi('tok', fetchImpl);
  assert.deepEqual(await api.list(), { ok: true, body: { canned: [] } });
  await api.add({ shortcut: 'a', locale: 'ko', text: 'b', scope: 'personal' });
  assert.deepEqual(await api.remove('cr/1'), { ok: false, status: 403, code: 'forbidden', message: 'only admins' });
  assert.deepEqual(seen.map((s) => s.slice(0, 3)), [['GET', '/api/workspace/canned', 'Bearer tok'],
    ['POST', '/api/workspace/canned', 'Bearer tok'], ['DELETE', '/api/workspace/canned/cr%2F1', 'Bearer tok']]);
  assert.deepEqual(JSON.parse(seen[1][3]), { shortcut: 'a', locale: 'ko', text: 'b', scope: 'personal' });
  const offline = cannedApi('tok', async () => { throw new Error('down'); });
  assert.deepEqual(await offline.list(), { ok: false, status: 0, code: 'network', message: '' });
});

test('an old localStorage list uploads only what the agent wrote themselves', () => {
  const own = { shortcut: '교환', locale: 'ko', text: '교환은 7일 안에 가능해요' };
  const raw = JSON.stringify([...LEGACY_DEFAULTS, own, { shortcut: '', text: 'x' }, null, { shortcut: 'x' }]);
  assert.deepEqual(legacyCanned(raw), [{ ...own, scope: 'personal' }]);
  assert.deepEqual(legacyCanned(null), []);
  assert.deepEqual(legacyCanned('{not json'), []);
  assert.deepEqual(legacyCanned('{"a":1}'), []);
});
