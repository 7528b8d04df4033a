// DOM-free logic of the admin page, so Node can test it: turning the form into the API's
// FAQ body, and the words for the bot's status and a test question's result.

/** One paraphrase per line: trimmed, blank lines and repeats dropped. */
export function parseLines(text) {
  const seen = new Set();
  for (const line of String(text ?? '').split(/\r?\n/)) {
    const value = line.trim();
    if (value) seen.add(value);
  }
  return [...seen];
}

/**
 * Tags separated by commas (a Korean IME's ， and 、 count as commas), lower-cased, without repeats: the
 * import's rule (docs/admin.md). A space stays inside its tag, so "배송 조회" reaches the server whole and
 * is refused with its reason, as on an import row, instead of quietly becoming two tags.
 */
export function parseTags(text) {
  const seen = new Set();
  for (const part of String(text ?? '').split(/[,、，]/)) {
    const value = part.trim().toLowerCase();
    if (value) seen.add(value);
  }
  return [...seen];
}

/** The body of POST /api/admin/faq (no version) or PUT /api/admin/faq/{id} (with the version read). */
export function faqBody({ question, paraphrases, answer, tags, locale, enabled, team, translation }, version = null) {
  const body = {
    locale,
    question: String(question ?? '').trim(),
    paraphrases: parseLines(paraphrases),
    answer: String(answer ?? '').trim(),
    tags: parseTags(tags),
    enabled: Boolean(enabled),
    team: String(team ?? '').trim() || null,
    translation: String(translation ?? '').trim() || null,
  };
  if (version != null) body.version = version;
  return body;
}

/** The form's values for an entry from the API (the inverse of faqBody). */
export function formValues(entry) {
  return {
    question: entry?.question ?? '',
    paraphrases: (entry?.paraphrases ?? []).join('\n'),
    answer: entry?.answer ?? '',
    tags: (entry?.tags ?? []).join(', '),
    locale: entry?.locale ?? 'ko',
    enabled: entry?.enabled ?? true,
    team: entry?.team ?? '',
    translation: entry?.translation ?? '',
  };
}

/** The query string of GET /api/admin/faq for the filters ('' when none). */
export function listQuery({ q, locale, tag, team } = {}) {
  const params = new URLSearchParams();
  if (q && q.trim()) params.set('q', q.trim());
  if (locale) params.set('locale', locale);
  if (team) params.set('team', team);
  if (tag && tag.trim()) params.set('tag', tag.trim().toLowerCase());
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** HH:MM of an ISO time, in the page's time zone; '' when absent. */
export function clock(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

/**
 * What the status line says and how far the rebuild has come: { text, progress } where progress
 * is null when idle, else 0..0.95 estimated from the last rebuild's duration.
 */
export function botStatusView(status, t, now = Date.now()) {
  if (!status) return { text: '', progress: null };
  if (status.state === 'rebuilding') {
    const since = Date.parse(status.rebuildingSince ?? '');
    const expected = status.lastDurationMs > 0 ? status.lastDurationMs : 2000;
    const progress = Number.isFinite(since) ? Math.min(0.95, Math.max(0, (now - since) / expected)) : 0;
    return { text: t('admin.bot.rebuilding'), progress };
  }
  if (status.state === 'failed') return { text: t('admin.bot.failed', { error: status.lastError ?? '' }), progress: null };
  let text = t('admin.bot.ready', { version: status.version, entries: status.entries, when: clock(status.trainedAt) });
  if (status.lastError) text += ` · ${t('admin.bot.lastError', { error: status.lastError })}`;
  return { text, progress: null, validation: validationView(status.locales, t) };
}

/**
 * One line per locale: its answer threshold, where it came from, and the held-out validation's
 * figures when the thresholds were calibrated (docs/bot.md, "Thresholds of the live FAQ").
 */
export function validationView(locales, t) {
  return Object.entries(locales ?? {}).map(([locale, l]) => {
    const params = {
      locale,
      answer: Number(l.answerThreshold ?? 0).toFixed(2),
      source: t(`admin.bot.source.${l.source}`),
    };
    if (l.inScopeAccuracy == null) return t('admin.bot.thresholds', params);
    const line = t('admin.bot.validation', {
      ...params,
      inScope: Math.round(l.inScopeAccuracy),
      oos: Math.round(l.oosRecall),
      n: l.inScope,
      nOos: l.oos,
    });
    // How far the confidence is from the share of right answers on the same questions (docs/bot.md).
    return l.calibrationError == null ? line
      : line + t('admin.bot.calibration', { error: Number(l.calibrationError).toFixed(1) });
  });
}

/** The lines a test question's result shows: summary, answer (if any), candidates. */
export function askView(result, t) {
  const decision = t(`admin.ask.decision.${result.decision}`);
  return {
    summary: t('admin.ask.summary', { decision, confidence: Math.round((result.confidence ?? 0) * 100) }),
    answer: result.answer ?? null,
    faqId: result.faqId ?? null,
    candidates: (result.candidates ?? []).map((c) => ({
      faqId: c.faqId,
      text: t('admin.ask.candidate', { question: c.question, score: Math.round((c.score ?? 0) * 100) }),
    })),
  };
}

/**
 * The test console's extra lines: the band the confidence fell in with the thresholds used, and
 * the analyzer's terms (words; n-grams are left to the API).
 */
export function bandView(result, t) {
  const th = result.thresholds ?? {};
  return {
    band: result.band ?? null,
    text: result.band == null ? '' : t('admin.ask.band', {
      band: t(`admin.ask.decision.${result.band}`),
      answer: Number(th.answerThreshold ?? 0).toFixed(2),
      clarify: Number(th.clarifyThreshold ?? 0).toFixed(2),
    }),
    tokens: result.analysis?.words ?? [],
    tokenLocale: result.analysis?.locale ?? null,
  };
}

/**
 * The what-if form's body, or { error } when a threshold is not a number within 0..1 or clarify is
 * above answer (the server refuses those too; the page says so before asking).
 */
export function whatIfBody({ locale, answer, clarify }, t) {
  const a = Number(String(answer ?? '').trim());
  const c = Number(String(clarify ?? '').trim());
  const unit = (v, raw) => String(raw ?? '').trim() !== '' && Number.isFinite(v) && v >= 0 && v <= 1;
  if (!unit(a, answer) || !unit(c, clarify)) return { error: t('admin.whatif.range') };
  if (c > a) return { error: t('admin.whatif.order') };
  return { body: { locale, answerThreshold: a, clarifyThreshold: c } };
}

/** What a what-if shows: one row per decision (before → after), the change count, and transitions. */
export function whatIfView(result, t) {
  const rows = ['answer', 'clarify', 'handoff'].map((d) => ({
    decision: d,
    label: t(`admin.ask.decision.${d}`),
    before: result.before?.[d] ?? 0,
    after: result.after?.[d] ?? 0,
  }));
  const name = (d) => t(`admin.ask.decision.${d}`);
  return {
    summary: t('admin.whatif.summary', { changed: result.changed ?? 0, questions: result.questions ?? 0 }),
    rows,
    changes: Object.entries(result.changes ?? {}).map(([key, n]) => {
      const [from, to] = key.split('->');
      return t('admin.whatif.change', { from: name(from), to: name(to), n });
    }),
    examples: (result.examples ?? []).map((e) => ({
      text: e.text,
      detail: t('admin.whatif.example', { from: name(e.before), to: name(e.after),
        confidence: Math.round((e.confidence ?? 0) * 100), times: e.times }),
    })),
  };
}

/** One line of a webhook's delivery log, and whether it may be sent again (failed or still pending). */
export function deliveryView(delivery, t) {
  const status = t(`admin.webhooks.status.${delivery.status}`);
  const error = delivery.lastError ? ` · ${delivery.lastError}` : '';
  return {
    text: t('admin.webhooks.row', { seq: delivery.seq, type: delivery.type, status, attempts: delivery.attempts, error }),
    redeliverable: delivery.status !== 'pending' || delivery.attempts > 0,
    failed: delivery.status === 'failed',
  };
}
