// The site's settings as the server serves them (GET /api/sites/<site>/settings, docs/admin.md):
// fetched when the widget opens, applied to the look (accent colour, side, greeting, logo) and
// consulted for the agent display names, the pre-chat form, the offline form and the NPS question.
// Everything in them is site-admin text: used as text or as a validated http(s) URL only.

/** GET the settings; null when they cannot be had (the widget then keeps its defaults). */
export async function fetchSettings(base, site, fetchImpl = globalThis.fetch) {
  if (typeof fetchImpl !== 'function') return null;
  try {
    const url = new URL(`api/sites/${encodeURIComponent(site)}/settings`, base);
    const res = await fetchImpl(url.href, { credentials: 'omit', cache: 'no-store' });
    if (!res.ok) return null;
    const body = await res.json();
    return body && typeof body === 'object' ? body : null;
  } catch {
    return null;
  }
}

/** An http(s) URL as a string, or null: never javascript:, data: or anything relative. */
export function safeUrl(value) {
  if (typeof value !== 'string') return null;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

/** #rrggbb or null. */
export function safeColor(value) {
  return typeof value === 'string' && /^#[0-9a-fA-F]{6}$/.test(value) ? value : null;
}

/** Text for the current locale from {ko, en}, or null. */
export function localized(map, locale) {
  if (!map || typeof map !== 'object') return null;
  const text = map[locale] ?? map.en ?? map.ko;
  return typeof text === 'string' && text.trim() ? text : null;
}

/**
 * Why no person can answer now: 'closed' (no team is within its business hours), 'noAgent'
 * (within hours, but no agent is connected), or null (someone can, or the settings are unknown).
 * The visitor is told which: "outside consultation hours" is wrong while the team is open.
 */
export function unavailability(settings) {
  if (!settings) return null;
  if (settings.hours?.open === false) return 'closed';
  if (settings.agentsOnline === false) return 'noAgent';
  return null;
}

/** Whether a person can answer now: some team open and some agent connected. */
export function agentsAvailable(settings) {
  return unavailability(settings) === null;
}

/** Whether a handoff should become the offline form. */
export function wantsOfflineForm(settings) {
  return Boolean(settings) && settings.offline?.mode !== 'chat' && !agentsAvailable(settings);
}
