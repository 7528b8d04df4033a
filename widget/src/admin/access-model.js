// Pure helpers of the users / teams / audit page, kept apart from the DOM so node tests cover them.

/** Query string of the audit search; blank filters are left out. */
export function auditQuery(filters, format) {
  const params = new URLSearchParams();
  for (const key of ['actor', 'action', 'type', 'from', 'to']) {
    const value = (filters[key] ?? '').trim();
    if (value) params.set(key, value);
  }
  if (format) params.set('format', format);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The invite form as an API body: blank optional fields are left out (the server decides). */
export function inviteBody(form) {
  const body = { email: form.email.trim(), name: form.name.trim(), role: form.role };
  if (form.siteId.trim()) body.siteId = form.siteId.trim();
  if (form.maxChats.trim()) body.maxChats = Number(form.maxChats);
  if (form.password) body.password = form.password;
  return body;
}

/** Comma-separated text → trimmed, non-empty, de-duplicated items. */
export function splitList(text) {
  return [...new Set(text.split(',').map((s) => s.trim()).filter(Boolean))];
}

/**
 * The team form as an API body. `hoursText` empty → null (always open); otherwise it must be
 * JSON: returns `{ error: 'hours' }` when it is not, so nothing is sent.
 */
export function teamBody(form, version) {
  let hours = null;
  if (form.hoursText.trim()) {
    try { hours = JSON.parse(form.hoursText); } catch { return { error: 'hours' }; }
  }
  const body = {
    id: form.id.trim(),
    name: { ko: form.nameKo.trim(), en: form.nameEn.trim() },
    allAgents: Boolean(form.allAgents),
    tags: splitList(form.tags),
    members: form.members,
    hours,
  };
  if (version) body.version = version;
  return { body };
}

/** One line saying what changed between an audit row's before and after (top-level fields). */
export function auditChange(before, after) {
  if (!before && after) return Object.keys(after).filter((k) => after[k] !== null).map((k) => `${k}=${show(after[k])}`).join(', ');
  if (before && !after) return Object.keys(before).map((k) => `${k}=${show(before[k])}`).join(', ');
  if (!before || !after) return '';
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((k) => !['version', 'updatedAt'].includes(k) && JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  return keys.map((k) => `${k}: ${show(before[k])} → ${show(after[k])}`).join(', ');
}

function show(value) {
  if (value === null || value === undefined) return '∅';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/** The token in a password link's fragment (`#token=…`), or null. */
export function linkToken(hash) {
  const match = /(?:^#|&)token=([^&]+)/.exec(hash ?? '');
  return match ? decodeURIComponent(match[1]) : null;
}

/** One entry per line → trimmed, non-empty, de-duplicated items (origins, quick replies). */
export function splitLines(text) {
  return [...new Set((text ?? '').split(/\r?\n/).map((s) => s.trim()).filter(Boolean))];
}

/** The site form as an API body: the key only when adding (it never changes); origins one per line. */
export function siteBody(form, adding) {
  const body = { name: form.name.trim(), allowedOrigins: splitLines(form.origins) };
  if (adding) body.id = form.id.trim();
  if (!body.name) delete body.name;
  return body;
}

/** The site settings form as a partial settings change: blank texts are left as they are. */
export function siteSettingsBody(form) {
  const body = {};
  const greeting = {};
  if (form.greetingKo.trim()) greeting.ko = form.greetingKo.trim();
  if (form.greetingEn.trim()) greeting.en = form.greetingEn.trim();
  if (Object.keys(greeting).length) body.greeting = greeting;
  const privacy = {};
  if (form.privacyKo.trim()) privacy.ko = form.privacyKo.trim();
  if (form.privacyEn.trim()) privacy.en = form.privacyEn.trim();
  if (Object.keys(privacy).length) body.privacy = privacy;
  if (form.accentColor.trim()) body.accentColor = form.accentColor.trim();
  body.quickReplies = { ko: splitLines(form.quickKo), en: splitLines(form.quickEn) };
  return body;
}
