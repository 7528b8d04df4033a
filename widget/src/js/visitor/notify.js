// What the visitor widget does when a message arrives while nobody is looking: the unread count
// on the bubble, the blinking tab title, the chime. DOM-free, so Node tests can hold it to its rules.

/**
 * Where history ends, per conversation: messages at or below it were there before this page
 * loaded (replayed on resume) and are never "new". Built from the first `welcome` only.
 */
export class HistoryMark {
  constructor() {
    this.marks = new Map();
    this.set = false;
  }

  /** First welcome of the page: `resumedId` is the conversation the hello resumed (or null). */
  welcome({ conversation, resumedId }) {
    if (this.set) return;
    this.set = true;
    if (conversation) this.marks.set(conversation.id, conversation.lastSeq ?? 0);
    // A resumed conversation the server no longer reports as open (resolved): its replay is history.
    if (resumedId && (!conversation || conversation.id !== resumedId)) this.marks.set(resumedId, Infinity);
  }

  /** Whether a delivered message arrived after the page loaded. Nothing is new before the first welcome. */
  isNew(m) {
    if (!this.set) return false;
    return m.seq > (this.marks.get(m.conversationId) ?? 0);
  }
}

/** Agent and bot messages count as unread; the visitor's own and system notices do not. */
export function countsAsUnread(m, { isOpen, isNew }) {
  const kind = m.from?.kind;
  return !isOpen && isNew && (kind === 'agent' || kind === 'bot');
}

/** The chime is for a person answering, when the panel is closed or the page is in the background. */
export function shouldChime(m, { isOpen, hidden, isNew, muted }) {
  return !muted && isNew && m.from?.kind === 'agent' && (!isOpen || hidden);
}

/**
 * Of several tabs, only the first to see a message chimes: the last chimed message is kept in
 * shared storage as "conversationId:seq". Returns whether this tab should play it.
 */
export function claimChime(storage, m) {
  const mark = `${m.conversationId}:${m.seq}`;
  try {
    const last = storage.get('chimed');
    if (last) {
      const cut = last.lastIndexOf(':');
      if (last.slice(0, cut) === m.conversationId && Number(last.slice(cut + 1)) >= m.seq) return false;
    }
    storage.set('chimed', mark);
  } catch {
    /* no shared storage: this tab decides alone */
  }
  return true;
}

/** "(2) 새 메시지" / "(1) New message". */
export function blinkTitle(t, n) {
  return t(n === 1 ? 'widget.titleBlinkOne' : 'widget.titleBlink', { n });
}

/**
 * Alternates document.title between the page's own title and a notice while there is one.
 * A title the page sets meanwhile becomes the new original; stop() always restores it.
 */
export class TitleBlinker {
  constructor({ doc = globalThis.document, setInterval: si = (f, ms) => globalThis.setInterval(f, ms),
    clearInterval: ci = (id) => globalThis.clearInterval(id), intervalMs = 1000 } = {}) {
    this.doc = doc;
    this.si = si;
    this.ci = ci;
    this.intervalMs = intervalMs;
    this.notice = null;
    this.original = null;
    this.timer = null;
  }

  get active() {
    return this.timer != null;
  }

  /** Show `notice` alternating with the title; null stops. */
  set(notice) {
    if (!notice) return this.stop();
    if (this.timer != null) {
      if (this.doc.title === this.notice) this.doc.title = notice; // showing the old notice: show the new one
      this.notice = notice;
      return undefined;
    }
    this.notice = notice;
    this.original = this.doc.title;
    this.doc.title = notice;
    this.timer = this.si(() => this.tick(), this.intervalMs);
    return undefined;
  }

  tick() {
    const current = this.doc.title;
    if (current === this.original) this.doc.title = this.notice;
    else if (current === this.notice) this.doc.title = this.original;
    else {
      // The page changed its title (a SPA navigation): that is the title to come back to.
      this.original = current;
      this.doc.title = this.notice;
    }
  }

  stop() {
    if (this.timer == null) return;
    this.ci(this.timer);
    this.timer = null;
    if (this.doc.title === this.notice) this.doc.title = this.original;
    this.notice = null;
  }
}
