// The admin page's DOM-free logic (src/admin/model.js), its strings and its test hooks.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseLines, parseTags, faqBody, formValues, listQuery, botStatusView, validationView, askView, deliveryView } from '../src/admin/model.js';
import { adminTranslator, adminStringTables } from '../src/admin/strings.js';

const t = adminTranslator('ko');

test('paraphrases are one per line, trimmed, without blanks or repeats', () => {
  assert.deepEqual(parseLines('  배송 언제 와요?\r\n\n택배 며칠 걸려요?\n배송 언제 와요?  \n   '), ['배송 언제 와요?', '택배 며칠 걸려요?']);
  assert.deepEqual(parseLines(''), []);
  assert.deepEqual(parseLines(undefined), []);
});

test('tags split on commas and spaces, lower-cased, without repeats', () => {
  assert.deepEqual(parseTags('Delivery, 반려동물,  delivery 、pet，gift'), ['delivery', '반려동물', 'pet', 'gift']);
  // One separator, as the import's: a space stays in its tag for the server to refuse with its reason.
  assert.deepEqual(parseTags('배송 조회, returns'), ['배송 조회', 'returns']);
  assert.deepEqual(parseTags(' , '), []);
});

test('the form becomes the API body, and an entry becomes the form again', () => {
  const values = { question: ' 반려동물 용품도 파나요? ', paraphrases: '강아지 사료 있어요?\n고양이 모래 팔아요?', answer: ' 네, 팔아요. ',
    tags: 'pet, 반려동물', locale: 'ko', enabled: true };
  assert.deepEqual(faqBody(values), { locale: 'ko', question: '반려동물 용품도 파나요?',
    paraphrases: ['강아지 사료 있어요?', '고양이 모래 팔아요?'], answer: '네, 팔아요.', tags: ['pet', '반려동물'], enabled: true,
    team: null, translation: null });
  assert.equal(faqBody(values, 3).version, 3, 'an edit carries the version it read');
  assert.equal('version' in faqBody(values), false, 'a new entry has no version');
  const entry = { id: 'ko-pet', locale: 'ko', question: 'q', paraphrases: ['a', 'b'], answer: 'x', tags: ['pet', 'x'], enabled: false, version: 2 };
  assert.deepEqual(formValues(entry), { question: 'q', paraphrases: 'a\nb', answer: 'x', tags: 'pet, x', locale: 'ko', enabled: false,
    team: '', translation: '' });
  assert.deepEqual(formValues(null), { question: '', paraphrases: '', answer: '', tags: '', locale: 'ko', enabled: true, team: '', translation: '' });
  const linked = { ...values, team: ' delivery ', translation: ' en-pet ' };
  assert.deepEqual([faqBody(linked).team, faqBody(linked).translation], ['delivery', 'en-pet']);
  assert.deepEqual(formValues({ ...entry, team: 'delivery', translation: 'en-pet' }).translation, 'en-pet');
});

test('the list query carries only the filters that are set', () => {
  assert.equal(listQuery({}), '');
  assert.equal(listQuery({ q: '  ', locale: '', tag: '' }), '');
  assert.equal(listQuery({ q: '배송 비', locale: 'ko', tag: 'Delivery' }), '?q=%EB%B0%B0%EC%86%A1+%EB%B9%84&locale=ko&tag=delivery');
  assert.equal(listQuery({ team: 'delivery' }), '?team=delivery');
});

test('bot status: ready names the version, rebuilding shows progress from the last duration', () => {
  const ready = botStatusView({ state: 'ready', version: 4, entries: 93, trainedAt: '2026-11-22T10:00:00Z', lastError: null }, t);
  assert.match(ready.text, /버전 4/);
  assert.match(ready.text, /93개/);
  assert.equal(ready.progress, null);
  const since = Date.parse('2026-11-22T10:00:00Z');
  const busy = botStatusView({ state: 'rebuilding', rebuildingSince: '2026-11-22T10:00:00Z', lastDurationMs: 1000 }, t, since + 500);
  assert.equal(busy.text, '봇 다시 학습 중…');
  assert.equal(busy.progress, 0.5);
  assert.equal(botStatusView({ state: 'rebuilding', rebuildingSince: '2026-11-22T10:00:00Z', lastDurationMs: 1000 }, t, since + 5000).progress, 0.95);
  assert.match(botStatusView({ state: 'ready', version: 2, entries: 1, lastError: 'boom' }, t).text, /boom/);
  assert.match(botStatusView({ state: 'failed', version: 0, lastError: 'boom' }, t).text, /실패: boom/);
});

test('bot status: each locale shows its threshold, its source and the held-out validation', () => {
  const view = botStatusView({ state: 'ready', version: 3, entries: 92, trainedAt: '2026-11-22T10:00:00Z', locales: {
    en: { answerThreshold: 0.6, clarifyThreshold: 0.3, source: 'CONFIGURED', inScopeAccuracy: null },
    ko: { answerThreshold: 0.4939, clarifyThreshold: 0.27, source: 'CALIBRATED', inScopeAccuracy: 54.3, oosRecall: 98,
      overallAccuracy: 77, inScope: 46, oos: 50, calibrationError: 4.86 },
  } }, t);
  assert.deepEqual(view.validation, [
    'en: 답변 기준 0.60 (설정값)',
    'ko: 답변 기준 0.49 (자동 보정) · 검증: 보류 문장 46개 중 정답 54% · 범위 밖 질문 50개 중 상담 연결 98%'
      + ' · 확신도와 실제 정답률의 차이 평균 4.9%p',
  ]);
  assert.match(validationView({ ko: { answerThreshold: 0.55, source: 'DEFAULT' } }, adminTranslator('en'))[0],
    /^ko: answer threshold 0.55 \(default\)$/);
  assert.deepEqual(validationView(undefined, t), []);
});

test('a test question shows decision, confidence and candidates with scores', () => {
  const view = askView({ decision: 'clarify', confidence: 0.412, answer: null,
    candidates: [{ faqId: 'ko-a', question: '<b>질문</b>', score: 0.5 }] }, t);
  assert.equal(view.summary, '되묻기 · 확신도 41%');
  assert.equal(view.answer, null);
  assert.deepEqual(view.candidates, [{ faqId: 'ko-a', text: '<b>질문</b> (50%)' }]);
  assert.equal(adminTranslator('en')('admin.ask.decision.handoff'), 'Hand off');
});

test('Korean and English admin strings define the same keys and placeholders', () => {
  const { ko, en } = adminStringTables();
  assert.deepEqual(Object.keys(ko).sort(), Object.keys(en).sort());
  const placeholders = (s) => (s.match(/\{\w+\}/g) ?? []).sort();
  for (const key of Object.keys(ko)) assert.deepEqual(placeholders(ko[key]), placeholders(en[key]), key);
  assert.equal(adminTranslator('ja')('admin.title'), 'Sodam admin', 'other languages get English');
  assert.equal(adminTranslator('ko')('admin.nope'), 'admin.nope');
});

test('the admin page carries the hooks the browser tests use, and every label key exists', () => {
  const html = readFileSync(new URL('../src/admin/index.html', import.meta.url), 'utf8');
  const js = readFileSync(new URL('../src/admin/admin.js', import.meta.url), 'utf8');
  for (const id of ['admin-login-email', 'admin-login-password', 'admin-login-submit', 'faq-search', 'faq-new',
    'faq-question', 'faq-paraphrases', 'faq-answer', 'faq-tags', 'faq-locale', 'faq-save', 'faq-delete', 'bot-status',
    'ask-input', 'ask-submit', 'ask-result']) {
    assert.match(html, new RegExp(`data-testid="${id}"`), id);
  }
  for (const id of ['faq-row', 'history-restore', 'ask-decision', 'ask-candidate']) assert.match(js, new RegExp(`testid: '${id}'`), id);
  assert.match(js, /dataset: \{ faqId: entry\.id \}/, 'faq-row carries data-faq-id');
  const { ko } = adminStringTables();
  for (const m of html.matchAll(/data-i18n(?:-label|-placeholder)?="([^"]+)"/g)) assert.ok(m[1] in ko, m[1]);
});

/**
 * Regression (QA): a question over 500 characters pasted into the test box got the server's English
 * 400 as a toast while the previous question's result stayed under it. The box takes what the bot
 * reads (its first 500 characters, as of every chat message), and a failure clears the old result.
 */
test('the bot test box takes at most the 500 characters the bot reads, and a failure clears the old result', () => {
  const html = readFileSync(new URL('../src/admin/index.html', import.meta.url), 'utf8');
  const js = readFileSync(new URL('../src/admin/admin.js', import.meta.url), 'utf8');
  assert.match(html, /<input data-testid="ask-input"[^>]* maxlength="500"/);
  const onAsk = js.slice(js.indexOf('async function onAsk'), js.indexOf('const view = askView'));
  assert.match(onAsk, /catch \(error\) \{[^}]*ui\.askResult\.replaceChildren\(\)[^}]*showFailure\(error\)/);
});

test('import and export: upload type, download name, and the report in words', async () => {
  const { uploadType, downloadName, importView } = await import('../src/admin/files.js');
  assert.equal(uploadType('faq.JSON'), 'application/json');
  assert.equal(uploadType('엑셀.csv'), 'text/csv');
  assert.equal(uploadType(undefined), 'text/csv');
  assert.equal(downloadName('attachment; filename="sodam-faq-2026-11-23.csv"', 'x.csv'), 'sodam-faq-2026-11-23.csv');
  assert.equal(downloadName(null, 'x.csv'), 'x.csv');
  const dry = { dryRun: true, applied: false, format: 'csv', encoding: 'CP949', rows: 3, created: 1, updated: 1, unchanged: 1,
    lines: [{ line: 2, id: null, action: 'create', question: '캠핑 의자도 파나요?' }, { line: 5, id: 'ko-x', action: 'update', question: 'q' }],
    errors: [] };
  const view = importView(dry, t);
  assert.equal(view.summary, 'CSV · CP949 · 3개 항목: 새로 1, 수정 1, 그대로 1');
  assert.equal(view.lines[0].text, '2번째 줄 · 새로 만듦 · 캠핑 의자도 파나요?');
  assert.equal(view.canImport, true);
  const broken = { ...dry, errors: [{ line: 4, field: 'answer', message: "field 'answer' must not be blank" }] };
  assert.equal(importView(broken, t).canImport, false, 'no import while any line has a problem');
  assert.equal(importView(broken, t).errors[0].text, "4번째 줄 · answer: field 'answer' must not be blank");
  assert.equal(importView({ ...dry, created: 0, updated: 0 }, t).canImport, false, 'nothing to change');
  assert.match(importView({ ...dry, dryRun: false, applied: true }, t).summary, /가져왔어요/);
});

test('a webhook delivery line names its event, state, attempts and last error; settled ones can be sent again', () => {
  const failed = deliveryView({ seq: 7, type: 'message.created', status: 'failed', attempts: 8, lastError: 'HTTP 500' }, t);
  assert.equal(failed.text, '#7 message.created · 실패 · 시도 8회 · HTTP 500');
  assert.equal(failed.redeliverable, true);
  assert.equal(failed.failed, true);
  const fresh = deliveryView({ seq: 8, type: 'conversation.created', status: 'pending', attempts: 0, lastError: null }, t);
  assert.equal(fresh.redeliverable, false);
  assert.equal(adminTranslator('en')('admin.webhooks.status.delivered'), 'delivered');
});

test('reports: query, durations, rates, the draft body of a gap cluster, chart geometry', async () => {
  const { reportQuery, formatSeconds, formatRate, draftBody, niceMax, barLayout, defaultPeriod } = await import('../src/admin/insights.js');
  assert.equal(reportQuery({ from: '2026-11-01', to: '', site: ' demo ', team: null }), '?from=2026-11-01&site=demo');
  assert.equal(reportQuery({}), '');
  assert.equal(formatSeconds(45), '45초');
  assert.equal(formatSeconds(192), '3분 12초');
  assert.equal(formatSeconds(7500), '2시간 5분');
  assert.equal(formatSeconds(227700), '2일 15시간');
  assert.equal(formatSeconds(192, 'en'), '3 min 12 s');
  assert.equal(formatSeconds(null), '–');
  assert.equal(formatRate(0.6234), '62.3%');
  assert.equal(formatRate(null), '–');
  const cluster = { locale: 'ko', label: '캠핑 의자도 파나요?', examples: [{ text: '캠핑 의자도 파나요?' }, { text: '캠핑 의자 판매하시나요?' },
    { text: '캠핑 의자 판매하시나요?' }], agentAnswers: [{ text: '네, 캠핑관에 있어요.' }] };
  assert.deepEqual(draftBody(cluster), { locale: 'ko', question: '캠핑 의자도 파나요?', paraphrases: ['캠핑 의자 판매하시나요?'],
    answer: '네, 캠핑관에 있어요.' });
  assert.equal('answer' in draftBody(cluster, -1), false, 'the admin writes the answer');
  assert.deepEqual([niceMax(0), niceMax(1), niceMax(3), niceMax(7), niceMax(12), niceMax(480)], [1, 1, 5, 10, 20, 500]);
  const layout = barLayout([0, 5, 10], ['a', 'b', 'c'], { width: 336, height: 134, top: 10, bottom: 24, left: 36, gap: 0 });
  assert.equal(layout.max, 10);
  assert.deepEqual(layout.bars.map((b) => b.height), [0, 50, 100]);
  assert.deepEqual(layout.bars.map((b) => b.x), [36, 136, 236]);
  assert.equal(layout.bars[2].y, 10, 'the highest bar reaches the top of the plot');
  const period = defaultPeriod(new Date(2026, 10, 23), 30);
  assert.deepEqual(period, { from: '2026-10-25', to: '2026-11-23' });
});

test('the test console shows the band with its thresholds and the analyzer terms', async () => {
  const { bandView } = await import('../src/admin/model.js');
  const view = bandView({ band: 'clarify', thresholds: { answerThreshold: 0.284, clarifyThreshold: 0.156 },
    analysis: { locale: 'ko', words: ['배송', '얼마나', '걸리'] } }, t);
  assert.equal(view.text, '구간: 되묻기 (답변 ≥ 0.28, 되묻기 ≥ 0.16)');
  assert.deepEqual(view.tokens, ['배송', '얼마나', '걸리']);
  assert.equal(view.tokenLocale, 'ko');
  assert.deepEqual(bandView({ decision: 'answer' }, t), { band: null, text: '', tokens: [], tokenLocale: null });
});

test('the what-if form refuses thresholds out of range or in the wrong order before asking', async () => {
  const { whatIfBody } = await import('../src/admin/model.js');
  assert.deepEqual(whatIfBody({ locale: 'ko', answer: '0.6', clarify: ' 0.3 ' }, t),
    { body: { locale: 'ko', answerThreshold: 0.6, clarifyThreshold: 0.3 } });
  assert.equal(whatIfBody({ locale: 'ko', answer: '', clarify: '0.3' }, t).error, '기준은 0부터 1 사이의 숫자여야 해요.');
  assert.equal(whatIfBody({ locale: 'ko', answer: '1.2', clarify: '0.3' }, t).error, '기준은 0부터 1 사이의 숫자여야 해요.');
  assert.equal(whatIfBody({ locale: 'ko', answer: 'abc', clarify: '0.3' }, t).error, '기준은 0부터 1 사이의 숫자여야 해요.');
  assert.equal(whatIfBody({ locale: 'ko', answer: '0.3', clarify: '0.5' }, t).error, '되묻기 기준은 답변 기준보다 클 수 없어요.');
});

test('a what-if lists counts before and after, the transitions and the changed questions', async () => {
  const { whatIfView } = await import('../src/admin/model.js');
  const view = whatIfView({ questions: 5, changed: 3, before: { answer: 3, clarify: 0, handoff: 2 },
    after: { answer: 0, clarify: 0, handoff: 5 }, changes: { 'answer->handoff': 3 },
    examples: [{ text: '<b>배송</b>', confidence: 0.61, before: 'answer', after: 'handoff', times: 2 }] }, t);
  assert.equal(view.summary, '받은 질문 5개 중 3개의 결정이 바뀌어요.');
  assert.deepEqual(view.rows.map((r) => [r.decision, r.before, r.after]), [['answer', 3, 0], ['clarify', 0, 0], ['handoff', 2, 5]]);
  assert.deepEqual(view.changes, ['답변 → 상담원 연결: 3개']);
  assert.deepEqual(view.examples, [{ text: '<b>배송</b>', detail: '답변 → 상담원 연결 · 확신도 61% · 2번' }]);
});
