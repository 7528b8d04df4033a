// Private notes in the console timeline (src/console/timeline.js): placed by time among messages
// that keep their seq order, deduplicated, never part of the seq logic.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { orderTimeline, insertionIndex, NoteBook, sortNotes } from '../src/console/timeline.js';

const msg = (seq, ts, kind = 'visitor') => ({ seq, ts: `2026-11-22T10:00:${String(ts).padStart(2, '0')}Z`, from: { kind } });
const note = (noteId, ts) => ({ noteId, conversationId: 'cv_1', text: noteId, ts: `2026-11-22T10:00:${String(ts).padStart(2, '0')}Z` });
const shape = (entries) => entries.map((e) => (e.kind === 'note' ? e.item.noteId : e.item.seq));

test('notes sit between the messages written before and after them', () => {
  const messages = [msg(3, 30), msg(1, 10), msg(2, 20)];
  const notes = [note('n_b', 25), note('n_a', 15), note('n_end', 59), note('n_first', 5)];
  assert.deepEqual(shape(orderTimeline(messages, notes)), ['n_first', 1, 'n_a', 2, 'n_b', 3, 'n_end']);
});

test('a note at the same second as a message comes after it; notes at the same time by noteId', () => {
  assert.deepEqual(shape(orderTimeline([msg(1, 10), msg(2, 20)], [note('n_2', 10), note('n_1', 10)])), [1, 'n_1', 'n_2', 2]);
});

test('messages keep seq order even when their clocks disagree; fractional seconds compare as time', () => {
  const messages = [{ seq: 1, ts: '2026-11-22T10:00:10.500Z' }, { seq: 2, ts: '2026-11-22T10:00:09Z' }];
  const notes = [{ noteId: 'n', ts: '2026-11-22T10:00:10Z' }];
  // After message 2 (09 ≤ 10), the last message at or before the note in seq order.
  assert.deepEqual(shape(orderTimeline(messages, notes)), [1, 2, 'n']);
  assert.deepEqual(shape(orderTimeline([{ seq: 1, ts: '2026-11-22T10:00:10.500Z' }], notes)), ['n', 1]);
});

test('a note without a usable time goes last; no notes leaves the messages alone', () => {
  assert.deepEqual(shape(orderTimeline([msg(1, 10)], [{ noteId: 'x', ts: null }])), [1, 'x']);
  assert.deepEqual(shape(orderTimeline([msg(2, 20), msg(1, 10)], [])), [1, 2]);
  assert.deepEqual(shape(orderTimeline([], [note('a', 1)])), ['a']);
});

test('live insertion: where a note or a late message goes in rows already on screen', () => {
  const rows = [
    { kind: 'message', seq: 1, ts: msg(1, 10).ts },
    { kind: 'note', noteId: 'n_a', ts: note('n_a', 15).ts },
    { kind: 'message', seq: 3, ts: msg(3, 30).ts },
    { kind: 'pending' },
  ];
  // A live note is newest: after every stored row, before the pending replies.
  assert.equal(insertionIndex(rows, { kind: 'note', noteId: 'n_b', ts: note('n_b', 40).ts }), 3);
  // A gap-filled message 2 (ts 20) goes after the earlier note and before message 3.
  assert.equal(insertionIndex(rows, { kind: 'message', seq: 2, ts: msg(2, 20).ts }), 2);
  // A new message goes after everything stored, pending replies stay last.
  assert.equal(insertionIndex(rows, { kind: 'message', seq: 4, ts: msg(4, 45).ts }), 3);
  // An older note (from a full sync) goes back in time.
  assert.equal(insertionIndex(rows, { kind: 'note', noteId: 'n_0', ts: note('n_0', 5).ts }), 0);
  assert.equal(insertionIndex([], { kind: 'note', noteId: 'n', ts: null }), 0);
});

test('NoteBook: dedupes by noteId (a full sync repeats notes), keeps conversations apart, refuses junk', () => {
  const book = new NoteBook();
  const frame = JSON.parse(readFileSync(new URL('../../docs/protocol/frames/s2c-note.json', import.meta.url), 'utf8'));
  assert.equal(book.add(frame), true);
  assert.equal(book.add({ ...frame }), false);
  assert.equal(book.add({ ...frame, noteId: 'n_2', ts: '2026-11-22T10:01:00Z' }), true);
  assert.equal(book.add({ ...frame, conversationId: 'cv_other' }), true);
  assert.equal(book.add({ type: 'note', conversationId: 'cv_1' }), false);
  assert.equal(book.add(null), false);
  assert.deepEqual(book.of(frame.conversationId).map((n) => n.noteId), ['n_2', frame.noteId]);
  assert.equal(book.of(frame.conversationId)[1].from.name, '김소담');
  assert.ok(book.has('cv_other', frame.noteId));
  assert.deepEqual(book.of('cv_none'), []);
  book.clear();
  assert.deepEqual(book.of(frame.conversationId), []);
  assert.deepEqual(sortNotes([]), []);
});
