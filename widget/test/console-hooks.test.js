// The console's test hooks for transfer, notes, workspace, alerts and canned responses exist where
// the browser tests (server/src/test/java/.../ConsoleBrowserTest.java) and the README say, and every
// console string they use has both languages.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { stringTables } from '../src/js/i18n.js';

const read = (p) => readFileSync(new URL(`../src/${p}`, import.meta.url), 'utf8');

test('the console draws the new hooks', () => {
  const js = read('console/console.js');
  for (const id of ['transfer', 'transfer-dialog', 'transfer-agent', 'transfer-team', 'transfer-note', 'transfer-confirm',
    'transfer-cancel', 'transfer-error', 'note-toggle', 'note', 'note-text', 'needs-reply', 'reply-wait', 'unread',
    'canned-list', 'canned-item', 'canned-manage', 'canned-dialog', 'canned-row', 'canned-delete', 'canned-shortcut',
    'canned-locale', 'canned-text', 'canned-add', 'canned-scope', 'canned-row-scope', 'canned-error', 'dialog-close',
    'context-panel', 'context-intent', 'context-confidence', 'context-candidate', 'context-score', 'context-insert',
    'context-insert-best', 'context-transcript', 'read-mark', 'sv-waiting-item', 'sv-wait', 'labels', 'label', 'label-remove', 'label-input', 'item-label', 'context-pages', 'context-previous-item', 'context-sentiment']) {
    assert.match(js, new RegExp(`testid: [^\\n]*'${id}'`), id);
  }
  const html = read('console/index.html');
  for (const id of ['console-mute', 'shortcuts-help', 'shortcuts', 'supervisor', 'sv-queue-length', 'sv-longest-wait',
    'sv-online', 'sv-load', 'sv-waiting']) assert.match(html, new RegExp(`data-testid="${id}"`), id);
});

test('every console string the page uses exists in Korean and English', () => {
  const used = new Set();
  for (const p of ['console/console.js', 'console/index.html']) {
    for (const m of read(p).matchAll(/['"](console\.[\w.]+)['"]/g)) used.add(m[1]);
  }
  const { ko, en } = stringTables();
  const missing = [...used].filter((k) => !(k in ko) || !(k in en));
  assert.deepEqual(missing, []);
});
