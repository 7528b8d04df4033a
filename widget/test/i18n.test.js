import test from 'node:test';
import assert from 'node:assert/strict';
import { pickLocale, translator, formatWaiting, stringTables } from '../src/js/i18n.js';

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
