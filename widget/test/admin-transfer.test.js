// The FAQ import dialog (src/admin/transfer.js) in a small stand-in DOM: a file is chosen, the dry
// run's report is drawn. The stand-in's append/replaceChildren turn anything that is not a node
// into a text node with String(), as browsers do, so a stray null shows up as the text "null".
import test from 'node:test';
import assert from 'node:assert/strict';
import { register } from 'node:module';
import { adminTranslator } from '../src/admin/strings.js';

// The admin pages import shared modules by their served path (/js/dom.js); here that is src/js/.
const SRC_JS = new URL('../src/js/', import.meta.url).href;
register(`data:text/javascript,${encodeURIComponent(`
  export async function resolve(specifier, context, next) {
    return next(specifier.startsWith('/js/') ? ${JSON.stringify(SRC_JS)} + specifier.slice(4) : specifier, context);
  }`)}`);

class FakeNode {
  constructor(tag) {
    this.tag = tag;
    this.children = [];
    this.dataset = {};
    this.attributes = {};
    this.listeners = {};
    this.disabled = false;
    this.value = '';
  }

  static adopt(child) {
    return child instanceof FakeNode ? child : Object.assign(new FakeNode('#text'), { data: String(child) });
  }

  append(...children) { this.children.push(...children.map(FakeNode.adopt)); }
  replaceChildren(...children) { this.children = children.map(FakeNode.adopt); }
  setAttribute(name, value) { this.attributes[name] = value; }
  addEventListener(type, fn) { (this.listeners[type] ??= []).push(fn); }
  dispatch(type) { for (const fn of this.listeners[type] ?? []) fn({ type }); }
  showModal() { this.open = true; }
  close() { this.open = false; }
  set textContent(text) { this.children = [FakeNode.adopt(text)]; }
  get textContent() { return this.tag === '#text' ? this.data : this.children.map((c) => c.textContent).join(''); }
}

/** A page with the dialog's elements, found by data-testid as transfer.js looks them up. */
function fakePage() {
  const byTestid = new Map();
  for (const id of ['import-dialog', 'import-file', 'import-report', 'import-confirm', 'import-cancel', 'faq-import',
    'faq-export-csv', 'faq-export-json']) byTestid.set(id, new FakeNode(id));
  globalThis.document = {
    createElement: (tag) => new FakeNode(tag),
    querySelector: (selector) => byTestid.get(/data-testid="([^"]+)"/.exec(selector)?.[1]) ?? null,
  };
  return byTestid;
}

const cleanDryRun = {
  dryRun: true, applied: false, format: 'csv', encoding: 'CP949', rows: 1, created: 1, updated: 0, unchanged: 0,
  lines: [{ line: 2, id: null, action: 'create', question: '캠핑 의자도 파나요?' }], errors: [],
};

async function importFile(report) {
  const page = fakePage();
  globalThis.fetch = async () => ({ status: 200, ok: true, json: async () => report });
  const { mountTransfer } = await import('../src/admin/transfer.js');
  mountTransfer({ token: () => 'at_1', t: adminTranslator('ko'), toast: () => {}, onImported: () => {}, onAuthFailure: () => {} });
  page.get('faq-import').dispatch('click');
  const input = page.get('import-file');
  input.files = [{ name: 'faq.csv' }];
  input.dispatch('change');
  await new Promise((resolve) => setTimeout(resolve, 0));
  return page;
}

test('a clean file\'s report is the summary and its lines, with no "null" for the missing errors', async () => {
  const page = await importFile(cleanDryRun);
  const report = page.get('import-report');
  assert.deepEqual(report.children.map((c) => c.dataset.testid ?? c.tag), ['import-summary', 'ul']);
  assert.doesNotMatch(report.textContent, /null/);
  assert.equal(report.dataset.ok, 'true');
  assert.equal(page.get('import-confirm').disabled, false);
});

test('a file with problems lists each one between the summary and the lines', async () => {
  const page = await importFile({ ...cleanDryRun,
    errors: [{ line: 4, field: 'answer', message: "field 'answer' must not be blank" }] });
  const report = page.get('import-report');
  assert.equal(report.children.length, 3);
  assert.equal(report.children[1].children[0].dataset.testid, 'import-error');
  assert.equal(report.children[1].textContent, "4번째 줄 · answer: field 'answer' must not be blank");
  assert.equal(report.dataset.ok, 'false');
  assert.equal(page.get('import-confirm').disabled, true);
});

test('a one-line JSON file\'s problems name the entry and its id, so the admin can find it', async () => {
  const page = await importFile({ ...cleanDryRun, format: 'json', encoding: 'UTF-8',
    lines: [{ line: 1, entry: 1, id: null, action: 'create', question: '첫 질문' }],
    errors: [{ line: 1, entry: 2, id: 'ko-bad', field: 'locale', message: "unknown locale 'jp'" },
      { line: 1, entry: 3, id: null, field: null, message: 'an entry must be a JSON object' }] });
  const report = page.get('import-report');
  const [first, second] = report.children[1].children;
  assert.equal(first.textContent, "1번째 줄 · 2번째 항목 · id ko-bad · locale: unknown locale 'jp'");
  assert.deepEqual({ ...first.dataset }, { testid: 'import-error', line: '1', entry: '2' });
  assert.equal(second.textContent, '1번째 줄 · 3번째 항목 · an entry must be a JSON object');
  const line = report.children[2].children[0];
  assert.equal(line.textContent, '1번째 줄 · 1번째 항목 · 새로 만듦 · 첫 질문');
  assert.equal(line.dataset.entry, '1');
  assert.doesNotMatch(report.textContent, /null|undefined/);
});

test('a CSV problem keeps its line and gains the row\'s id, with no entry', async () => {
  const page = await importFile({ ...cleanDryRun,
    errors: [{ line: 5, entry: null, id: 'ko-x', field: null, message: 'a quote (") opened here is never closed' }] });
  const item = page.get('import-report').children[1].children[0];
  assert.equal(item.textContent, '5번째 줄 · id ko-x · a quote (") opened here is never closed');
  assert.equal('entry' in item.dataset, false);
});
