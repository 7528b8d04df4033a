// The agent's workspace rules, without DOM (test/console-workspace.test.js drives them): who is
// waiting for an answer and since when, which chat needs one next, keyboard shortcuts, what a
// `conversation` push means for a transfer, when to chime, and the title badge count.

/**
 * When the visitor started waiting for an answer: the `ts` of their first message after the last
 * agent message (the oldest unanswered one), or null when the agent has the last word or the
 * visitor said nothing yet. Bot and system messages neither answer nor wait.
 */
export function unansweredSince(messages) {
  const byseq = [...messages].sort((a, b) => a.seq - b.seq);
  let since = null;
  for (const m of byseq) {
    const kind = m.from?.kind;
    if (kind === 'agent') since = null;
    else if (kind === 'visitor' && since == null) since = m.ts ?? null;
  }
  return since;
}

/**
 * The chat that has waited longest for an agent's answer: `chats` is `[{id, since}]` (since: an
 * ISO time or null). Returns its id, or null when nobody waits.
 */
export function needsReplyId(chats) {
  let best = null;
  let bestAt = Infinity;
  for (const c of chats) {
    const at = typeof c.since === 'string' ? Date.parse(c.since) : NaN;
    if (Number.isFinite(at) && at < bestAt) {
      best = c.id;
      bestAt = at;
    }
  }
  return best;
}

/** The open chat `step` places after `active` (wrapping around); null without tabs. */
export function neighbourTab(tabs, active, step) {
  if (tabs.length === 0) return null;
  const at = tabs.indexOf(active);
  if (at < 0) return step > 0 ? tabs[0] : tabs[tabs.length - 1];
  return tabs[(at + step + tabs.length) % tabs.length];
}

/**
 * The console shortcut a keydown means, or null: 'next' / 'previous' (Alt+↓ / Alt+↑),
 * 'accept-offer' (Alt+Enter), 'escape' (Esc), 'help' ('?' outside text fields).
 * `inField`: the key went to an input, textarea or select.
 */
export function shortcutFor(event, inField = false) {
  if (event.isComposing || event.keyCode === 229) return null; // a Korean IME is composing
  const plainAlt = event.altKey && !event.ctrlKey && !event.metaKey;
  if (plainAlt && !event.shiftKey && event.key === 'ArrowDown') return 'next';
  if (plainAlt && !event.shiftKey && event.key === 'ArrowUp') return 'previous';
  if (plainAlt && event.key === 'Enter') return 'accept-offer';
  if (event.key === 'Escape') return 'escape';
  if (event.key === '?' && !inField && !event.altKey && !event.ctrlKey && !event.metaKey) return 'help';
  return null;
}

/** The shortcuts as the help popover lists them: [keys, i18n key of what it does]. */
export const SHORTCUTS = Object.freeze([
  ['Alt + ↓', 'console.shortcut.next'],
  ['Alt + ↑', 'console.shortcut.previous'],
  ['Alt + Enter', 'console.shortcut.acceptOffer'],
  ['Esc', 'console.shortcut.escape'],
  ['/', 'console.shortcut.canned'],
  ['?', 'console.shortcut.help'],
]);

/**
 * What a `conversation` push means for a transfer this console started: 'agent' (assigned to
 * someone else now: done), 'team' (queued again: done), 'resolved', or null (not moved yet).
 */
export function transferOutcome(conversation, meId) {
  if (!conversation) return null;
  if (conversation.state === 'queued') return 'team';
  if (conversation.state === 'resolved') return 'resolved';
  if (conversation.state === 'assigned' && conversation.agent?.id != null && conversation.agent.id !== meId) return 'agent';
  return null;
}

/**
 * A conversation came to this agent without their own accept (a colleague or admin transferred
 * it): assigned to me now, and it was not before.
 */
export function arrivedByTransfer(prev, next, meId, acceptedByMe) {
  if (!next || next.state !== 'assigned' || next.agent?.id == null || next.agent.id !== meId) return false;
  if (acceptedByMe) return false;
  return !(prev && prev.state === 'assigned' && prev.agent?.id === meId);
}

/**
 * A conversation a tab still shows that the `welcome` after a reconnect did not list. The welcome
 * lists the whole queue and every chat assigned to this agent, so one that was queued, with the bot
 * or assigned to me when the connection dropped has left me meanwhile (requeued after my presence
 * grace and taken by a colleague, transferred, resolved, deleted): its pushes went to the closed
 * connection. Returns it marked `elsewhere` (not mine, not queued: read-only, no accept, no re-sync),
 * or null when what the tab knows is still true (assigned to someone else, resolved).
 */
export function leftWhileAway(conversation, meId) {
  if (!conversation) return null;
  const mineBefore = conversation.state === 'assigned' && conversation.agent?.id != null && conversation.agent.id === meId;
  if (!mineBefore && conversation.state !== 'queued' && conversation.state !== 'bot') return null;
  const { queuePosition, ...rest } = conversation;
  return { ...rest, state: 'elsewhere', agent: null };
}

/**
 * Whether a visitor message rings: new (not history), from the visitor, in a chat the agent
 * serves, and not the one they are looking at right now.
 */
export function chimesForMessage({ isNew, kind, mine, viewing }) {
  return Boolean(isNew && kind === 'visitor' && mine && !viewing);
}

/** The number in the tab title: unseen queue entries, pending offers and unread visitor messages. */
export function titleCount({ unseenQueue = [], offers = [], unread = [] }) {
  const attention = new Set([...unseenQueue, ...offers]).size;
  const messages = [...unread].reduce((sum, n) => sum + (Number.isInteger(n) && n > 0 ? n : 0), 0);
  return attention + messages;
}

/** The mute switch, remembered in localStorage (a storage adapter with get/set/remove). */
export class MutePref {
  constructor(storage, key = 'muted') {
    this._storage = storage;
    this._key = key;
  }

  get muted() {
    try { return this._storage?.get(this._key) === '1'; } catch { return false; }
  }

  set muted(on) {
    try {
      if (on) this._storage?.set(this._key, '1');
      else this._storage?.remove(this._key);
    } catch { /* storage blocked: the switch still works for this page */ }
  }

  toggle() {
    this.muted = !this.muted;
    return this.muted;
  }
}
