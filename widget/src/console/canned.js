// Canned responses of the agent console, kept on the server (GET/POST/DELETE /api/workspace/canned):
// shared ones (admins manage them) and each agent's own. No DOM here (test/console-canned.test.js).
//
// Typing "/" at the start of the reply box opens the list; what follows the slash filters it
// ("/배" → "/배송"); Enter or Tab replaces the "/query" with the response's text.

/**
 * What every console used to start with when responses lived in localStorage; they are shared on
 * the server now, so an old copy of them is not uploaded as the agent's own.
 */
export const LEGACY_DEFAULTS = Object.freeze([
  { shortcut: '인사', locale: 'ko', text: '안녕하세요, 소담 상담원입니다. 무엇을 도와드릴까요?' },
  { shortcut: '배송', locale: 'ko', text: '주문하신 상품은 결제 후 1~2일 안에 출고되고, 출고 후 보통 1~2일이면 받아보실 수 있어요. 주문번호를 알려주시면 바로 확인해 드릴게요.' },
  { shortcut: '환불', locale: 'ko', text: '환불은 취소가 접수된 뒤 영업일 기준 3~5일 안에 결제하신 수단으로 처리돼요.' },
  { shortcut: '마무리', locale: 'ko', text: '더 궁금하신 점이 있으면 언제든 말씀해 주세요. 좋은 하루 보내세요!' },
  { shortcut: 'hello', locale: 'en', text: 'Hi, this is Sodam support. How can I help you today?' },
  { shortcut: 'shipping', locale: 'en', text: 'Orders ship within 1–2 days of payment and usually arrive 1–2 days after that. If you share your order number, I will check it right away.' },
  { shortcut: 'refund', locale: 'en', text: 'Refunds go back to your original payment method within 3–5 business days after the cancellation is confirmed.' },
  { shortcut: 'bye', locale: 'en', text: 'Is there anything else I can help with? Have a great day!' },
]);

export const MAX_SHORTCUT = 30;
export const MAX_TEXT = 4000; // a message's limit (protocol.md)

/** A shortcut as stored: no leading slash, no spaces, lower case for Latin letters. */
export function normalizeShortcut(raw) {
  return String(raw ?? '').trim().replace(/^\/+/, '').replace(/\s+/g, '').toLowerCase().slice(0, MAX_SHORTCUT);
}

/**
 * The filter text when the reply box holds a canned query: "/" at the very start and no
 * whitespace after it ("/배" → "배", "/" → ""). null otherwise (the list stays closed).
 */
export function cannedQuery(value) {
  const m = /^\/(\S*)$/.exec(String(value ?? ''));
  return m ? m[1].toLowerCase() : null;
}

/**
 * Items matching `query`, best first: shortcuts starting with it, then shortcuts containing it,
 * then texts containing it; within each, the conversation's language first, then stored order.
 */
export function filterCanned(items, query, locale = null) {
  const q = String(query ?? '').toLowerCase();
  const rank = (item) => {
    const shortcut = item.shortcut.toLowerCase();
    if (shortcut.startsWith(q)) return 0;
    if (shortcut.includes(q)) return 1;
    if (item.text.toLowerCase().includes(q)) return 2;
    return -1;
  };
  return items
    .map((item, index) => ({ item, index, rank: rank(item) }))
    .filter((x) => x.rank >= 0)
    .sort((a, b) => a.rank - b.rank
      || Number(b.item.locale === locale) - Number(a.item.locale === locale)
      || a.index - b.index)
    .map((x) => x.item);
}

/** The reply box after picking `item` for the "/query" it holds. */
export function applyCanned(value, item) {
  return cannedQuery(value) == null ? `${value}${item.text}` : item.text;
}

/**
 * Check a response before it is sent to the server. Returns `{ draft }` (shortcut normalised, text
 * trimmed) or `{ error }`: 'shortcut' (empty) or 'text' (empty or too long). The server checks again.
 */
export function validateCanned({ shortcut, text, locale = 'ko', scope = 'personal' }) {
  const s = normalizeShortcut(shortcut);
  const body = String(text ?? '').trim();
  if (!s) return { error: 'shortcut' };
  if (!body || body.length > MAX_TEXT) return { error: 'text' };
  return { draft: { shortcut: s, locale: locale === 'en' ? 'en' : 'ko', text: body, scope: scope === 'shared' ? 'shared' : 'personal' } };
}

/**
 * The entries of an old localStorage list (JSON) worth uploading as the agent's own: readable,
 * non-empty, and not one of the old defaults (those are shared now). [] for anything unreadable.
 */
export function legacyCanned(raw) {
  if (raw == null) return [];
  let items;
  try { items = JSON.parse(raw); } catch { return []; }
  if (!Array.isArray(items)) return [];
  const isDefault = (c) => LEGACY_DEFAULTS.some((d) => d.shortcut === c.shortcut && d.locale === c.locale && d.text === c.text);
  return items
    .filter((c) => c && typeof c.shortcut === 'string' && typeof c.text === 'string')
    .map((c) => validateCanned({ shortcut: c.shortcut, text: c.text, locale: c.locale }).draft)
    .filter((c) => c && !isDefault(c));
}

/** The responses the agent may use, as the server last listed them (own first, then shared). */
export class CannedBook {
  constructor() {
    this._items = [];
  }

  list() {
    return this._items;
  }

  /** Keeps well-formed items only: `{id, scope, shortcut, locale, text}`. */
  set(items) {
    this._items = (Array.isArray(items) ? items : [])
      .filter((c) => c && typeof c.id === 'string' && typeof c.shortcut === 'string' && c.shortcut && typeof c.text === 'string' && c.text)
      .map((c) => ({ id: c.id, scope: c.scope === 'shared' ? 'shared' : 'personal', shortcut: c.shortcut, locale: c.locale === 'en' ? 'en' : 'ko', text: c.text }));
  }

  /** Whether this agent may delete `item`: their own always, shared ones only when they manage them. */
  static deletable(item, managesShared) {
    return item.scope === 'personal' || Boolean(managesShared);
  }
}

/**
 * The server API with a login token. Each call resolves to `{ ok: true, body }` or
 * `{ ok: false, status, code, message }` (status 0: the network failed).
 */
export function cannedApi(token, fetchImpl = globalThis.fetch) {
  const call = async (method, path = '', body) => {
    try {
      const response = await fetchImpl(`/api/workspace/canned${path}`, {
        method,
        headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      const json = await response.json().catch(() => null);
      if (response.ok) return { ok: true, body: json };
      return { ok: false, status: response.status, code: json?.code ?? 'internal', message: json?.message ?? '' };
    } catch {
      return { ok: false, status: 0, code: 'network', message: '' };
    }
  };
  return {
    list: () => call('GET'),
    add: (draft) => call('POST', '', draft),
    remove: (id) => call('DELETE', `/${encodeURIComponent(id)}`),
  };
}
