// The context packet helpers of the console (src/console/context.js).
import test from 'node:test';
import assert from 'node:assert/strict';
import { percent, bestCandidate, insertDraft, pageLabel, ContextCache, CONTEXT_MAX_AGE_MS } from '../src/console/context.js';

test('confidence and scores read as whole percents, clamped; unknown is empty', () => {
  assert.equal(percent(0.823), '82%');
  assert.equal(percent(1.2), '100%');
  assert.equal(percent(-1), '0%');
  assert.equal(percent(null), '');
  assert.equal(percent(undefined), '');
});

test('the best candidate is the first with an answer', () => {
  assert.equal(bestCandidate(null), null);
  assert.equal(bestCandidate({ candidates: [] }), null);
  const packet = { candidates: [{ faqId: 'a', answer: ' ' }, { faqId: 'b', answer: '배송은 1~2일' }, { faqId: 'c', answer: 'x' }] };
  assert.equal(bestCandidate(packet).faqId, 'b');
});

test('a draft replaces an empty box or a /query, and otherwise goes on a new line', () => {
  assert.equal(insertDraft('', '답'), '답');
  assert.equal(insertDraft('  \n', '답'), '답');
  assert.equal(insertDraft('/배', '답'), '답');
  assert.equal(insertDraft('안녕하세요 ', '답'), '안녕하세요\n답');
});

test('pages show host and path; anything else as it is', () => {
  assert.equal(pageLabel('https://shop.example.com/orders/1'), 'shop.example.com/orders/1');
  assert.equal(pageLabel('http://localhost:8080/'), 'localhost:8080');
  assert.equal(pageLabel('not a url'), 'not a url');
});

test('the cache fetches once, again after a failure or when old, never twice at once', () => {
  let now = 1000;
  const cache = new ContextCache(() => now);
  assert.equal(cache.stale('cv'), true);
  cache.loading('cv');
  assert.equal(cache.stale('cv'), false, 'in flight');
  cache.loaded('cv', { conversationId: 'cv' });
  assert.equal(cache.stale('cv'), false);
  now += CONTEXT_MAX_AGE_MS + 1;
  assert.equal(cache.stale('cv'), true, 'old');
  cache.loading('cv');
  assert.equal(cache.get('cv').packet.conversationId, 'cv', 'the old packet stays shown while loading');
  cache.failed('cv', 'forbidden');
  assert.equal(cache.get('cv').error, 'forbidden');
  assert.equal(cache.stale('cv'), true);
  cache.clear();
  assert.equal(cache.get('cv'), null);
});
