// FAQ answer formatting (src/js/format.js): paragraphs, "- " lists and [text](url) links with only
// http, https and mailto; everything else stays text.
import test from 'node:test';
import assert from 'node:assert/strict';
import { parseAnswer, parseInline, safeHref } from '../src/js/format.js';

test('a blank line starts a paragraph; lines of one paragraph stay its lines', () => {
  assert.deepEqual(parseAnswer('첫 줄\n둘째 줄\n\n  \n새 문단'), [
    { p: [[{ text: '첫 줄' }], [{ text: '둘째 줄' }]] },
    { p: [[{ text: '새 문단' }]] },
  ]);
  assert.deepEqual(parseAnswer('한 줄\r\n\r\n두 줄'), [{ p: [[{ text: '한 줄' }]] }, { p: [[{ text: '두 줄' }]] }]);
  assert.deepEqual(parseAnswer(''), []);
  assert.deepEqual(parseAnswer(null), []);
});

test('lines starting with "- " are a list, apart from the paragraph around them', () => {
  assert.deepEqual(parseAnswer('준비물:\n- 신분증\n- 영수증\n감사합니다'), [
    { p: [[{ text: '준비물:' }]] },
    { ul: [[{ text: '신분증' }], [{ text: '영수증' }]] },
    { p: [[{ text: '감사합니다' }]] },
  ]);
  assert.deepEqual(parseAnswer('-없음\n-1,000원'), [{ p: [[{ text: '-없음' }], [{ text: '-1,000원' }]] }], 'no space: not a list');
});

test('links are only http, https and mailto; other schemes stay as typed', () => {
  assert.deepEqual(parseInline('자세히는 [반품 안내](https://shop.example/returns?a=1&b=2) 참고'), [
    { text: '자세히는 ' }, { link: { text: '반품 안내', href: 'https://shop.example/returns?a=1&b=2' } }, { text: ' 참고' },
  ]);
  assert.deepEqual(parseInline('[메일](mailto:help@shop.example)'), [{ link: { text: '메일', href: 'mailto:help@shop.example' } }]);
  for (const bad of ['javascript:alert(1)', 'JavaScript:alert(1)', 'data:text/html;base64,PHNjcmlwdD4=', 'vbscript:msgbox',
    '/relative', '//evil.example/x', 'java\tscript:alert(1)', 'mailto:', 'file:///etc/passwd']) {
    const line = `[눌러 보세요](${bad})`;
    assert.deepEqual(parseInline(line), [{ text: line }], bad);
    assert.equal(safeHref(bad), null, bad);
  }
  assert.deepEqual(parseInline('[a](javascript:x) 와 [b](http://ok.example)'), [
    { text: '[a](javascript:x) 와 ' }, { link: { text: 'b', href: 'http://ok.example/' } },
  ]);
  assert.deepEqual(parseInline('<img src=x onerror=alert(1)>'), [{ text: '<img src=x onerror=alert(1)>' }]);
});
