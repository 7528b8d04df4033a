// The context packet beside a chat that came from the bot (GET /api/workspace/conversations/{id}/context,
// docs/protocol.md "Context packet"). DOM-free: test/console-context.test.js drives it.

/** Refetch a packet shown longer than this when its chat is looked at again (pages and history move on). */
export const CONTEXT_MAX_AGE_MS = 15000;

/** "82%" for a confidence or score in [0, 1]; '' when unknown. */
export function percent(value) {
  return Number.isFinite(value) ? `${Math.round(Math.max(0, Math.min(1, value)) * 100)}%` : '';
}

/** The FAQ candidate whose answer one click inserts: the best one that has an answer, or null. */
export function bestCandidate(packet) {
  return (packet?.candidates ?? []).find((c) => typeof c?.answer === 'string' && c.answer.trim()) ?? null;
}

/** The reply box after inserting `answer` as a draft: replaces a "/query" or empty box, else appends on a new line. */
export function insertDraft(value, answer) {
  const current = String(value ?? '');
  if (!current.trim() || /^\/\S*$/.test(current)) return answer;
  return `${current.replace(/\s+$/, '')}\n${answer}`;
}

/** A page's URL as shown: host and path ("shop.example.com/orders/1"); the raw text when not a URL. */
export function pageLabel(url) {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return String(url ?? '');
  }
}

/** Packets per conversation, with when they were fetched; a fetch in flight is not repeated. */
export class ContextCache {
  constructor(now = () => Date.now()) {
    this._now = now;
    this._entries = new Map(); // id → {packet, at, error, loading}
  }

  get(id) {
    return this._entries.get(id) ?? null;
  }

  /** Whether to fetch now: never fetched, failed, or older than CONTEXT_MAX_AGE_MS, and not loading. */
  stale(id) {
    const e = this._entries.get(id);
    if (!e) return true;
    if (e.loading) return false;
    return e.error != null || this._now() - e.at > CONTEXT_MAX_AGE_MS;
  }

  loading(id) {
    const e = this._entries.get(id);
    this._entries.set(id, { packet: e?.packet ?? null, at: e?.at ?? 0, error: null, loading: true });
  }

  loaded(id, packet) {
    this._entries.set(id, { packet, at: this._now(), error: null, loading: false });
  }

  failed(id, error) {
    const e = this._entries.get(id);
    this._entries.set(id, { packet: e?.packet ?? null, at: this._now(), error: String(error ?? 'error'), loading: false });
  }

  clear() {
    this._entries.clear();
  }
}
