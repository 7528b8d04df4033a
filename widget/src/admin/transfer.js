// FAQ import and export on the admin page. Import: choose a file, see the dry run's report
// (every problem with its line, and in JSON its entry's position and id), then import all of it or nothing. Export: CSV for Excel or JSON,
// downloaded with the admin's token (a plain link could not carry it). All text is textContent.

import { h } from '/js/dom.js';
import { uploadType, downloadName, importView } from './files.js';
import { refusalText } from './refusals.js';

/**
 * Wires the import dialog and export buttons. `token()` gives the bearer token, `t` the
 * translator, `toast(text)` shows a message, `onImported()` runs after a stored import,
 * `onAuthFailure(status)` after a 401/403.
 */
export function mountTransfer({ locale, token, t, toast, onImported, onAuthFailure }) {
  const $ = (id) => document.querySelector(`[data-testid="${id}"]`);
  const dialog = $('import-dialog');
  const fileInput = $('import-file');
  const report = $('import-report');
  const confirm = $('import-confirm');
  let chosen = null;

  async function send(method, path, body, contentType) {
    const res = await fetch(path, {
      method,
      headers: { Authorization: `Bearer ${token()}`, ...(contentType ? { 'Content-Type': contentType } : {}) },
      body,
    });
    if (res.status === 401 || res.status === 403) onAuthFailure(res.status);
    return res;
  }

  async function upload(dryRun) {
    if (!chosen) return null;
    const res = await send('POST', `/api/admin/faq/import${dryRun ? '?dryRun=true' : ''}`, chosen, uploadType(chosen.name));
    const json = await res.json().catch(() => null);
    if (json && 'rows' in json) return json;
    throw new Error(refusalText(json, locale, t('admin.error.generic')));
  }

  function show(result) {
    // Each problem in the page's language, as the editor says the same refusal (refusals.js).
    const view = importView(result, t, { say: (problem) => refusalText(problem, locale) });
    report.dataset.ok = String(view.errors.length === 0);
    // No errors list at all for a clean file: replaceChildren, unlike h(), would draw a null as "null".
    const errors = view.errors.length === 0 ? [] : [h('ul', { class: 'import-report__errors' },
      ...view.errors.map((e) => h('li', { testid: 'import-error', dataset: { line: e.line, entry: e.entry }, text: e.text })))];
    report.replaceChildren(
      h('p', { class: 'import-report__summary', testid: 'import-summary', text: view.summary }),
      ...errors,
      h('ul', { class: 'import-report__lines' },
        ...view.lines.slice(0, 200).map((l) => h('li', { testid: 'import-line', dataset: { line: l.line, entry: l.entry, action: l.action }, text: l.text }))));
    confirm.disabled = !view.canImport;
  }

  async function preview() {
    confirm.disabled = true;
    report.replaceChildren(h('p', { text: t('admin.import.checking') }));
    try {
      show(await upload(true));
    } catch (error) {
      report.replaceChildren(h('p', { class: 'error', testid: 'import-failed', text: error.message }));
    }
  }

  $('faq-import').addEventListener('click', () => {
    chosen = null;
    fileInput.value = '';
    confirm.disabled = true;
    report.replaceChildren();
    dialog.showModal();
  });
  $('import-cancel').addEventListener('click', () => dialog.close());
  fileInput.addEventListener('change', () => {
    chosen = fileInput.files?.[0] ?? null;
    if (chosen) preview();
  });
  confirm.addEventListener('click', async () => {
    confirm.disabled = true;
    try {
      const result = await upload(false);
      show(result);
      if (result.applied) {
        toast(importView(result, t).summary);
        dialog.close();
        onImported();
      }
    } catch (error) {
      report.replaceChildren(h('p', { class: 'error', testid: 'import-failed', text: error.message }));
    }
  });

  const download = (path, fallback) => downloadFile(send, path, fallback).catch((error) => toast(error.message ?? t('admin.error.generic')));
  for (const format of ['csv', 'json']) {
    $(`faq-export-${format}`).addEventListener('click', () => download(`/api/admin/faq/export?format=${format}`, `sodam-faq.${format}`));
  }
  return { download };
}

/** Fetches a file with the admin's token and hands it to the browser as a download. */
async function downloadFile(send, path, fallback) {
  const res = await send('GET', path);
  if (!res.ok) throw new Error((await res.json().catch(() => null))?.message);
  const url = URL.createObjectURL(await res.blob());
  const link = h('a', { href: url, download: downloadName(res.headers.get('Content-Disposition'), fallback) });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
