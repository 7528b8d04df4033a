// The admin pages say a server refusal in their own language from its `reason`, `field` and `params`
// (docs/protocol.md, "HTTP errors"), and fall back to the server's English message for anything else.
import test from 'node:test';
import assert from 'node:assert/strict';
import { refusalText, fieldLabel } from '../src/admin/refusals.js';
import { importView } from '../src/admin/files.js';
import { adminTranslator, adminStringTables } from '../src/admin/strings.js';

// Bodies as RefusalReasonApiTest sees the server send them.
const longQuestion = { code: 'bad_request', message: "field 'question' is too long (231 characters; at most 200)",
  reason: 'too_long', field: 'question', params: { count: 231, max: 200 }, requestId: 'r-1' };
const spacedTag = { code: 'bad_request', message: "tag '배송 조회' has a space: …", reason: 'tag_has_space', field: 'tags',
  params: { value: '배송 조회', suggestion: '배송-조회' } };

test('a known reason is said in Korean by default and in English with ?lang=en', () => {
  assert.equal(refusalText(longQuestion, 'ko'), '대표 질문: 200자까지 쓸 수 있어요. 지금 231자예요.');
  assert.equal(refusalText(longQuestion, 'en'), 'Question: at most 200 characters; this has 231.');
  assert.equal(refusalText(spacedTag, 'ko'),
    '태그 "배송 조회"에 공백이 있어요. 태그는 쉼표로 나누고, 한 태그 안에서는 공백 대신 -를 써 주세요 (예: 배송-조회).');
  assert.equal(refusalText({ reason: 'invalid', field: 'email', message: "field 'email' must be an email address" }, 'ko'),
    '이메일 주소 형식이 아니에요 (예: name@example.com).', 'a field-specific sentence wins over the general one');
  assert.equal(refusalText({ reason: 'out_of_range', field: 'maxChats', params: { min: 1, max: 50 } }, 'ko'),
    '동시 상담 수: 1부터 50까지의 수로 적어 주세요.');
  assert.equal(refusalText({ reason: 'too_long', field: 'greeting.ko', params: { count: 1001, max: 1000 } }, 'ko'),
    '인사말 (한국어): 1,000자까지 쓸 수 있어요. 지금 1,001자예요.', 'a setting\'s language is named, numbers grouped');
  assert.equal(refusalText({ reason: 'duplicate', field: 'email', params: { value: 'a@b.c' } }, 'en'),
    'The email a@b.c is used by another account already.');
});

test('without a reason, with an unknown one, or without the numbers a sentence needs, the server\'s message stays', () => {
  assert.equal(refusalText({ code: 'not_found', message: "no FAQ entry 'x'" }, 'ko'), "no FAQ entry 'x'");
  assert.equal(refusalText({ code: 'bad_request', message: 'new words', reason: 'reason_from_a_newer_server', field: 'x' }, 'ko'),
    'new words');
  assert.equal(refusalText({ message: 'too long', reason: 'too_long', field: 'question', params: { max: 200 } }, 'ko'), 'too long',
    'no "{count}" is ever shown');
  assert.equal(refusalText(null, 'ko', '문제가 생겼어요.'), '문제가 생겼어요.');
  assert.equal(refusalText({ reason: '<img src=x>', message: 'm' }, 'ko'), 'm', 'a reason is a key, never text to show');
  assert.equal(refusalText({ reason: 'required', field: 'customField', message: 'm' }, 'ko'), 'customField: 입력해 주세요.',
    'an unknown field is named as the server names it');
});

test('field labels: whole names, a language part, and inner parts named by their outer field', () => {
  assert.equal(fieldLabel('question', 'ko'), '대표 질문');
  assert.equal(fieldLabel('privacy.url', 'ko'), '개인정보 처리방침 주소');
  assert.equal(fieldLabel('quickReplies.en', 'en'), 'Quick replies (English)');
  assert.equal(fieldLabel('prechat.fields[].id', 'ko'), 'prechat');
  assert.equal(fieldLabel(null, 'ko'), '');
});

test('every reason the server documents has a Korean and an English sentence', () => {
  const { ko, en } = adminStringTables();
  for (const reason of ['required', 'too_long', 'too_short', 'too_many', 'out_of_range', 'invalid', 'tag_has_space',
    'unsafe_link', 'unknown', 'duplicate', 'repeated', 'stale']) {
    assert.ok(ko[`refusal.${reason}`] && en[`refusal.${reason}`], reason);
  }
});

test('the import dialog words a problem as the editor would, and keeps the server\'s words for the rest', () => {
  const t = adminTranslator('ko');
  const report = { dryRun: true, rows: 2, created: 0, updated: 0, unchanged: 0, lines: [],
    errors: [{ line: 3, entry: null, id: 'tags-space', field: 'tags', ...spacedTag },
      { line: 5, entry: null, id: null, field: null, message: 'the row has more cells (4) than the header (3)' },
      { line: 6, entry: null, id: null, field: 'enabled', message: "'enabled' must be true or false" }] };
  const say = { say: (p) => refusalText(p, 'ko') };
  const view = importView(report, t, say);
  assert.equal(view.errors[0].text, '3번째 줄 · id tags-space · 태그 "배송 조회"에 공백이 있어요. 태그는 쉼표로 나누고, '
    + '한 태그 안에서는 공백 대신 -를 써 주세요 (예: 배송-조회).');
  assert.equal(view.errors[1].text, '5번째 줄 · the row has more cells (4) than the header (3)');
  assert.equal(view.errors[2].text, "6번째 줄 · enabled: 'enabled' must be true or false");
});

test('type errors, the test box, thresholds and integrations are said in the page\'s language', () => {
  // Bodies as RefusalReasonApiTest sees the server send them.
  assert.equal(refusalText({ message: "field 'question' must be a string", reason: 'invalid', field: 'question' }, 'ko'),
    '대표 질문: 쓸 수 없는 값이에요.');
  assert.equal(refusalText({ message: "field 'name.ko' must be a string", reason: 'invalid', field: 'name.ko' }, 'ko'),
    '이름 (한국어): 쓸 수 없는 값이에요.');
  assert.equal(refusalText({ reason: 'out_of_range', field: 'clarifyThreshold', params: { min: 0, max: 0.5 } }, 'ko'),
    '되묻기 기준: 0부터 0.5까지의 수로 적어 주세요.');
  assert.equal(refusalText({ reason: 'out_of_range', field: 'answerThreshold', params: { min: 0, max: 1 } }, 'en'),
    'Answer threshold: use a number from 0 to 1.');
  assert.equal(refusalText({ reason: 'too_long', field: 'text', params: { count: 501, max: 500 } }, 'ko'),
    '문장: 500자까지 쓸 수 있어요. 지금 501자예요.');
  assert.equal(refusalText({ reason: 'out_of_range', field: 'retentionDays', params: { min: 1, max: 3650 } }, 'ko'),
    '대화 보관 기간(일): 1부터 3,650까지의 수로 적어 주세요.');
  assert.equal(refusalText({ reason: 'invalid', field: 'url', params: { value: 'ftp://hooks.example.com/in' } }, 'ko'),
    '웹훅 주소 "ftp://hooks.example.com/in"로는 보낼 수 없어요. 밖에서 닿는 http:// 또는 https:// 주소여야 하고, '
    + '내부·사설 주소나 찾을 수 없는 호스트는 안 돼요.');
  assert.equal(refusalText({ reason: 'unknown', field: 'events', params: { value: 'nope' } }, 'en'), 'Events: "nope" does not exist.');
  assert.equal(refusalText({ reason: 'unknown', field: 'site', params: { value: 'no-such-site' } }, 'ko'),
    '사이트: "no-such-site"을(를) 찾을 수 없어요.');
  assert.equal(refusalText({ reason: 'required', field: 'scopes' }, 'en'), 'Scopes: please fill this in.');
});

test('every field the server names in a refusal has a Korean and an English label', () => {
  const { ko, en } = adminStringTables();
  for (const field of ['enabled', 'ids', 'text', 'disabled', 'role', 'allAgents', 'hours', 'answerThreshold',
    'clarifyThreshold', 'from', 'to', 'tz', 'site', 'url', 'events', 'scopes', 'channel']) {
    assert.ok(ko[`field.${field}`] && en[`field.${field}`], field);
  }
});
