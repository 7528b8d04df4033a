// DOM-free logic of FAQ import and export (testable in Node): which content type an upload is
// sent as, the file name of a download, and the words of an import report.

/** The Content-Type an FAQ file is uploaded with, from its name (the server also sniffs). */
export function uploadType(name) {
  return /\.json$/i.test(String(name ?? '')) ? 'application/json' : 'text/csv';
}

/** The file name in a Content-Disposition header, or the fallback. */
export function downloadName(disposition, fallback) {
  const match = /filename="?([^";]+)"?/i.exec(String(disposition ?? ''));
  return match ? match[1] : fallback;
}

/**
 * What the import dialog shows for a report from POST /api/admin/faq/import:
 * { summary, errors: [{line, entry, text}], lines: [{line, entry, action, text}], canImport }.
 * `canImport` is true only for a clean dry run that would change something. `say(problem)` words a
 * problem in the page's language (default: the server's message).
 */
export function importView(report, t, { say = (problem) => problem.message } = {}) {
  // A JSON file on one line has every entry on line 1: the entry's position and id are what find it.
  const where = (entry, id) => [entry == null ? null : t('admin.import.entry', { entry }), id ? t('admin.import.id', { id }) : null]
    .filter(Boolean).map((part) => ` · ${part}`).join('');
  const errors = (report?.errors ?? []).map((e) => ({
    line: e.line,
    entry: e.entry ?? null,
    // A problem worded from its reason names its field itself; the server's message gets the column in front.
    text: t('admin.import.error', { line: e.line, where: where(e.entry, e.id),
      field: e.field && say(e) === e.message ? `${e.field}: ` : '', message: say(e) || e.message }),
  }));
  // A line already shows its question (or id), so only the entry's position is added.
  const lines = (report?.lines ?? []).map((l) => ({
    line: l.line,
    entry: l.entry ?? null,
    action: l.action,
    text: t('admin.import.line', { line: l.line, where: where(l.entry, null), action: t(`admin.import.action.${l.action}`),
      question: l.question ?? l.id ?? '' }),
  }));
  const counts = { created: report?.created ?? 0, updated: report?.updated ?? 0, unchanged: report?.unchanged ?? 0 };
  const summary = t(report?.applied ? 'admin.import.applied' : 'admin.import.summary', {
    format: String(report?.format ?? '').toUpperCase(), encoding: report?.encoding ?? '', rows: report?.rows ?? 0, ...counts,
  });
  const canImport = Boolean(report?.dryRun && errors.length === 0 && counts.created + counts.updated > 0);
  return { summary, errors, lines, canImport };
}
