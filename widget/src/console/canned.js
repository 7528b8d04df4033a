// Personal canned responses of the agent console, kept in localStorage for now (server-side
// shared ones are a later change). No DOM here (test/console-canned.test.js drives it).
//
// Typing "/" at the start of the reply box opens the list; what follows the slash filters it
// ("/배" → "/배송"); Enter or Tab replaces the "/query" with the response's text.

/** Seeded for an agent who has none yet; they may delete or change them. */
export const DEFAULT_CANNED = Object.freeze([
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

/** The agent's canned responses in a storage adapter ({get,set,remove}), seeded on first use. */
export class CannedStore {
  constructor(storage, key = 'canned') {
    this._storage = storage;
    this._key = key;
  }

  /** All responses in stored order; the defaults when nothing was ever stored (or it is unreadable). */
  list() {
    let raw = null;
    try { raw = this._storage?.get(this._key) ?? null; } catch { raw = null; }
    if (raw == null) return DEFAULT_CANNED.map((c) => ({ ...c }));
    try {
      const items = JSON.parse(raw);
      if (!Array.isArray(items)) return DEFAULT_CANNED.map((c) => ({ ...c }));
      return items.filter((c) => c && typeof c.shortcut === 'string' && c.shortcut && typeof c.text === 'string' && c.text)
        .map((c) => ({ shortcut: c.shortcut, locale: c.locale === 'en' ? 'en' : 'ko', text: c.text }));
    } catch {
      return DEFAULT_CANNED.map((c) => ({ ...c }));
    }
  }

  _save(items) {
    try { this._storage?.set(this._key, JSON.stringify(items)); } catch { /* storage blocked: kept until reload */ }
  }

  /**
   * Add (or replace, same shortcut and language) a response. Returns the stored item, or an
   * error key: 'shortcut' (empty) or 'text' (empty or too long).
   */
  add({ shortcut, text, locale = 'ko' }) {
    const s = normalizeShortcut(shortcut);
    const body = String(text ?? '').trim();
    if (!s) return { error: 'shortcut' };
    if (!body || body.length > MAX_TEXT) return { error: 'text' };
    const item = { shortcut: s, locale: locale === 'en' ? 'en' : 'ko', text: body };
    const items = this.list().filter((c) => !(c.shortcut === s && c.locale === item.locale));
    items.push(item);
    this._save(items);
    return { item };
  }

  /** Delete one response. Returns whether it existed. */
  remove({ shortcut, locale }) {
    const items = this.list();
    const kept = items.filter((c) => !(c.shortcut === shortcut && c.locale === locale));
    this._save(kept);
    return kept.length !== items.length;
  }

  /** Back to the seeded defaults. */
  reset() {
    try { this._storage?.remove(this._key); } catch { /* ignore */ }
  }
}
