// Sodam protocol client, shared by the visitor widget and the agent console.
// The wire contract is docs/protocol.md; test/golden-frames.test.js holds this file to it.
//
// What this class guarantees to the UI:
//  - messages are delivered per conversation in seq order, each exactly once (dedupe by seq,
//    gaps are filled with `sync` before anything later is delivered);
//  - a `send` is kept (and persisted through `storage`) until its ack — or until its own `message`
//    frame arrives, which is how a tab learns that another tab's send was stored — and re-sent with
//    the same clientMsgId after every reconnect, which the server turns into the original ack;
//  - sends are stored in the order they were made: one send is on the wire at a time (the head of
//    the outbox) and the next goes when it is answered, so one refused with `rate_limited` (or
//    `internal`) is re-sent before anything queued after it, never overtaken; after such a refusal
//    the queue waits out a backoff and then drains at a pace under the server's rate limit;
//  - with a `lock` (tablock.js), of several tabs sharing the stored outbox only the one holding a
//    message's lease re-sends it, so a reload with two tabs open does not send everything twice;
//  - the connection comes back by itself (exponential backoff with jitter) until close().

const SOCKET_OPEN = 1; // WebSocket.OPEN, spelled out so fakes need not define statics
const OUTBOX_KEY = 'outbox';
const MAX_BACKOFF_EXPONENT = 20; // 2**20 × initialMs is far beyond any sane maxMs
/** Errors that mean "not processed, try again later" rather than "this send is wrong". */
const RETRYABLE_CODES = new Set(['rate_limited', 'internal']);

/** The statuses an agent may set with `presence`. */
export const PRESENCE_STATUSES = Object.freeze(['online', 'away', 'offline']);

export const DEFAULT_BACKOFF = Object.freeze({ initialMs: 500, maxMs: 15000, jitter: 0.3 });

/**
 * Gap between sends while the outbox drains after a `rate_limited` (or `internal`) refusal:
 * 60 ms is under 17 frames/s, below the server's default 20/s (docs/protocol.md), with room for
 * the typing and read frames that share the same per-connection bucket.
 */
export const DEFAULT_DRAIN_INTERVAL_MS = 60;

/** The visitor `hello`. `resume` is omitted unless it names a conversation. */
export function visitorHello({ site, visitorToken = null, locale, resume = null }) {
  const frame = { type: 'hello', role: 'visitor', site, visitorToken: visitorToken || null, locale };
  if (resume && resume.conversationId) {
    frame.resume = { conversationId: resume.conversationId, lastSeq: resume.lastSeq || 0 };
  }
  return frame;
}

export function agentHello(token) {
  return { type: 'hello', role: 'agent', token };
}

/**
 * Delay before reconnect attempt `attempt` (0-based): initialMs·2^attempt capped at maxMs,
 * then reduced by up to `jitter` (a fraction) so a server restart is not hit by every
 * client in the same millisecond. Never exceeds maxMs.
 */
export function backoffDelay(attempt, backoff = DEFAULT_BACKOFF, random = Math.random) {
  const { initialMs, maxMs, jitter } = { ...DEFAULT_BACKOFF, ...backoff };
  const base = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, MAX_BACKOFF_EXPONENT));
  return Math.round(base * (1 - jitter * random()));
}

/** Rejection value of a send the server refused. */
export class SodamError extends Error {
  constructor(frame) {
    super(frame.message || frame.code);
    this.name = 'SodamError';
    this.code = frame.code;
    this.ref = frame.ref ?? null;
    this.frame = frame;
  }
}

function defaultRandomId() {
  const bytes = new Uint8Array(8);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export class SodamClient {
  /**
   * @param {object} o
   * @param {string|(() => string)} o.url WebSocket URL (a function is re-evaluated per connect)
   * @param {() => object} o.hello builds the hello frame; called at every connect, so it can
   *        carry `resume` with the latest lastSeq
   * @param {Function} [o.WebSocketImpl]
   * @param {{get(k):string|null,set(k,v),remove(k)}} [o.storage] persists the outbox; entries are
   *        added and removed one by one, so tabs sharing it never overwrite each other's sends
   * @param {{acquire(name):{ok:boolean,retryAt?:number},release(name),releaseAll(),now():number}} [o.lock]
   *        a TabLock over the same storage: one tab at a time transmits a given outbox entry
   * @param {boolean} [o.restartResolved] visitors: a send refused with `conflict` because the
   *        conversation it names is over (resolved while we were offline, or just before the send
   *        arrived) goes out again with `conversationId: null` and the same clientMsgId, which starts
   *        the visitor's new conversation (or joins the one already open), exactly as a send typed
   *        after the resolve would; the app sees its ack, not an error
   * @param {() => number} [o.random] in [0,1), for jitter
   * @param {() => string} [o.randomId] suffix for clientMsgId ('c-' + randomId())
   * @param {Function} [o.setTimeout] @param {Function} [o.clearTimeout]
   * @param {{initialMs?:number,maxMs?:number,jitter?:number}} [o.backoff] reconnects, and the
   *        wait before re-sending a send the server refused with `rate_limited` or `internal`
   * @param {number} [o.drainIntervalMs] gap between sends after such a refusal, until the outbox is empty
   */
  constructor({
    url,
    hello,
    WebSocketImpl = globalThis.WebSocket,
    storage = null,
    lock = null,
    restartResolved = false,
    random = Math.random,
    randomId = defaultRandomId,
    setTimeout: setTimer = (fn, ms) => globalThis.setTimeout(fn, ms),
    clearTimeout: clearTimer = (id) => globalThis.clearTimeout(id),
    backoff = {},
    drainIntervalMs = DEFAULT_DRAIN_INTERVAL_MS,
  }) {
    this._url = url;
    this._hello = hello;
    this._WebSocket = WebSocketImpl;
    this._storage = storage;
    this._lock = lock;
    this._restartResolved = Boolean(restartResolved);
    this._random = random;
    this._randomId = randomId;
    this._setTimer = setTimer;
    this._clearTimer = clearTimer;
    this._backoff = { ...DEFAULT_BACKOFF, ...backoff };
    this._drainIntervalMs = Math.max(0, Number(drainIntervalMs) || 0);

    this._listeners = new Map();
    this._ws = null;
    this._state = 'closed';
    this._welcomed = false;
    this._stopped = true;
    this._attempt = 0;
    this._reconnectTimer = null;
    /** conversationId → {lastSeq, buffer: Map<seq, frame>, syncInFlight: boolean} */
    this._convs = new Map();
    /** Conversations the app shows (agent console): re-synced after every welcome. */
    this._watched = new Set();
    /**
     * clientMsgId → {frame, resolve, reject, attempts, sent, restored}; Map keeps send order. Only
     * the head is ever on the wire (`sent`): the server stores sends in the order it takes them,
     * so the next one waits for the head's answer and a refused head is never overtaken.
     */
    this._outbox = new Map();
    /** The one timer of the outbox: a backoff after a refusal, the drain pace, or a lease held by another tab. */
    this._outboxTimer = null;
    /** After a `rate_limited`/`internal` refusal: sends go out `drainIntervalMs` apart until the outbox is empty. */
    this._paced = false;
    /** clientMsgIds this tab saw stored (ack or message), so a stale stored copy is never taken up again. */
    this._delivered = new Set();
    this._restoreOutbox();
  }

  // ---- events -------------------------------------------------------------------------------

  /**
   * Subscribe to 'welcome','message','status','conversation','typing','read','error','ack','state',
   * 'pending' (frames of unsent messages taken up from another tab's stored outbox), 'rewound'
   * ({conversationId, lastSeq}: the server's history of a conversation ends before what was delivered,
   * after a restore from a backup; drop what is shown beyond lastSeq),
   * and the routing pushes 'offer','offer_withdrawn','presence','alert', and 'colleagues' (the answer to
   * colleagues()). Returns an unsubscribe function.
   */
  on(type, fn) {
    if (!this._listeners.has(type)) this._listeners.set(type, new Set());
    this._listeners.get(type).add(fn);
    return () => this.off(type, fn);
  }

  off(type, fn) {
    this._listeners.get(type)?.delete(fn);
  }

  _emit(type, payload) {
    for (const fn of [...(this._listeners.get(type) ?? [])]) {
      // One broken listener must not stop delivery to the others or wedge the socket handler.
      try { fn(payload); } catch (err) { console.error('[sodam] listener for', type, 'failed', err); }
    }
  }

  // ---- connection ---------------------------------------------------------------------------

  /** 'connecting' (socket opening or hello not yet welcomed), 'open' (welcomed), 'closed'. */
  get state() {
    return this._state;
  }

  get welcomed() {
    return this._welcomed;
  }

  /**
   * The language the server speaks to this visitor ('ko' | 'en', the last welcome's `locale`): its bot
   * answers and notices. It can differ from the hello's tag (a French page gets 'en'); null before a
   * welcome and for agents. The widget keeps the page's language for its own labels.
   */
  get serverLocale() {
    return this._serverLocale ?? null;
  }

  connect() {
    this._stopped = false;
    if (!this._ws && this._reconnectTimer == null) this._open();
  }

  /** Drop the current socket (if any) and connect again right away, e.g. after forgetting a bad token or on `online`. */
  reconnect() {
    this._stopped = false;
    this._teardown();
    this._attempt = 0;
    this._open();
  }

  /** Stop for good: no reconnects, pending sends stay in storage for a later session. */
  close() {
    this._stopped = true;
    this._teardown();
    this._setState('closed');
    this._lock?.releaseAll();
  }

  /**
   * The network is gone (the browser's `offline` event): drop the socket now instead of waiting
   * for TCP to notice, and keep trying with backoff. Sends stay in the outbox.
   */
  drop() {
    if (this._stopped) return;
    this._teardown();
    this._setState('closed');
    this._scheduleReconnect();
  }

  /** Give up this tab's outbox leases, e.g. on `pagehide`, so the next page (or tab) re-sends at once. */
  releaseLocks() {
    this._lock?.releaseAll();
  }

  _setState(state) {
    if (this._state === state) return;
    this._state = state;
    this._emit('state', state);
  }

  _open() {
    this._cancelReconnect();
    this._setState('connecting');
    let ws;
    try {
      ws = new this._WebSocket(typeof this._url === 'function' ? this._url() : this._url);
    } catch (err) {
      console.error('[sodam] cannot open WebSocket', err);
      this._scheduleReconnect();
      return;
    }
    this._ws = ws;
    // Handlers check identity so a late event from a replaced socket cannot touch the new one.
    ws.onopen = () => {
      if (ws === this._ws) this._transmit(this._hello());
    };
    ws.onmessage = (event) => {
      if (ws === this._ws) this._onData(event.data);
    };
    ws.onerror = () => { /* a close event always follows; reconnect is handled there */ };
    ws.onclose = () => {
      if (ws !== this._ws) return;
      this._teardown();
      this._setState('closed');
      if (!this._stopped) this._scheduleReconnect();
    };
  }

  /** Forget the socket and everything that only made sense on it. */
  _teardown() {
    this._cancelReconnect();
    const ws = this._ws;
    this._ws = null;
    this._welcomed = false;
    this._cancelOutboxTimer();
    for (const entry of this._outbox.values()) entry.sent = false; // its answer is lost with the socket
    for (const conv of this._convs.values()) conv.syncInFlight = false; // answers are lost with the socket
    if (ws) {
      ws.onopen = ws.onmessage = ws.onerror = ws.onclose = null;
      try { ws.close(1000); } catch { /* already closed */ }
    }
  }

  _scheduleReconnect() {
    const delay = backoffDelay(this._attempt, this._backoff, this._random);
    this._attempt += 1;
    this._reconnectTimer = this._setTimer(() => {
      this._reconnectTimer = null;
      if (!this._stopped) this._open();
    }, delay);
  }

  _cancelReconnect() {
    if (this._reconnectTimer != null) {
      this._clearTimer(this._reconnectTimer);
      this._reconnectTimer = null;
    }
  }

  /** Write a frame if the socket is open. Returns whether it was written. */
  _transmit(frame) {
    const ws = this._ws;
    if (!ws || ws.readyState !== SOCKET_OPEN) return false;
    ws.send(JSON.stringify(frame));
    return true;
  }

  /** Frames other than hello are only valid after welcome; before that they would earn `unauthorized`. */
  _sendFrame(frame) {
    return this._welcomed ? this._transmit(frame) : false;
  }

  // ---- incoming -----------------------------------------------------------------------------

  _onData(data) {
    let frame;
    try {
      frame = JSON.parse(data);
    } catch {
      return; // the server only sends JSON text; anything else is not ours to interpret
    }
    if (!frame || typeof frame !== 'object' || typeof frame.type !== 'string') return;
    switch (frame.type) {
      case 'welcome': return this._onWelcome(frame);
      case 'message': return this._onMessage(frame);
      case 'ack': return this._onAck(frame);
      case 'error': return this._onError(frame);
      case 'status':
      case 'conversation':
      case 'typing':
      case 'read':
      case 'offer':
      case 'offer_withdrawn':
      case 'presence':
      case 'alert':
      case 'note':
      case 'rated':
      case 'visitor':
      case 'colleagues':
        return this._emit(frame.type, frame);
      default:
        return undefined; // unknown pushes are ignored so newer servers do not break older widgets
    }
  }

  _onWelcome(frame) {
    this._welcomed = true;
    this._serverLocale = frame.locale === 'ko' || frame.locale === 'en' ? frame.locale : null;
    this._attempt = 0;
    this._rewind(frame);
    // Catch up before the app reacts: watched conversations (agents) and any conversation
    // stuck with a gap resync from what we already delivered.
    for (const [id, conv] of this._convs) {
      if (this._watched.has(id) || conv.buffer.size > 0) this._requestSync(id);
    }
    this._adoptStored(); // what other tabs left behind (a closed tab's unsent messages)
    this._pumpOutbox(); // a new connection has a full rate bucket: the head goes now
    this._emit('welcome', frame);
    this._setState('open');
  }

  /**
   * The welcome names each conversation it lists with the server's `lastSeq`. One below what we
   * delivered means the server's history is behind ours: its database was restored from a backup
   * while we were away, and the messages after the backup are gone. Left alone, the seqs the server
   * gives its next messages would look like repeats here and be dropped, for both sides, until a
   * reload. So we go back to the server's position and tell the app ('rewound') to drop what it
   * shows beyond it, before it hears the welcome or any message.
   */
  _rewind(frame) {
    const listed = frame.conversation ? [frame.conversation] : Array.isArray(frame.conversations) ? frame.conversations : [];
    for (const c of listed) {
      const conv = c && typeof c.id === 'string' ? this._convs.get(c.id) : undefined;
      if (!conv || !Number.isInteger(c.lastSeq) || c.lastSeq < 0 || c.lastSeq >= conv.lastSeq) continue;
      conv.lastSeq = c.lastSeq;
      conv.buffer.clear();
      conv.syncInFlight = false;
      this._emit('rewound', { conversationId: c.id, lastSeq: c.lastSeq });
    }
  }

  _onAck(frame) {
    this._noteDelivered(frame.clientMsgId);
    const entry = this._outbox.get(frame.clientMsgId);
    if (entry) this._settle(entry, frame);
    this._emit('ack', frame);
  }

  /** An outbox entry is stored on the server: forget it everywhere (memory, storage, lease). */
  _settle(entry, ack) {
    const id = entry.frame.clientMsgId;
    this._outbox.delete(id);
    this._storeRemove(id);
    this._lock?.release(id);
    entry.resolve(ack);
    this._next();
  }

  _onError(frame) {
    const entry = frame.ref != null ? this._outbox.get(frame.ref) : undefined;
    if (entry) {
      if (frame.code === 'conflict' && this._restartResolved && entry.frame.type === 'send'
        && entry.frame.conversationId != null) {
        // The conversation was resolved before this send reached it; nothing was stored (a
        // re-send of a stored message is answered with its ack, even then). Start the new one.
        this._retarget(entry, null);
        entry.attempts = 0;
        entry.sent = false;
        if (this._outboxTimer == null) this._pumpOutbox(); // it is still the head: it goes again now
        return;
      }
      if (RETRYABLE_CODES.has(frame.code)) {
        // Nothing was stored, so the same clientMsgId is safe to retry — and it stays the head:
        // everything queued after it waits behind it, so the stored order is the send order.
        if (entry.sent) this._holdOutbox(entry);
      } else {
        const wasSent = entry.sent;
        this._outbox.delete(frame.ref);
        this._storeRemove(frame.ref);
        this._lock?.release(frame.ref);
        entry.reject(new SodamError(frame));
        if (wasSent) this._next();
      }
    }
    this._emit('error', frame);
  }

  // ---- ordering and dedupe ------------------------------------------------------------------

  _conv(conversationId) {
    let conv = this._convs.get(conversationId);
    if (!conv) {
      conv = { lastSeq: 0, buffer: new Map(), syncInFlight: false };
      this._convs.set(conversationId, conv);
    }
    return conv;
  }

  _onMessage(frame) {
    const { conversationId, seq } = frame;
    if (typeof conversationId !== 'string' || !Number.isInteger(seq) || seq < 1) return;
    const conv = this._conv(conversationId);
    if (seq <= conv.lastSeq || conv.buffer.has(seq)) return; // already delivered or already waiting
    if (seq === conv.lastSeq + 1) {
      this._deliver(conv, frame);
      this._drain(conversationId, conv);
      return;
    }
    // A gap: hold this one back and ask for everything after what we have. One sync answers the
    // whole gap, so we do not ask again while it is in flight.
    conv.buffer.set(seq, frame);
    if (!conv.syncInFlight) this._requestSync(conversationId);
  }

  _deliver(conv, frame) {
    conv.lastSeq = frame.seq;
    this._noteDelivered(frame.clientMsgId);
    // Our own send came back as a message: it is stored even if its ack went to another tab
    // (which re-sent it) or was lost with a socket.
    const entry = frame.clientMsgId ? this._outbox.get(frame.clientMsgId) : undefined;
    if (entry) {
      this._settle(entry, {
        type: 'ack', clientMsgId: frame.clientMsgId, conversationId: frame.conversationId,
        seq: frame.seq, messageId: frame.messageId,
      });
    }
    this._emit('message', frame);
  }

  _drain(conversationId, conv) {
    for (let next = conv.buffer.get(conv.lastSeq + 1); next; next = conv.buffer.get(conv.lastSeq + 1)) {
      conv.buffer.delete(next.seq);
      this._deliver(conv, next);
    }
    if (conv.buffer.size === 0) conv.syncInFlight = false;
  }

  _requestSync(conversationId) {
    const conv = this._conv(conversationId);
    conv.syncInFlight = this._sendFrame({ type: 'sync', conversationId, afterSeq: conv.lastSeq });
  }

  /** Highest seq delivered for a conversation (0 if none). */
  lastSeq(conversationId) {
    return this._convs.get(conversationId)?.lastSeq ?? 0;
  }

  /** Restore a known position (e.g. history already on screen). Buffered frames at or below it are dropped. */
  setLastSeq(conversationId, seq) {
    const conv = this._conv(conversationId);
    conv.lastSeq = Math.max(0, seq | 0);
    for (const s of conv.buffer.keys()) if (s <= conv.lastSeq) conv.buffer.delete(s);
    this._drain(conversationId, conv);
  }

  /** Forget everything about a conversation (e.g. the visitor's token was replaced). */
  forget(conversationId) {
    this._convs.delete(conversationId);
    this._watched.delete(conversationId);
  }

  /**
   * The app shows this conversation: fetch what we have not delivered yet now, and again after
   * every reconnect, so nothing is missed while the socket was down. Idempotent.
   */
  watch(conversationId) {
    if (this._watched.has(conversationId)) return;
    this._watched.add(conversationId);
    this._requestSync(conversationId);
  }

  unwatch(conversationId) {
    this._watched.delete(conversationId);
  }

  // ---- outbox -------------------------------------------------------------------------------

  /**
   * Send a message. Resolves with the `ack`, rejects with a SodamError for a refused send.
   * The returned promise carries `.clientMsgId` so the UI can show the message as pending at once.
   */
  send({ text, conversationId = null, faqId = null, handoff = false }) {
    const clientMsgId = `c-${this._randomId()}`;
    const frame = { type: 'send', clientMsgId, conversationId: conversationId ?? null, text };
    if (faqId) frame.faqId = faqId;
    if (handoff) frame.handoff = true; // stored and handed to a person in one step: the bot never answers it
    frame.ref = clientMsgId; // so an error can be matched to this send
    let entry;
    const promise = new Promise((resolve, reject) => {
      entry = { frame, resolve, reject, attempts: 0, sent: false, restored: false };
    });
    this._outbox.set(clientMsgId, entry);
    this._storeAdd(frame);
    if (this._outboxTimer == null) this._pumpOutbox(); // goes now if nothing is ahead of it
    promise.clientMsgId = clientMsgId;
    return promise;
  }

  /** Point an unacked send at another conversation (null: the visitor's open or a new one), in storage too. */
  _retarget(entry, conversationId) {
    entry.frame = { ...entry.frame, conversationId };
    if (!this._storage) return;
    const id = entry.frame.clientMsgId;
    const frames = this._storedFrames();
    const at = frames.findIndex((f) => f.clientMsgId === id);
    if (at < 0) return; // settled by another tab meanwhile
    frames[at] = { ...frames[at], conversationId };
    this._writeStored(frames);
  }

  /** Unacked sends in order (including ones restored from storage after a reload). */
  pending() {
    return [...this._outbox.values()].map((e) => ({ ...e.frame }));
  }

  /** Give up on an unacked send (e.g. the visitor deleted it). */
  discard(clientMsgId) {
    const entry = this._outbox.get(clientMsgId);
    if (!entry) return;
    this._outbox.delete(clientMsgId);
    this._storeRemove(clientMsgId);
    this._lock?.release(clientMsgId);
    if (entry.sent) this._next(); // an answer may still come; the ack event reports it
  }

  /**
   * Put the head of the outbox on the wire unless a send is already there (or the outbox timer
   * runs). An entry another tab is sending (it holds the lease) is left to that tab, and so is
   * everything after it, to keep the order; we look again when the lease runs out, in case that
   * tab went away.
   */
  _pumpOutbox() {
    if (!this._welcomed) return;
    for (const entry of this._outbox.values()) {
      if (entry.sent) return; // awaiting its answer; what follows waits behind it
      const result = this._transmitEntry(entry);
      if (result !== 'gone') return;
    }
    this._paced = false; // empty: the next send goes at once
  }

  /** The head was answered (stored or refused for good): the next goes now, or after the drain pace. */
  _next() {
    if (this._outbox.size === 0) {
      this._paced = false;
      return;
    }
    if (this._outboxTimer != null) return;
    if (this._paced && this._drainIntervalMs > 0) this._startOutboxTimer(this._drainIntervalMs);
    else this._pumpOutbox();
  }

  /** The head was refused as `rate_limited`/`internal`: wait a backoff, re-send it, then drain paced. */
  _holdOutbox(entry) {
    entry.sent = false;
    this._paced = true;
    this._cancelOutboxTimer();
    this._startOutboxTimer(backoffDelay(entry.attempts, this._backoff, this._random));
    entry.attempts += 1;
  }

  _startOutboxTimer(delay) {
    this._outboxTimer = this._setTimer(() => {
      this._outboxTimer = null;
      this._pumpOutbox();
    }, delay);
  }

  _cancelOutboxTimer() {
    if (this._outboxTimer != null) {
      this._clearTimer(this._outboxTimer);
      this._outboxTimer = null;
    }
  }

  /**
   * Write one outbox entry if we may: welcomed, and holding its lease (with a lock). Returns
   * 'sent', 'offline', 'gone' (another tab finished it) or 'elsewhere' (another tab is on it).
   */
  _transmitEntry(entry) {
    if (!this._welcomed) return 'offline';
    const id = entry.frame.clientMsgId;
    if (this._lock) {
      if (entry.restored && this._storage && !this._storedFrames().some((f) => f.clientMsgId === id)) {
        // Restored from storage and since removed there: another tab got its ack (or its
        // refusal). Its `message` frame reaches this tab too, so there is nothing left to do.
        this._outbox.delete(id);
        entry.resolve(null);
        return 'gone';
      }
      const lease = this._lock.acquire(id);
      if (!lease.ok) {
        const wait = Math.max(50, lease.retryAt - this._lock.now() + Math.round(200 * this._random()));
        this._cancelOutboxTimer();
        this._startOutboxTimer(wait);
        return 'elsewhere';
      }
    }
    if (!this._sendFrame(entry.frame)) return 'offline';
    entry.sent = true;
    return 'sent';
  }

  /** The outbox as stored (every tab's unacked sends), valid frames only. */
  _storedFrames() {
    if (!this._storage) return [];
    let frames;
    try {
      frames = JSON.parse(this._storage.get(OUTBOX_KEY) || '[]');
    } catch {
      frames = [];
    }
    if (!Array.isArray(frames)) return [];
    return frames.filter((f) => f && f.type === 'send' && typeof f.clientMsgId === 'string' && typeof f.text === 'string');
  }

  /**
   * Storage is changed one entry at a time (read, modify, write) rather than overwritten with this
   * tab's view: another tab may have added its own unsent messages since we last looked.
   */
  _writeStored(frames) {
    try {
      if (frames.length === 0) this._storage.remove(OUTBOX_KEY);
      else this._storage.set(OUTBOX_KEY, JSON.stringify(frames));
    } catch (err) {
      console.warn('[sodam] cannot persist outbox', err);
    }
  }

  _storeAdd(frame) {
    if (!this._storage) return;
    const frames = this._storedFrames().filter((f) => f.clientMsgId !== frame.clientMsgId);
    frames.push({ ...frame });
    this._writeStored(frames);
  }

  _storeRemove(clientMsgId) {
    if (!this._storage) return;
    const frames = this._storedFrames();
    const kept = frames.filter((f) => f.clientMsgId !== clientMsgId);
    if (kept.length !== frames.length || frames.length === 0) this._writeStored(kept);
  }

  _restoreOutbox() {
    return this._adoptStored();
  }

  _noteDelivered(clientMsgId) {
    if (typeof clientMsgId !== 'string') return;
    this._delivered.add(clientMsgId);
    if (this._delivered.size > 1000) this._delivered.delete(this._delivered.values().next().value);
  }

  /** Stored entries this tab does not have yet (and has not seen stored), added to the outbox in storage order. */
  _adoptStored() {
    const added = [];
    for (const f of this._storedFrames()) {
      if (this._outbox.has(f.clientMsgId) || this._delivered.has(f.clientMsgId)) continue;
      // Nobody awaits these any more; the UI learns the outcome from 'ack' / 'error' / 'message'.
      this._outbox.set(f.clientMsgId, { frame: f, resolve: () => {}, reject: () => {}, attempts: 0, sent: false, restored: true });
      added.push({ ...f });
    }
    if (added.length) this._emit('pending', added);
    return added;
  }

  /**
   * Take up unsent messages another tab of this visitor left in the shared outbox (call it on the
   * `storage` event; it also happens at every welcome): they join this tab's outbox, the app hears
   * 'pending' with their frames (to draw them), and if connected they go out now — each by one tab
   * only, the one holding its lease (`lock`), and the server answers a repeat with the original ack.
   */
  adoptStored() {
    const added = this._adoptStored();
    if (added.length && this._outboxTimer == null) this._pumpOutbox();
    return added;
  }

  // ---- other frames (exact shapes from protocol.md) -----------------------------------------
  // Each returns whether the frame was written; when offline they are dropped, because they
  // only make sense now (typing, read) or are safe for the user to repeat (handoff, accept, resolve).

  handoff(conversationId) {
    return this._sendFrame({ type: 'handoff', conversationId });
  }

  sync(conversationId, afterSeq) {
    return this._sendFrame({ type: 'sync', conversationId, afterSeq });
  }

  typing(conversationId, on) {
    return this._sendFrame({ type: 'typing', conversationId, on: Boolean(on) });
  }

  read(conversationId, seq) {
    return this._sendFrame({ type: 'read', conversationId, seq });
  }

  accept(conversationId) {
    return this._sendFrame({ type: 'accept', conversationId });
  }

  resolve(conversationId) {
    return this._sendFrame({ type: 'resolve', conversationId });
  }

  /** Refuse an `offer` (the server offers the conversation to the next agent). */
  decline(conversationId) {
    return this._sendFrame({ type: 'decline', conversationId });
  }

  /**
   * Agent: hand an assigned conversation to another agent ({ toAgentId }) or to a team ({ toTeamId }),
   * with an optional private note.
   */
  transfer(conversationId, { toAgentId, toTeamId, note, ref } = {}) {
    const frame = { type: 'transfer', conversationId };
    if (toAgentId) frame.toAgentId = toAgentId;
    if (toTeamId) frame.toTeamId = toTeamId;
    if (note) frame.note = note;
    if (ref) frame.ref = ref;
    return this._sendFrame(frame);
  }

  /**
   * Agent: ask who could take a transfer of the conversation now. The server answers with a `colleagues`
   * frame carrying the same `ref` (or an `error` with it), so a late answer for an earlier dialog can be told apart.
   */
  colleagues(conversationId, { ref } = {}) {
    const frame = { type: 'colleagues', conversationId };
    if (ref) frame.ref = ref;
    return this._sendFrame(frame);
  }

  /**
   * Agent: a private note on a conversation; agents see it, the visitor never does. `ref` (optional)
   * comes back in any error the note causes.
   */
  note(conversationId, text, { ref } = {}) {
    const frame = { type: 'note', conversationId, text };
    if (ref) frame.ref = ref;
    return this._sendFrame(frame);
  }

  /**
   * Visitor feedback: rate(conversationId, { kind: 'thumbs', messageId, score: 1|0 }) on a bot answer,
   * or { kind: 'csat', score: 1..5, comment } / { kind: 'nps', score: 0..10, comment } once resolved.
   * The server answers with a `rated` push (or an `error` carrying `ref`).
   */
  rate(conversationId, { kind, messageId, score, comment, ref } = {}) {
    const frame = { type: 'rate', conversationId, kind };
    if (messageId) frame.messageId = messageId;
    frame.score = score;
    if (comment && String(comment).trim()) frame.comment = String(comment).trim();
    if (ref) frame.ref = ref;
    return this._sendFrame(frame);
  }

  /**
   * Visitor: the page the widget is on, for the agent's context packet. Origin and path only (a
   * query or fragment may hold personal data); the title is cut to 300 characters. Not http(s): not sent.
   */
  page(url, title = '') {
    let where;
    try { where = new URL(String(url)); } catch { return false; }
    if (where.protocol !== 'https:' && where.protocol !== 'http:') return false;
    return this._sendFrame({ type: 'page', url: `${where.origin}${where.pathname}`, title: String(title ?? '').trim().slice(0, 300) });
  }

  /**
   * Visitor: what the site knows about its visitor. Only the given fields are sent; the server
   * merges them into the stored profile (attributes by name).
   */
  identify({ name, email, externalId, attributes, ref } = {}) {
    const frame = { type: 'identify' };
    if (name) frame.name = name;
    if (email) frame.email = email;
    if (externalId) frame.externalId = externalId;
    if (attributes && Object.keys(attributes).length) frame.attributes = attributes;
    if (ref) frame.ref = ref;
    return this._sendFrame(frame);
  }

  /** Agent: put a label on a conversation (`on` true) or take it off. */
  label(conversationId, label, on = true) {
    const text = String(label ?? '').trim();
    if (!text) return false;
    return this._sendFrame({ type: 'label', conversationId, label: text, on: Boolean(on) });
  }

  /** Agent presence: 'online' | 'away' | 'offline'. Anything else is not sent. */
  presence(status) {
    if (!PRESENCE_STATUSES.includes(status)) return false;
    return this._sendFrame({ type: 'presence', status });
  }
}
