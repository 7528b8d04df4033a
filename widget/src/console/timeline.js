// Private notes in the console's chat timeline. No DOM here (test/console-notes.test.js drives it).
//
// Notes take no seq (protocol.md "Private notes"): the visitor's stream stays gapless and the
// protocol client's seq logic never sees them. They are placed among the messages by time: after
// the last message (in seq order) written at or before the note, ties to the message. Messages
// themselves keep their seq order whatever their timestamps say.

/** Milliseconds of an ISO timestamp; NaN when missing or unparsable. */
function ms(ts) {
  return typeof ts === 'string' ? Date.parse(ts) : NaN;
}

/** Notes of one conversation in time order (ties by noteId, so every tab draws the same order). */
export function sortNotes(notes) {
  return [...notes].sort((a, b) => (ms(a.ts) || 0) - (ms(b.ts) || 0) || String(a.noteId).localeCompare(String(b.noteId)));
}

/**
 * The timeline of one conversation: messages in seq order with the notes placed by `ts`.
 * Returns entries `{kind:'message', item}` and `{kind:'note', item}`. A note without a usable
 * timestamp goes to the end (it is the newest thing we know of).
 */
export function orderTimeline(messages, notes) {
  const byseq = [...messages].sort((a, b) => a.seq - b.seq);
  // slot[i]: notes that go right after message i-1 (slot 0: before every message).
  const slots = Array.from({ length: byseq.length + 1 }, () => []);
  for (const note of sortNotes(notes)) slots[slotOf(byseq, note.ts)].push(note);
  const out = [];
  slots[0].forEach((n) => out.push({ kind: 'note', item: n }));
  byseq.forEach((m, i) => {
    out.push({ kind: 'message', item: m });
    slots[i + 1].forEach((n) => out.push({ kind: 'note', item: n }));
  });
  return out;
}

/** Index of the slot a note at `ts` belongs to: one past the last message at or before it. */
function slotOf(byseq, ts) {
  const at = ms(ts);
  if (!Number.isFinite(at)) return byseq.length;
  let slot = 0;
  byseq.forEach((m, i) => {
    const mt = ms(m.ts);
    if (Number.isFinite(mt) && mt <= at) slot = i + 1;
  });
  return slot;
}

/**
 * Where a new entry goes in a list already on screen. `existing` describes the rendered rows in
 * order: `{kind:'message', seq, ts}`, `{kind:'note', noteId, ts}` or `{kind:'pending'}` (unacked
 * replies, always last). `entry` is a message `{seq, ts}` or a note `{noteId, ts}` (with `kind`).
 * Returns the index of the row to insert before (existing.length: append).
 */
export function insertionIndex(existing, entry) {
  const firstPending = existing.findIndex((r) => r.kind === 'pending');
  const end = firstPending < 0 ? existing.length : firstPending;
  const rows = existing.slice(0, end);
  const messages = rows.filter((r) => r.kind === 'message');
  const notes = rows.filter((r) => r.kind === 'note');
  const withEntry = entry.kind === 'note'
    ? orderTimeline(messages, [...notes, entry])
    : orderTimeline([...messages, entry], notes);
  const at = withEntry.findIndex((e) => e.item === entry);
  // The rows before the new one in the full order are exactly the first `at` rows on screen,
  // provided the screen was in timeline order — which it is, since every row went in this way.
  return at < 0 ? end : Math.min(at, end);
}

/** Notes per conversation, deduplicated by noteId (a full sync repeats the ones we have). */
export class NoteBook {
  constructor() {
    /** conversationId → Map(noteId → note frame) */
    this._notes = new Map();
  }

  /** A `note` frame. Returns true when it is new, false for a repeat or junk. */
  add(frame) {
    const { conversationId, noteId } = frame ?? {};
    if (typeof conversationId !== 'string' || typeof noteId !== 'string' || typeof frame.text !== 'string') return false;
    if (!this._notes.has(conversationId)) this._notes.set(conversationId, new Map());
    const notes = this._notes.get(conversationId);
    if (notes.has(noteId)) return false;
    notes.set(noteId, {
      conversationId, noteId, text: frame.text, ts: frame.ts ?? null,
      from: frame.from ?? { kind: 'agent', id: null, name: '' },
    });
    return true;
  }

  /** Notes of a conversation, in time order. */
  of(conversationId) {
    return sortNotes(this._notes.get(conversationId)?.values() ?? []);
  }

  has(conversationId, noteId) {
    return this._notes.get(conversationId)?.has(noteId) ?? false;
  }

  clear() {
    this._notes.clear();
  }
}
