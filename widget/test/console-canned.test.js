// Personal canned responses (src/console/canned.js): "/" query, filtering, insertion, storage.
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  CannedStore, DEFAULT_CANNED, cannedQuery, filterCanned, applyCanned, normalizeShortcut, MAX_TEXT,
} from '../src/console/canned.js';

function storage() {
  const data = new Map();
  return { data, get: (k) => data.get(k) ?? null, set: (k, v) => data.set(k, v), remove: (k) => data.delete(k) };
}

test('four Korean and four English defaults, each with a distinct shortcut', () => {
  assert.equal(DEFAULT_CANNED.filter((c) => c.locale === 'ko').length, 4);
  assert.equal(DEFAULT_CANNED.filter((c) => c.locale === 'en').length, 4);
  assert.equal(new Set(DEFAULT_CANNED.map((c) => c.shortcut)).size, 8);
  assert.ok(DEFAULT_CANNED.some((c) => c.shortcut === '배송'));
  for (const c of DEFAULT_CANNED) assert.equal(normalizeShortcut(c.shortcut), c.shortcut);
});

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
  const items = DEFAULT_CANNED.map((c) => ({ ...c }));
  assert.deepEqual(filterCanned(items, '배').map((c) => c.shortcut), ['배송']);
  assert.deepEqual(filterCanned(items, '').map((c) => c.locale), ['ko', 'ko', 'ko', 'ko', 'en', 'en', 'en', 'en']);
  assert.deepEqual(filterCanned(items, '', 'en').slice(0, 4).map((c) => c.locale), ['en', 'en', 'en', 'en']);
  assert.equal(filterCanned(items, '', 'ko')[0].shortcut, '인사');
  // "ref" starts "refund"; "환불" is also in the Korean /환불 text… and only there.
  assert.deepEqual(filterCanned(items, 'ref').map((c) => c.shortcut), ['refund']);
  const byText = filterCanned(items, '주문번호').map((c) => c.shortcut);
  assert.deepEqual(byText, ['배송'], 'found in the text');
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

test('the store seeds the defaults, adds, replaces, deletes and resets', () => {
  const s = storage();
  const store = new CannedStore(s, 'canned:ag_1');
  assert.equal(store.list().length, 8, 'seeded');
  assert.equal(s.data.size, 0, 'nothing written until a change');
  assert.deepEqual(store.add({ shortcut: ' /교환 ', text: ' 교환은 7일 안에 가능해요 ', locale: 'ko' }).item,
    { shortcut: '교환', locale: 'ko', text: '교환은 7일 안에 가능해요' });
  assert.equal(store.list().length, 9);
  store.add({ shortcut: '교환', text: '바뀐 안내', locale: 'ko' });
  assert.equal(store.list().filter((c) => c.shortcut === '교환').length, 1, 'same shortcut and language: replaced');
  assert.equal(store.list().at(-1).text, '바뀐 안내');
  store.add({ shortcut: '교환', text: 'Exchanges within 7 days', locale: 'en' });
  assert.equal(store.list().filter((c) => c.shortcut === '교환').length, 2, 'another language is another response');
  assert.equal(store.remove({ shortcut: '배송', locale: 'ko' }), true);
  assert.equal(store.remove({ shortcut: '배송', locale: 'ko' }), false);
  assert.ok(!store.list().some((c) => c.shortcut === '배송'));
  assert.equal(new CannedStore(s, 'canned:ag_1').list().length, 9, 'another page sees the same');
  assert.equal(new CannedStore(s, 'canned:ag_2').list().length, 8, 'per agent');
  store.reset();
  assert.equal(store.list().length, 8);
});

test('the store refuses empty or oversized input and survives broken storage', () => {
  const store = new CannedStore(storage());
  assert.deepEqual(store.add({ shortcut: ' / ', text: 'x' }), { error: 'shortcut' });
  assert.deepEqual(store.add({ shortcut: 'a', text: '  ' }), { error: 'text' });
  assert.deepEqual(store.add({ shortcut: 'a', text: 'x'.repeat(MAX_TEXT + 1) }), { error: 'text' });
  assert.equal(normalizeShortcut('/Ship Now'), 'shipnow');
  const s = storage();
  s.set('canned', '{not json');
  assert.equal(new CannedStore(s).list().length, 8, 'unreadable: defaults');
  s.set('canned', JSON.stringify([{ shortcut: 'ok', text: 'fine', locale: 'fr' }, { shortcut: '', text: 'x' }, null]));
  assert.deepEqual(new CannedStore(s).list(), [{ shortcut: 'ok', locale: 'ko', text: 'fine' }]);
  s.set('canned', '[]');
  assert.deepEqual(new CannedStore(s).list(), [], 'an agent who deleted everything keeps nothing');
  const throwing = new CannedStore({ get() { throw new Error('x'); }, set() { throw new Error('x'); }, remove() { throw new Error('x'); } });
  assert.equal(throwing.list().length, 8);
  assert.ok(throwing.add({ shortcut: 'a', text: 'b' }).item);
});
