// DOM-free logic of the gap report and the dashboard (testable in Node): query strings, words
// for reasons and durations, the draft body made from a gap cluster, and chart geometry.

/** YYYY-MM-DD of a Date in the browser's time zone. */
export function isoDate(date) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The default period: the last `days` days up to today, as {from, to} dates. */
export function defaultPeriod(now = new Date(), days = 30) {
  const from = new Date(now.getTime());
  from.setDate(from.getDate() - (days - 1));
  return { from: isoDate(from), to: isoDate(now) };
}

/** The query string of a report: only the filters that are set. */
export function reportQuery(filters = {}) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) {
    if (value != null && String(value).trim() !== '') params.set(key, String(value).trim());
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** "3분 12초", "2시간 5분", "45초" (ko) / "3 min 12 s" (en); '–' when there is no figure. */
export function formatSeconds(seconds, locale = 'ko') {
  if (seconds == null || !Number.isFinite(seconds)) return '–';
  const s = Math.round(seconds);
  const ko = locale === 'ko';
  const days = Math.floor(s / 86400);
  const hours = Math.floor((s % 86400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const secs = s % 60;
  const unit = ko ? { d: '일', h: '시간', m: '분', s: '초' } : { d: ' d', h: ' h', m: ' min', s: ' s' };
  const parts = [];
  if (days) parts.push(`${days}${unit.d}`);
  if (hours) parts.push(`${hours}${unit.h}`);
  if (minutes && !days) parts.push(`${minutes}${unit.m}`);
  if (!days && !hours && (secs || parts.length === 0)) parts.push(`${secs}${unit.s}`);
  return parts.slice(0, 2).join(' ');
}

/** 0.623 → "62.3%"; null → '–'. */
export function formatRate(rate) {
  return rate == null || !Number.isFinite(rate) ? '–' : `${Math.round(rate * 1000) / 10}%`;
}

/**
 * The body of POST /api/admin/gaps/draft for a cluster: its representative question, the other
 * questions as paraphrases, and the chosen agent answer (index into agentAnswers; -1 = none).
 */
export function draftBody(cluster, answerIndex = 0) {
  const question = cluster.label;
  const paraphrases = [...new Set((cluster.examples ?? []).map((e) => e.text).filter((text) => text && text !== question))];
  const answer = answerIndex >= 0 ? cluster.agentAnswers?.[answerIndex]?.text ?? null : null;
  const body = { locale: cluster.locale, question, paraphrases };
  if (answer) body.answer = answer;
  return body;
}

/** A round upper bound for an axis: 1, 2, 5 × 10^n at or above max (at least 1). */
export function niceMax(max) {
  if (!(max > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) {
    if (step * power >= max) return step * power;
  }
  return 10 * power;
}

/**
 * Bars of a vertical bar chart in a box of width × height (plot area below `top`, above
 * `bottom`): [{x, y, width, height, value, label}], with the axis maximum.
 */
export function barLayout(values, labels, { width = 600, height = 200, top = 10, bottom = 24, left = 36, gap = 2 } = {}) {
  const max = niceMax(Math.max(0, ...values));
  const plot = height - top - bottom;
  const slot = values.length ? (width - left) / values.length : 0;
  const bars = values.map((value, i) => {
    const h = Math.round((value / max) * plot * 10) / 10;
    return { x: Math.round((left + i * slot + gap / 2) * 10) / 10, y: Math.round((top + plot - h) * 10) / 10,
      width: Math.max(1, Math.round((slot - gap) * 10) / 10), height: h, value, label: labels[i] };
  });
  return { max, bars, plotTop: top, plotBottom: top + plot, left };
}
