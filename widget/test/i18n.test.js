import test from 'node:test';
import assert from 'node:assert/strict';
import { pickLocale, staffLanguage, STAFF_LANGUAGE_KEY, translator, formatWaiting, formatEta, queueStatusText, stringTables } from '../src/js/i18n.js';
import { golden } from './fake-socket.js';

/** Just enough of a Document for pickLocale. */
function doc(lang, dataLocale) {
  const attrs = { lang, 'data-locale': dataLocale };
  return { documentElement: { lang: lang ?? '', getAttribute: (n) => attrs[n] ?? null } };
}

test('pickLocale reads <html lang>: ko* is Korean, anything else English', () => {
  assert.equal(pickLocale(doc('ko')), 'ko');
  assert.equal(pickLocale(doc('ko-KR')), 'ko');
  assert.equal(pickLocale(doc('KO-kr')), 'ko');
  assert.equal(pickLocale(doc('en')), 'en');
  assert.equal(pickLocale(doc('en-US')), 'en');
  assert.equal(pickLocale(doc('ja')), 'en');
  assert.equal(pickLocale(doc('')), 'en');
  assert.equal(pickLocale(doc(undefined)), 'en');
  assert.equal(pickLocale(undefined), 'en');
});

test('a data-locale override wins over <html lang>', () => {
  assert.equal(pickLocale(doc('ko'), 'en'), 'en');
  assert.equal(pickLocale(doc('en'), 'ko'), 'ko');
  assert.equal(pickLocale(doc('en', 'ko')), 'ko', 'data-locale on <html>');
  assert.equal(pickLocale(doc('ko', 'en'), 'ko'), 'ko', 'the script tag beats <html data-locale>');
  assert.equal(pickLocale(doc('ko'), ''), 'ko', 'an empty override is no override');
});

test('translator fills placeholders and falls back to English, then the key', () => {
  const ko = translator('ko');
  const en = translator('en');
  assert.equal(ko('widget.queue', { n: 2 }), '대기 순서: 2번째');
  assert.equal(en('widget.queue', { n: 2 }), 'You are #2 in the queue');
  assert.equal(ko('widget.assigned', { name: '김소담' }), '김소담 상담원이 연결되었어요');
  assert.equal(ko('widget.title'), '소담 상담');
  assert.equal(en('widget.title'), 'Sodam chat');
  assert.equal(translator('fr')('widget.title'), 'Sodam chat');
  assert.equal(ko('no.such.key'), 'no.such.key');
});

test('Korean and English define the same keys and placeholders', () => {
  const { ko, en } = stringTables();
  assert.deepEqual(Object.keys(ko).sort(), Object.keys(en).sort());
  const placeholders = (s) => (s.match(/\{\w+\}/g) ?? []).sort();
  for (const key of Object.keys(ko)) assert.deepEqual(placeholders(ko[key]), placeholders(en[key]), key);
});

test('formatWaiting', () => {
  const t = translator('ko');
  const since = '2026-11-22T10:00:00Z';
  const at = (min) => Date.parse(since) + min * 60000;
  assert.equal(formatWaiting(since, t, at(0.5)), '방금');
  assert.equal(formatWaiting(since, t, at(3)), '3분');
  assert.equal(formatWaiting(since, t, at(65)), '1시간 5분');
  assert.equal(formatWaiting('nonsense', t, at(1)), '');
});

test('formatEta: under a minute, about N minutes (rounded), hours; empty when unknown', () => {
  const ko = translator('ko');
  const en = translator('en');
  assert.equal(formatEta(0, ko), '1분 이내');
  assert.equal(formatEta(59, ko), '1분 이내');
  assert.equal(formatEta(59, en), 'under a minute');
  assert.equal(formatEta(60, ko), '약 1분');
  assert.equal(formatEta(95, ko), '약 2분');
  assert.equal(formatEta(95, en), 'about 2 min');
  assert.equal(formatEta(89, en), 'about 1 min');
  assert.equal(formatEta(3540, ko), '약 59분');
  assert.equal(formatEta(3900, ko), '약 1시간 5분');
  assert.equal(formatEta(3900, en), 'about 1 h 5 min');
  for (const junk of [undefined, null, -1, NaN, Infinity, '95']) assert.equal(formatEta(junk, ko), '', String(junk));
});

test('queueStatusText: position with ETA from the golden status; the old text without it', () => {
  const ko = translator('ko');
  const en = translator('en');
  const eta = golden('s2c-status-queued-eta');
  assert.equal(queueStatusText(ko, eta), '대기 순서 3번째 · 예상 대기 약 2분');
  assert.equal(queueStatusText(en, eta), 'You are #3 in the queue · about 2 min');
  assert.equal(queueStatusText(ko, { queuePosition: 1, etaSeconds: 20 }), '대기 순서 1번째 · 예상 대기 1분 이내');
  assert.equal(queueStatusText(en, { queuePosition: 1, etaSeconds: 20 }), 'You are #1 in the queue · under a minute');
  const plain = golden('s2c-status-queued');
  assert.equal(queueStatusText(ko, plain), '대기 순서: 2번째', 'no etaSeconds: unchanged text');
  assert.equal(queueStatusText(en, plain), 'You are #2 in the queue');
  assert.equal(queueStatusText(ko, { queuePosition: 2, etaSeconds: null }), '대기 순서: 2번째');
  assert.equal(queueStatusText(ko, {}), '상담원을 기다리고 있어요');
  assert.equal(queueStatusText(en, { etaSeconds: 130 }), 'Waiting for an agent · about 2 min');
});

/** A Storage stand-in with the two methods staffLanguage uses. */
function memoryStorage(initial = {}) {
  const items = new Map(Object.entries(initial));
  return { getItem: (k) => (items.has(k) ? items.get(k) : null), setItem: (k, v) => items.set(k, String(v)), items };
}

test('staff pages: ?lang=en is used and remembered; the remembered choice applies without it; else the page decides', () => {
  const storage = memoryStorage();
  assert.equal(staffLanguage('', storage), null, 'nothing chosen: <html lang> (Korean) decides');
  assert.equal(pickLocale(doc('ko'), staffLanguage('', storage)), 'ko');
  assert.equal(staffLanguage('?lang=en', storage), 'en');
  assert.equal(storage.items.get(STAFF_LANGUAGE_KEY), 'en');
  assert.equal(pickLocale(doc('ko'), staffLanguage('?other=1', storage)), 'en', 'remembered on the next staff page');
  assert.equal(staffLanguage('?lang=KO', storage), 'ko', 'and changed back');
  assert.equal(staffLanguage('', storage), 'ko');
});

test('staff pages: an unknown lang value changes nothing, and storage that throws only forgets', () => {
  const storage = memoryStorage({ [STAFF_LANGUAGE_KEY]: 'en' });
  assert.equal(staffLanguage('?lang=fr', storage), 'en');
  assert.equal(staffLanguage('?lang=<script>', storage), 'en');
  assert.equal(storage.items.get(STAFF_LANGUAGE_KEY), 'en');
  assert.equal(memoryStorage({ [STAFF_LANGUAGE_KEY]: 'xx' }).getItem(STAFF_LANGUAGE_KEY), 'xx');
  assert.equal(staffLanguage('', memoryStorage({ [STAFF_LANGUAGE_KEY]: 'xx' })), null);
  const broken = { getItem() { throw new Error('denied'); }, setItem() { throw new Error('denied'); } };
  assert.equal(staffLanguage('?lang=en', broken), 'en');
  assert.equal(staffLanguage('', broken), null);
  assert.equal(staffLanguage('', undefined), null);
});
