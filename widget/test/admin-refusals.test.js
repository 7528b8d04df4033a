// The admin pages say a server refusal in their own language from its `reason`, `field` and `params`
// (docs/protocol.md, "HTTP errors"), and fall back to the server's English message for anything else.
import test from 'node:test';
import assert from 'node:assert/strict';
import { refusalText, fieldLabel } from '../src/admin/refusals.js';
import { importView } from '../src/admin/files.js';
import { adminTranslator, adminStringTables } from '../src/admin/strings.js';
import { readFileSync } from 'node:fs';

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
  assert.equal(fieldLabel('prechat.fields[].id', 'ko'), '상담 전 질문');
  assert.equal(fieldLabel('offline.mode', 'en'), 'Outside business hours');
  assert.equal(fieldLabel(null, 'ko'), '');
});

test('every reason the server documents has a Korean and an English sentence', () => {
  const { ko, en } = adminStringTables();
  // The list the server documents: docs/openapi.yaml's RefusalReason enum (ChatException.Reason on the server).
  const yaml = readFileSync(new URL('../../docs/openapi.yaml', import.meta.url), 'utf8');
  const block = yaml.slice(yaml.indexOf('    RefusalReason:'));
  const reasons = block.match(/enum: \[([^\]]*)\]/)[1].split(',').map((r) => r.trim());
  assert.ok(reasons.includes('bad_range') && reasons.includes('installation_only'), reasons.join());
  for (const reason of reasons) {
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

// Bodies as RefusalReasonApiTest sees the server send them for the refusals converted after 099be11.
test('a report period that cannot be is said in the page\'s language', () => {
  const order = { code: 'bad_request', message: "'from' must be before 'to'", reason: 'bad_range', field: 'from' };
  assert.equal(refusalText(order, 'ko'), '시작 날짜가 끝 날짜보다 앞이어야 해요.');
  assert.equal(refusalText(order, 'en'), 'The start date must be before the end date.');
  const span = { message: 'a report covers at most 400 days', reason: 'bad_range', params: { max: 400, count: 670 } };
  assert.equal(refusalText(span, 'ko'), '기간은 400일까지 볼 수 있어요. 지금 670일이에요.');
  assert.equal(refusalText(span, 'en'), 'A report covers at most 400 days; this period has 670.');
  assert.equal(refusalText({ message: 'm', reason: 'out_of_range', field: 'lowConfidence', params: { min: 0, max: 1 } }, 'ko'),
    '낮은 확신도 기준: 0부터 1까지의 수로 적어 주세요.');
});

test('query parameters the pages build are named in Korean and English', () => {
  assert.equal(refusalText({ message: 'm', reason: 'invalid', field: 'format', params: { value: 'xml' } }, 'ko'),
    '형식은 csv 또는 json이어야 해요.');
  assert.equal(refusalText({ message: 'm', reason: 'out_of_range', field: 'limit', params: { min: 1, max: 5000 } }, 'ko'),
    '개수: 1부터 5,000까지의 수로 적어 주세요.');
  assert.equal(refusalText({ message: 'm', reason: 'invalid', field: 'from', params: { value: 'yesterday' } }, 'ko'),
    '시작 "yesterday"는 날짜가 아니에요. 2026-11-01처럼 적어 주세요.');
  assert.equal(refusalText({ message: 'm', reason: 'invalid', field: 'to', params: { value: '2026-13-40' } }, 'en'),
    'To "2026-13-40" is not a date: write it like 2026-11-01.');
  assert.equal(refusalText({ message: 'm', reason: 'invalid', field: 'enabled', params: { value: 'maybe' } }, 'ko'),
    '사용 여부 "maybe"는 쓸 수 없어요. 예/아니오 또는 true/false로 적어 주세요.');
  assert.equal(refusalText({ message: 'm', reason: 'invalid', field: 'enabled' }, 'ko'), '사용 여부: 쓸 수 없는 값이에요.',
    'without the value sent, the plainer sentence');
  assert.equal(refusalText({ message: 'm', reason: 'invalid', field: 'version', params: { value: 'one' } }, 'en'),
    'Version "one" cannot be used: a whole number of 1 or more.');
});

test('a body that is no object and values that cannot change', () => {
  assert.equal(refusalText({ message: 'body must be a JSON object', reason: 'invalid', field: 'body' }, 'ko'),
    '보낸 내용이 JSON 객체가 아니에요. 페이지를 새로 고친 뒤 다시 해 주세요.');
  assert.equal(refusalText({ message: 'm', reason: 'cannot_change', field: 'email', params: { value: 'a@b.c' } }, 'ko'),
    '계정의 이메일은 바꿀 수 없어요. 다른 이메일이 필요하면 새 계정을 만들어 주세요.');
  assert.equal(refusalText({ message: 'm', reason: 'cannot_change', field: 'id', params: { value: 'x' } }, 'en'),
    'An id cannot be changed once it is made.');
  assert.equal(refusalText({ message: 'm', reason: 'cannot_change', field: 'password' }, 'ko'),
    '비밀번호는 여기서 정할 수 없어요. 비밀번호 재설정을 써 주세요.');
});

test('business hours say which day and time is wrong', () => {
  const time = { message: "field 'hours': bad time \"25:00\" in range \"09:00-25:00\" on mon", reason: 'invalid',
    field: 'hours.weekly', params: { day: 'mon', value: '09:00-25:00' } };
  assert.equal(refusalText(time, 'ko'), '영업시간: 월요일의 "09:00-25:00"는 쓸 수 없어요. "09:00-18:00"처럼 00:00부터 '
    + '24:00 사이의 두 시각을 -로 이어 적어 주세요 (24:00은 끝에만).');
  assert.equal(refusalText(time, 'en'), 'Business hours: "09:00-25:00" on Monday cannot be used. Write two times from '
    + '00:00 to 24:00 joined by -, like "09:00-18:00" (24:00 only as an end).');
  const overlap = { message: 'm', reason: 'overlap', field: 'hours.weekly',
    params: { day: 'fri', value: '22:00-02:00', otherDay: 'sat', other: '01:00-05:00' } };
  assert.equal(refusalText(overlap, 'ko'),
    '영업시간: 금요일 "22:00-02:00"와(과) 토요일 "01:00-05:00"가 겹쳐요. 시간이 겹치지 않게 적어 주세요.');
  assert.equal(refusalText(overlap, 'en'),
    'Business hours: Friday "22:00-02:00" and Saturday "01:00-05:00" overlap; write them so that they do not.');
  assert.equal(refusalText({ message: 'm', reason: 'unknown', field: 'hours.weekly',
    params: { value: 'monday', known: 'mon, tue, wed, thu, fri, sat, sun' } }, 'ko'),
  '영업시간: "monday"는 요일이 아니에요. mon, tue, wed, thu, fri, sat, sun 중 하나로 적어 주세요.');
  assert.equal(refusalText({ message: 'm', reason: 'invalid', field: 'hours.timeZone', params: { value: 'Seoul' } }, 'ko'),
    '영업시간: 시간대 "Seoul"를 알 수 없어요. Asia/Seoul처럼 적어 주세요.');
  assert.equal(refusalText({ message: 'm', reason: 'required', field: 'hours.timeZone' }, 'ko'), '영업시간의 시간대: 입력해 주세요.');
  assert.equal(refusalText({ message: 'm', reason: 'invalid', field: 'hours.holidays', params: { value: '2026-02-30' } }, 'en'),
    'Business hours: holiday "2026-02-30" is not a date; write it like 2026-12-25.');
  assert.equal(refusalText({ message: 'm', reason: 'invalid', field: 'hours.weekly', params: { day: 'sun' } }, 'ko'),
    '영업시간: 일요일에는 ["09:00-18:00"]처럼 시간 범위의 목록을 적어 주세요.');
  assert.equal(refusalText({ message: 'm', reason: 'invalid', field: 'hours' }, 'ko'), '영업시간: 쓸 수 없는 값이에요.');
  assert.equal(refusalText({ message: 'm', reason: 'invalid', field: 'hours.weekly', params: { day: '<b>x</b>', value: 'v' } }, 'ko'),
    '영업시간: <b>x</b>의 "v"는 쓸 수 없어요. "09:00-18:00"처럼 00:00부터 24:00 사이의 두 시각을 -로 이어 적어 주세요 (24:00은 끝에만).',
    'an unknown day is shown as sent (the caller puts it in with textContent)');
});

test('an admin of one site is told which site is theirs', () => {
  const other = { code: 'forbidden', message: "you manage only site 'shop2'", reason: 'forbidden_site', field: 'site',
    params: { site: 'shop2', value: 'demo' } };
  assert.equal(refusalText(other, 'ko'), '이 계정은 사이트 shop2만 관리해요. 사이트 demo은(는) 다룰 수 없어요.');
  assert.equal(refusalText(other, 'en'), 'This account manages only site shop2; site demo is not yours.');
  const global = { code: 'forbidden', message: 'this needs an installation-wide admin', reason: 'installation_only',
    params: { site: 'shop2' } };
  assert.equal(refusalText(global, 'ko'), '설치 전체를 관리하는 관리자만 할 수 있어요. 이 계정은 사이트 shop2만 관리해요.');
  assert.equal(refusalText(global, 'en'), 'Only an installation-wide admin can do this; this account manages only site shop2.');
});

test('the problems of an import file as a whole and unknown settings keys', () => {
  const t = adminTranslator('ko');
  const say = { say: (p) => refusalText(p, 'ko') };
  const report = { dryRun: true, rows: 0, created: 0, updated: 0, unchanged: 0, lines: [], errors: [
    { line: 1, entry: null, id: null, field: 'entries', message: 'the file has no FAQ entries', reason: 'required' },
    { line: 1, entry: null, id: null, field: 'header', message: "unknown column(s) [colour] in the header; use …",
      reason: 'unknown', params: { value: 'colour', known: 'id, locale, question' } },
    { line: 5, entry: null, id: null, field: 'cells', message: 'the row has more cells (5) than the header names (3)',
      reason: 'too_many', params: { count: 5, max: 3 } },
    { line: 3, entry: null, id: null, field: 'quotes', message: 'a quote (") opened here is never closed', reason: 'invalid' },
    { line: 3, entry: 2, id: null, field: 'json', message: 'the JSON is malformed', reason: 'invalid', params: { column: 14 } }] };
  const view = importView(report, t, say);
  assert.equal(view.errors[0].text, '1번째 줄 · 파일에 FAQ 항목이 없어요.');
  assert.equal(view.errors[1].text, '1번째 줄 · 첫 줄(머리글)의 열 colour을(를) 알 수 없어요. 쓸 수 있는 열: id, locale, question.');
  assert.equal(view.errors[2].text, '5번째 줄 · 이 줄의 칸이 5개라 머리글의 열 3개보다 많아요. 쉼표가 든 칸을 따옴표로 감쌌는지 확인해 주세요.');
  assert.equal(view.errors[3].text, '3번째 줄 · 따옴표(")가 맞지 않아요. 쉼표나 줄바꿈이 든 칸은 칸 전체를 따옴표로 감싸고, '
    + '칸 안의 따옴표는 두 개("")로 적어 주세요.');
  assert.equal(view.errors[4].text, '3번째 줄 · 2번째 항목 · JSON 문법이 맞지 않아요 (14번째 글자 근처). 쉼표, 따옴표, 괄호를 확인해 주세요.');
  assert.equal(refusalText({ message: 'm', reason: 'invalid', field: 'encoding', params: { line: 2 } }, 'en'),
    'Line 2 of the file cannot be read as text: it is neither UTF-8 nor CP949 (EUC-KR). Save it from Excel as "CSV UTF-8" '
    + 'and upload it again.');
  assert.equal(refusalText({ message: 'm', reason: 'too_many', field: 'entries', params: { count: 5001, max: 5000 } }, 'ko'),
    '한 파일에는 FAQ 항목을 5,000개까지 넣을 수 있어요. 지금 5,001개예요.');
  assert.equal(refusalText({ message: 'm', reason: 'unknown', field: 'settings',
    params: { value: 'colour', known: 'accentColor, greeting' } }, 'ko'),
  '"colour"라는 설정은 없어요. 쓸 수 있는 설정: accentColor, greeting.');
  assert.equal(refusalText({ message: 'm', reason: 'unknown', field: 'greeting', params: { value: 'ja' } }, 'en'),
    'Greeting: "ja" does not exist.');
});

test('conflicts an admin meets are said in the page\'s language', () => {
  assert.equal(refusalText({ code: 'conflict', message: "team 'busy-team' has 1 FAQ entries; give them another team first",
    reason: 'in_use', field: 'entries', params: { count: 1 } }, 'ko'),
  '이 팀이 맡은 FAQ 항목이 1개 있어 지울 수 없어요. 먼저 다른 팀에 맡겨 주세요.');
  assert.equal(refusalText({ message: 'm', reason: 'in_use', field: 'conversations', params: { count: 1200 } }, 'en'),
    'This team has 1,200 conversations on record and cannot be deleted; remove its members and topics instead.');
  assert.equal(refusalText({ message: 'm', reason: 'own_account' }, 'ko'),
    '내 계정은 사용 중지하거나 역할·사이트를 바꿀 수 없어요. 다른 관리자에게 부탁해 주세요.');
  assert.equal(refusalText({ message: 'm', reason: 'duplicate', field: 'tags', params: { value: 'returns', team: 'delivery' } }, 'ko'),
    '주제 "returns"는 이미 delivery 팀이 맡고 있어요. 주제 하나는 한 팀만 맡아요.');
  assert.equal(refusalText({ message: 'm', reason: 'invalid', field: 'translation', params: { value: 'ko-delivery-time' } }, 'en'),
    '"ko-delivery-time" cannot be linked as the translation: it must be another entry, in the other language.');
  assert.equal(refusalText({ message: 'm', reason: 'invalid', field: 'maskPatterns', params: { value: 'x?' } }, 'ko'),
    '가림 패턴 "x?"는 쓸 수 없어요. 올바른 정규식이어야 하고, 빈 글자와 맞으면 안 돼요.');
  assert.equal(refusalText({ message: 'm', reason: 'stale', field: 'version', params: { version: 9, current: 0 } }, 'ko'),
    '읽은 버전 9 이후에 바뀌었어요 (지금 버전 0).');
  assert.equal(refusalText({ message: 'm', reason: 'required', field: 'token' }, 'ko'),
    '비밀번호 설정 링크가 온전하지 않아요. 받은 링크를 다시 열어 주세요.');
});
