// What the admin pages say when the server refuses a request: the server's `reason`, `field` and
// `params` (docs/protocol.md, "HTTP errors") in the page's language, so a Korean page does not
// show an English sentence. A refusal without a reason, or with one this page does not know yet,
// shows the server's own message: the reasons are added to over time, never renamed.
// DOM-free (Node tests it); the caller puts the text in with textContent.

import { adminStringTables } from './strings.js';

const tables = adminStringTables();

/** Params whose values are words of the same kind as another's: `otherDay` is a day as `day` is. */
const VALUE_KINDS = { otherDay: 'day' };

/** The template for `key` in `locale`, else English, else null (never the key itself). */
function template(key, locale) {
  return (tables[locale] ?? tables.en)[key] ?? tables.en[key] ?? null;
}

/**
 * A field as an admin knows it: "대표 질문" for `question`; `greeting.ko` is the greeting's Korean
 * text; `prechat.fields[].id` and other inner parts are named by their outer field. An unknown field
 * is shown as the server names it.
 */
export function fieldLabel(field, locale) {
  if (typeof field !== 'string' || field === '') return '';
  const whole = template(`field.${field}`, locale);
  if (whole) return whole;
  const [outer, ...rest] = field.split('.');
  const label = template(`field.${outer}`, locale) ?? outer;
  const language = rest.length === 1 ? template(`field.language.${rest[0]}`, locale) : null;
  return language ? `${label} (${language})` : label;
}

/**
 * The sentence for a refusal `{code, message, reason, field, params}` in `locale`, or the server's
 * `message` (or `fallback`) when the page has no words for it. `refusal.<reason>.<field>` wins over
 * `refusal.<reason>.<outer field>`, which wins over `refusal.<reason>`, so a field can say something
 * more exact ("이메일 주소 형식이 아니에요"); a template that needs a param the server did not send is
 * passed over for the next, more general one. A param with words of its own (`refusal.value.day.mon`:
 * "월요일") is said with them.
 */
export function refusalText(refusal, locale, fallback = '') {
  const message = typeof refusal?.message === 'string' && refusal.message ? refusal.message : fallback;
  const reason = refusal?.reason;
  if (typeof reason !== 'string' || !/^[a-z_]+$/.test(reason)) return message;
  const field = typeof refusal.field === 'string' ? refusal.field : '';
  const outer = field.split('.')[0];
  const vars = { field: fieldLabel(field, locale) };
  for (const [name, value] of Object.entries(refusal.params ?? {})) {
    if (value === null || typeof value === 'object') continue;
    vars[name] = typeof value === 'number' ? value.toLocaleString(locale === 'ko' ? 'ko-KR' : 'en-US')
      : template(`refusal.value.${VALUE_KINDS[name] ?? name}.${value}`, locale) ?? String(value);
  }
  const candidates = [field && `refusal.${reason}.${field}`, outer && outer !== field && `refusal.${reason}.${outer}`,
    `refusal.${reason}`];
  for (const key of candidates) {
    const text = key && template(key, locale);
    if (!text) continue;
    let missing = false;
    const said = text.replace(/\{(\w+)\}/g, (m, name) => {
      if (name in vars && vars[name] !== '') return vars[name];
      missing = true;
      return m;
    });
    // A template that needs a number the server did not send would show "{max}": try a plainer one.
    if (!missing) return said;
  }
  return message;
}
