// The visitor chat widget. Loaded by /widget.js when the visitor opens the chat (or at once for
// a returning visitor / data-eager), which calls mount({site, base, locale, host}) and gets the
// object behind window.Sodam. Everything lives in an open shadow root on <div id="sodam-widget">
// (the loader's, whose bubble this replaces); every piece of text from visitors, agents, the bot
// or the FAQ is inserted as text (see ../dom.js), never as HTML.
//
// Widget strings carry their i18n key (data-i18n = text, data-i18n-<attr> = attribute) so
// setLocale() can re-render all of them in place without touching the conversation.

import { SodamClient, visitorHello } from '../protocol/client.js';
import { TabLock } from '../protocol/tablock.js';
import { pickLocale, translator, queueStatusText, noticeText } from '../i18n.js';
import { h, linkify, loadImage, icon, formatTime, isNearBottom, scrollToBottom, isSendKey, autoGrow, prefixedStorage } from '../dom.js';
import { answerNodes } from '../format.js';
import { WIDGET_CSS } from './styles.js';
import { wantsThumbs, thumbsRow, markThumbs, SatisfactionCard } from './feedback.js';
import { fetchSettings, safeUrl, safeColor, localized, unavailability, wantsOfflineForm } from './settings.js';
import { prechatForm, offlineForm } from './forms.js';
import { HistoryMark, countsAsUnread, shouldChime, claimChime, blinkTitle, TitleBlinker } from './notify.js';

const TYPING_REFRESH_MS = 3000; // re-announce "typing" at most this often
const TYPING_IDLE_MS = 4000; // after this long without keystrokes we say "stopped typing"
const REMOTE_TYPING_TIMEOUT_MS = 8000; // hide the agent's indicator if its "off" got lost
const READ_DELAY_MS = 250; // a burst of messages earns one read frame, not one each
const API_EVENTS = ['message', 'open', 'close'];
const MAX_IMAGE_BYTES = 2 * 1024 * 1024; // the server's limit; checked here first to fail fast
const IMAGE_TYPES = 'image/png,image/jpeg,image/gif,image/webp';

/** 'ko' | 'en' from a locale tag, or null for anything else. */
export function normalizeLocale(tag) {
  if (typeof tag !== 'string') return null;
  const t = tag.trim().toLowerCase();
  if (t.startsWith('ko')) return 'ko';
  if (t.startsWith('en')) return 'en';
  return null;
}

/** Text of a string with its i18n key, for h(): {'data-i18n': key, text}. */
function tx(t, key) {
  return { 'data-i18n': key, text: t(key) };
}

/** An attribute with its i18n key, for h(): {[attr]: text, ['data-i18n-' + attr]: key}. */
function ta(t, attr, key) {
  return { [attr]: t(key), [`data-i18n-${attr}`]: key };
}

/** ws(s)://host/…/ws?site=<site>, next to the script that loaded us. */
export function wsUrlFor(base, site) {
  const url = new URL('ws', base);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.search = `?site=${encodeURIComponent(site)}`;
  url.hash = '';
  return url.href;
}

let mounted = null;

/**
 * Build the widget (once) and return its public API: open(), close(), setLocale('ko'|'en'),
 * on('message'|'open'|'close', fn) → unsubscribe. `host` is the loader's element, if any.
 */
export function mount({ site, base, locale, host, WebSocketImpl } = {}) {
  if (mounted) return mounted.api;
  mounted = new VisitorWidget({
    site: site || 'demo',
    base: base || new URL('/', location.href).href,
    locale: pickLocale(document, locale),
    host,
    WebSocketImpl,
  });
  return mounted.api;
}

/** What window.Sodam.on('message') listeners get: a copy, so they cannot change what we draw. */
/** The identify frame's fields from what a page passed to Sodam.identify(), or null if unusable. */
export function identityFrame(p) {
  if (!p || typeof p !== 'object') return null;
  const text = (v) => (typeof v === 'string' || typeof v === 'number' ? String(v).trim() : '');
  const out = { attributes: {} };
  if (text(p.name)) out.name = text(p.name).slice(0, 100);
  if (text(p.email)) out.email = text(p.email);
  if (text(p.id)) out.externalId = text(p.id).slice(0, 128);
  if (p.attributes && typeof p.attributes === 'object') {
    for (const [k, v] of Object.entries(p.attributes).slice(0, 30)) {
      if (['string', 'number', 'boolean'].includes(typeof v)) out.attributes[k.slice(0, 64)] = String(v).slice(0, 500);
    }
  }
  return out;
}

function publicMessage(m) {
  return {
    conversationId: m.conversationId, seq: m.seq, messageId: m.messageId ?? null, text: m.text ?? '',
    ts: m.ts, from: { kind: m.from?.kind ?? 'system', name: m.from?.name ?? null },
  };
}

class VisitorWidget {
  constructor({ site, base, locale, host, WebSocketImpl }) {
    this.site = site;
    this.base = base;
    this.locale = locale;
    this.t = translator(locale);
    this.store = prefixedStorage(globalThis.localStorage, `sodam:${site}:`);
    this.session = prefixedStorage(globalThis.sessionStorage, `sodam:${site}:`);

    this.conversationId = this.store.get('conversationId');
    this.convState = 'none'; // none | bot | queued | assigned | resolved
    this.lastStatus = { state: 'none' };
    this.connection = 'closed';
    this.isOpen = false;
    this.unread = 0;
    this.muted = this.store.get('muted') === '1';
    this.history = new HistoryMark(); // messages replayed on load are not "new"
    this.resumedId = null;
    this.lastReadSent = 0;
    this.readTimer = null;
    this.remoteTyping = null;
    this.chimes = 0;
    this.blinker = new TitleBlinker();
    this.byKey = new Map(); // `${conversationId}:${seq}` → <li>, so a message is never drawn twice
    this.byClientMsgId = new Map(); // our own sends until their message frame arrives
    this.resends = new Map(); // clientMsgId → {text, faqId, handoff} of our pending text sends
    this.thumbs = new Map(); // bot messageId → its 👍/👎 row
    this.ratedThumbs = new Map(); // bot messageId → score, for rows drawn after their rating arrived
    this.csat = null; // the satisfaction card of the last resolved conversation
    this.settings = {}; // the site's settings from the server (nps question, …)
    this.listeners = new Map(API_EVENTS.map((type) => [type, new Set()]));
    this.api = Object.freeze({
      open: () => this.open(),
      close: () => this.close(),
      setLocale: (l) => this.setLocale(l),
      identify: (p) => this.identify(p),
      on: (type, fn) => this.subscribe(type, fn),
    });

    this.buildDom(host);
    // The tab id survives reloads of this tab (sessionStorage), so a reloaded page still owns the
    // outbox leases its previous incarnation took and re-sends at once.
    let tabId = this.session.get('tab');
    if (!tabId) {
      tabId = `t-${Math.random().toString(36).slice(2, 12)}`;
      this.session.set('tab', tabId);
    }
    this.client = new SodamClient({
      url: wsUrlFor(base, site),
      hello: () => this.hello(),
      WebSocketImpl: WebSocketImpl ?? globalThis.WebSocket,
      storage: this.store, // outbox persisted as sodam:<site>:outbox, shared by the visitor's tabs
      lock: new TabLock({ storage: this.store, tabId }), // one tab re-sends a given message
      restartResolved: true, // a message for a chat resolved meanwhile starts the next one
    });
    this.bindClient();
    for (const frame of this.client.pending()) this.drawPending(frame.text, frame.clientMsgId, frame);
    if (this.session.get('open') === '1') this.open({ focus: false });
    this.client.connect();
    // A laptop waking up or a phone regaining signal should not wait out the backoff; a lost
    // network should show at once rather than when TCP notices.
    globalThis.addEventListener('online', () => {
      if (this.client.state !== 'open') this.client.reconnect();
    });
    globalThis.addEventListener('offline', () => this.client.drop());
    globalThis.addEventListener('pagehide', () => this.client.releaseLocks());
    globalThis.addEventListener('storage', (e) => {
      if (e.key === `sodam:${site}:muted`) this.setMuted(e.newValue === '1', { save: false });
      // Another tab queued (or settled) a message: take up what it may leave behind unsent.
      if (e.key === `sodam:${site}:outbox` || e.key === null) this.client.adoptStored();
    });
    document.addEventListener('visibilitychange', () => this.markRead());
    globalThis.addEventListener?.('popstate', () => this.reportPage()); // a single-page shop moved on
  }

  // ---- public API (window.Sodam) ------------------------------------------------------------

  subscribe(type, fn) {
    if (!this.listeners.has(type) || typeof fn !== 'function') {
      console.warn(`[sodam] on(): unknown event ${String(type)} (use ${API_EVENTS.join(', ')})`);
      return () => {};
    }
    this.listeners.get(type).add(fn);
    return () => { this.listeners.get(type).delete(fn); };
  }

  emit(type, payload) {
    for (const fn of [...this.listeners.get(type)]) {
      try { fn(payload); } catch (err) { console.error(`[sodam] ${type} listener failed`, err); }
    }
  }

  /**
   * Sodam.identify({name, email, id, attributes}): tells agents who the visitor is. Kept for this
   * page and sent after every welcome (so a reconnect or a later open still carries it); values
   * are plain text to the server and the console.
   */
  identify(profile) {
    const clean = identityFrame(profile);
    if (!clean) {
      console.warn('[sodam] identify(): pass an object like {name, email, id, attributes}');
      return;
    }
    this.identity = { ...this.identity, ...clean, attributes: { ...this.identity?.attributes, ...clean.attributes } };
    if (this.client.welcomed) this.client.identify(this.identity);
  }

  /** Switch every widget string to 'ko' or 'en'; the conversation stays as it is. */
  setLocale(tag) {
    const next = normalizeLocale(tag);
    if (!next) {
      console.warn(`[sodam] setLocale(): unsupported locale ${String(tag)} (use 'ko' or 'en')`);
      return;
    }
    if (next === this.locale) return;
    this.locale = next;
    this.t = translator(next);
    this.root.lang = next;
    for (const el of this.host.shadowRoot.querySelectorAll('*')) {
      for (const { name, value } of [...el.attributes]) {
        const vars = el.dataset.n != null ? { n: el.dataset.n } : undefined;
        if (name === 'data-i18n') el.textContent = this.t(value, vars);
        else if (name.startsWith('data-i18n-')) el.setAttribute(name.slice('data-i18n-'.length), this.t(value, vars));
      }
    }
    this.updateLauncher();
    this.applyGreeting();
    this.applyQuickReplies();
    for (const el of this.list.querySelectorAll('[data-notice]')) {
      try {
        const text = this.noticeText(JSON.parse(el.dataset.notice));
        if (text) el.textContent = text;
      } catch { /* keep the server's text */ }
    }
    for (const p of this.host.shadowRoot.querySelectorAll('[data-testid="privacy-text"]')) {
      p.textContent = localized(this.settings.privacy, next) ?? '';
    }
    this.applyStatus(this.lastStatus);
    this.showConnection(this.connection);
    this.renderTyping();
    this.updateBlink();
  }

  /**
   * Called for every connection. After a page load lastSeq is 0, so the whole history is
   * replayed once; reconnects within the page resume from the last seq on screen.
   */
  hello() {
    const id = this.conversationId;
    this.resumedId = id ?? null;
    return visitorHello({
      site: this.site,
      visitorToken: this.store.get('visitorToken'),
      locale: this.locale,
      resume: id ? { conversationId: id, lastSeq: this.client.lastSeq(id) } : null,
    });
  }

  // ---- DOM ----------------------------------------------------------------------------------

  buildDom(host) {
    const t = this.t;
    this.host = host ?? h('div', { id: 'sodam-widget' });
    const shadow = this.host.shadowRoot ?? this.host.attachShadow({ mode: 'open' });

    this.badge = h('span', { class: 'badge', testid: 'badge', hidden: true, 'aria-hidden': 'true' });
    this.launcher = h('button', {
      class: 'launcher', type: 'button', testid: 'launcher',
      'aria-label': t('widget.open'), 'aria-expanded': 'false', 'aria-controls': 'sodam-panel',
      onclick: () => (this.isOpen ? this.close() : this.open()),
    }, icon('chat', 26), this.badge);

    this.agentName = h('p', { class: 'agent', testid: 'agent-name', ...ta(t, 'data-subtitle', 'widget.subtitle') });
    this.handoffButton = h('button', {
      class: 'handoff', type: 'button', testid: 'handoff', ...ta(t, 'aria-label', 'widget.handoffLabel'),
      onclick: () => this.handoff(),
    }, h('span', tx(t, 'widget.handoff')));
    this.muteButton = h('button', {
      class: 'icon-btn', type: 'button', testid: 'mute', 'aria-pressed': String(this.muted),
      ...ta(t, 'aria-label', 'widget.mute'), ...ta(t, 'title', 'widget.mute'),
      onclick: () => this.setMuted(!this.muted),
    }, icon(this.muted ? 'muted' : 'sound'));
    const header = h('header', { class: 'header' },
      h('div', { class: 'avatar', 'aria-hidden': 'true' }, icon('person')),
      h('div', { class: 'titles' }, h('h2', { class: 'title', id: 'sodam-title', ...tx(t, 'widget.title') }), this.agentName),
      this.handoffButton,
      this.muteButton,
      h('button', {
        class: 'icon-btn', type: 'button', testid: 'close', ...ta(t, 'aria-label', 'widget.close'), onclick: () => this.close(),
      }, icon('close')));

    this.banner = h('div', { class: 'banner', testid: 'banner', role: 'status', hidden: true });
    this.list = h('ol', {
      // A live region rather than role=log: an <ol> keeps its list semantics for its <li> items.
      class: 'messages', testid: 'messages', 'aria-live': 'polite', 'aria-relevant': 'additions',
      ...ta(t, 'aria-label', 'widget.messages'), tabindex: '0',
    }, h('li', { class: 'intro', ...tx(t, 'widget.greeting') }));
    this.typingText = h('span');
    this.typingEl = h('div', { class: 'typing', testid: 'typing', hidden: true, 'aria-live': 'polite' },
      h('span', { class: 'dots', 'aria-hidden': 'true' }, h('i'), h('i'), h('i')), this.typingText);
    this.statusEl = h('div', { class: 'status', testid: 'status', role: 'status' });

    this.input = h('textarea', {
      testid: 'input', rows: '1', maxlength: '4000',
      ...ta(t, 'placeholder', 'widget.placeholder'), ...ta(t, 'aria-label', 'widget.inputLabel'),
      onkeydown: (e) => {
        if (isSendKey(e)) { e.preventDefault(); this.submit(); }
      },
      oninput: () => { autoGrow(this.input); this.noteTyping(); },
    });
    this.fileInput = h('input', {
      type: 'file', class: 'file', testid: 'file', accept: IMAGE_TYPES, tabindex: '-1', 'aria-hidden': 'true',
      onchange: () => this.uploadFile(),
    });
    const attach = h('button', {
      class: 'icon-btn attach', type: 'button', testid: 'attach', ...ta(t, 'aria-label', 'widget.attach'),
      ...ta(t, 'title', 'widget.attach'), onclick: () => this.fileInput.click(),
    }, icon('image', 20));
    const form = h('form', {
      class: 'composer', onsubmit: (e) => { e.preventDefault(); this.submit(); },
    }, this.fileInput, attach, this.input, h('button', {
      class: 'send', type: 'submit', testid: 'send', ...ta(t, 'aria-label', 'widget.send'),
    }, icon('send', 18)));

    this.formSlot = h('div', { class: 'form-slot' });
    this.composer = form;
    this.panel = h('section', {
      class: 'panel', id: 'sodam-panel', testid: 'panel', role: 'dialog', 'aria-labelledby': 'sodam-title',
      hidden: true,
      onkeydown: (e) => { if (e.key === 'Escape') this.close(); },
    }, header, this.banner, this.formSlot, this.list, this.typingEl, this.statusEl, form);

    this.root = h('div', {
      class: 'root', lang: this.locale, dataset: { state: 'none' },
      // A click or key in the widget is the user gesture browsers want before they play sound.
      onpointerdown: () => this.unlockAudio(), onkeydown: () => this.unlockAudio(),
    }, this.panel, this.launcher);
    // Replaces the loader's bubble in the same shadow root: same place, same size.
    shadow.replaceChildren(h('style', { text: WIDGET_CSS }), this.root);
    if (!this.host.isConnected) document.body.append(this.host);
  }

  open({ focus = true } = {}) {
    const was = this.isOpen;
    this.isOpen = true;
    this.panel.hidden = false;
    this.root.dataset.open = '';
    this.launcher.setAttribute('aria-expanded', 'true');
    this.session.set('open', '1');
    this.setUnread(0);
    scrollToBottom(this.list);
    if (focus) this.input.focus();
    this.loadSettings();
    this.markRead();
    if (!was) this.emit('open');
  }

  close() {
    const hadFocus = this.host.shadowRoot.activeElement != null;
    const was = this.isOpen;
    this.isOpen = false;
    this.panel.hidden = true;
    delete this.root.dataset.open;
    this.launcher.setAttribute('aria-expanded', 'false');
    this.updateLauncher();
    this.session.remove('open');
    if (hadFocus) this.launcher.focus(); // keep keyboard users where they were
    if (was) this.emit('close');
  }

  setUnread(n) {
    this.unread = n;
    this.badge.hidden = n === 0;
    this.badge.textContent = n > 9 ? '9+' : String(n);
    this.root.dataset.unread = String(n);
    this.updateLauncher();
    this.updateBlink();
  }

  updateLauncher() {
    const n = this.unread;
    this.launcher.setAttribute('aria-label',
      n > 0 ? `${this.t('widget.open')} (${this.t('widget.unread', { n })})` : this.t(this.isOpen ? 'widget.close' : 'widget.open'));
  }

  /** The tab title blinks "(1) 새 메시지" while the panel is closed and something is unread. */
  updateBlink() {
    this.blinker.set(!this.isOpen && this.unread > 0 ? blinkTitle(this.t, this.unread) : null);
  }

  setMuted(muted, { save = true } = {}) {
    this.muted = muted;
    if (save) {
      if (muted) this.store.set('muted', '1');
      else this.store.remove('muted');
    }
    this.muteButton.setAttribute('aria-pressed', String(muted));
    this.muteButton.replaceChildren(icon(muted ? 'muted' : 'sound'));
  }

  unlockAudio() {
    if (this.muted || this.audio) return;
    const Ctx = globalThis.AudioContext ?? globalThis.webkitAudioContext;
    if (!Ctx) return;
    try { this.audio = new Ctx(); } catch { /* no audio on this device */ }
  }

  /** A short two-note chime, synthesised (no sound file to load). */
  chime() {
    this.chimes += 1;
    this.root.dataset.chimes = String(this.chimes); // for tests: how often we would have played
    this.unlockAudio();
    const ctx = this.audio;
    if (!ctx) return;
    try {
      if (ctx.state === 'suspended') ctx.resume().catch(() => {});
      const t0 = ctx.currentTime;
      for (const [freq, at] of [[880, 0], [1318.5, 0.13]]) {
        const osc = ctx.createOscillator();
        const gain = ctx.createGain();
        osc.type = 'sine';
        osc.frequency.value = freq;
        gain.gain.setValueAtTime(0.0001, t0 + at);
        gain.gain.exponentialRampToValueAtTime(0.18, t0 + at + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, t0 + at + 0.4);
        osc.connect(gain).connect(ctx.destination);
        osc.start(t0 + at);
        osc.stop(t0 + at + 0.45);
      }
    } catch { /* a chime is never worth an error */ }
  }

  // ---- protocol events ----------------------------------------------------------------------

  bindClient() {
    const c = this.client;
    c.on('state', (state) => this.showConnection(state));
    c.on('welcome', (w) => this.onWelcome(w));
    c.on('message', (m) => this.onMessage(m));
    c.on('ack', (a) => this.onAck(a));
    c.on('status', (s) => { if (this.follows(s.conversationId)) this.applyStatus(s); });
    c.on('typing', (f) => this.onRemoteTyping(f));
    c.on('error', (e) => this.onError(e));
    c.on('rated', (r) => this.onRated(r));
    c.on('rewound', (r) => this.onRewound(r));
    // Unsent messages of another tab of this visitor, now also this tab's to deliver: drawn once.
    c.on('pending', (frames) => {
      for (const f of frames) if (!this.byClientMsgId.has(f.clientMsgId)) this.drawPending(f.text, f.clientMsgId, f);
    });
  }

  /** The banner shows while the client is not welcomed: "연결이 끊겼어요. 다시 연결하는 중…". */
  showConnection(state) {
    this.connection = state;
    this.root.dataset.connection = state;
    if (state === 'open') {
      this.banner.hidden = true;
      return;
    }
    const lost = this.everOpen || globalThis.navigator?.onLine === false;
    this.banner.textContent = this.t(lost ? 'widget.reconnecting' : 'widget.connecting');
    this.banner.hidden = false;
    if (state === 'closed') this.hideRemoteTyping();
  }

  onWelcome(w) {
    this.everOpen = true;
    this.reportPage();
    if (this.identity) this.client.identify(this.identity);
    if (w.visitorToken) this.store.set('visitorToken', w.visitorToken);
    const conv = w.conversation;
    this.history.welcome({ conversation: conv, resumedId: this.resumedId });
    if (conv) {
      if (conv.id !== this.conversationId) {
        // Our open conversation is not the one we resumed (started in another tab, or storage
        // was cleared): switch to it and fetch its history.
        this.adopt(conv.id);
        this.client.sync(conv.id, this.client.lastSeq(conv.id));
      }
      this.applyStatus(conv);
    } else {
      // No open conversation: the stored one (if any) was resolved; its history stays visible
      // and the next send starts a new conversation.
      this.applyStatus({ state: this.conversationId ? 'resolved' : 'none' });
    }
  }

  /** Tells the server which page the visitor is on (the agent sees it in the context packet). */
  reportPage() {
    this.client.page(globalThis.location?.href, document.title);
  }

  adopt(conversationId) {
    this.conversationId = conversationId;
    this.store.set('conversationId', conversationId);
    this.lastReadSent = 0;
  }

  /**
   * Whether a frame about `conversationId` concerns the conversation we show. A conversation we
   * have not seen is adopted when we have none open: it is the one our (or another tab's) send
   * just created. Its ack, first message and first status may arrive in any order.
   */
  follows(conversationId) {
    if (!conversationId) return false;
    if (conversationId === this.conversationId) return true;
    if (this.conversationId && this.convState !== 'resolved' && this.convState !== 'none') return false;
    this.adopt(conversationId);
    this.applyStatus({ state: 'bot' }); // every conversation starts with the bot
    return true;
  }

  /** Forget the conversation (and optionally the token): used when the server disowns them. */
  resetIdentity({ token }) {
    if (token) this.store.remove('visitorToken');
    if (this.conversationId) this.client.forget(this.conversationId);
    this.conversationId = null;
    this.store.remove('conversationId');
    for (const li of [...this.list.querySelectorAll('[data-testid="message"]:not([data-pending])')]) li.remove();
    this.byKey.clear();
    this.applyStatus({ state: 'none' });
  }

  onError(e) {
    if (e.code === 'unauthorized' && !this.client.welcomed) {
      // Our visitorToken is unknown (expired, or the server's data was reset): start fresh.
      if (this.store.get('visitorToken')) {
        this.resetIdentity({ token: true });
        this.client.reconnect();
      }
      return;
    }
    if (e.code === 'not_found' && !e.ref && this.conversationId) {
      // The resumed conversation is not ours (any more): drop it rather than retry forever.
      this.resetIdentity({ token: false });
      return;
    }
    const li = e.ref ? this.byClientMsgId.get(e.ref) : null;
    if (li && e.code !== 'rate_limited' && e.code !== 'internal') this.markFailed(e.ref, li, e.code);
  }

  /** The server's history ends at `lastSeq` (restored from a backup): what we show beyond it is gone. */
  onRewound({ conversationId, lastSeq }) {
    for (const [key, li] of [...this.byKey]) {
      if (li.dataset.conversationId === conversationId && Number(li.dataset.seq) > lastSeq) {
        li.remove();
        this.byKey.delete(key);
      }
    }
  }

  onAck(ack) {
    this.follows(ack.conversationId); // the first ack of a new conversation tells us its id
    const li = this.byClientMsgId.get(ack.clientMsgId);
    if (li) {
      delete li.dataset.pending;
      li.dataset.seq = String(ack.seq);
      li.dataset.conversationId = ack.conversationId;
    }
  }

  onMessage(m) {
    this.follows(m.conversationId);
    const key = `${m.conversationId}:${m.seq}`;
    if (this.byKey.has(key)) return;
    const kind = m.from?.kind ?? 'system';
    if (kind === 'agent') this.hideRemoteTyping();

    const follow = isNearBottom(this.list) || kind === 'visitor';
    let li = m.clientMsgId ? this.byClientMsgId.get(m.clientMsgId) : null;
    if (m.clientMsgId) this.resends.delete(m.clientMsgId);
    if (li && m.attachment) {
      // Our upload's placeholder becomes the image message.
      this.byClientMsgId.delete(m.clientMsgId);
      const fresh = this.messageEl(m, kind);
      li.replaceWith(fresh);
      li = fresh;
    } else if (li) {
      // Our own pending bubble: keep the node, make it the real thing.
      this.byClientMsgId.delete(m.clientMsgId);
      delete li.dataset.pending;
      delete li.dataset.failed;
      li.removeAttribute('aria-label');
      li.removeAttribute('data-i18n-aria-label');
      li.querySelector('.note')?.remove();
      // The stored text replaces what was typed: the server masks resident, phone and card
      // numbers before storing (docs/admin.md "Masking"), and the echo is what everyone else sees.
      li.querySelector('[data-testid="text"]')?.replaceChildren(...linkify(m.text ?? ''));
      const time = li.querySelector('time');
      time.dateTime = m.ts;
      time.textContent = formatTime(m.ts);
    } else {
      li = this.messageEl(m, kind);
    }
    li.dataset.seq = String(m.seq);
    li.dataset.conversationId = m.conversationId;
    this.insert(li);
    this.byKey.set(key, li);
    if (follow) scrollToBottom(this.list);

    const isNew = this.history.isNew(m);
    if (countsAsUnread(m, { isOpen: this.isOpen, isNew })) this.setUnread(this.unread + 1);
    const hidden = document.visibilityState !== 'visible';
    if (shouldChime(m, { isOpen: this.isOpen, hidden, isNew, muted: this.muted }) && claimChime(this.store, m)) this.chime();
    if (isNew) this.emit('message', publicMessage(m));
    this.markRead();
  }

  applyStatus(status) {
    const { state, queuePosition, etaSeconds, agent } = status;
    this.lastStatus = status;
    this.convState = state;
    this.root.dataset.state = state;
    this.handoffButton.hidden = state === 'queued' || state === 'assigned';
    const agentName = agent?.name ? this.displayName(agent.name) : '';
    this.agentName.textContent = state === 'assigned' ? agentName : '';
    const unavailable = unavailability(this.settings);
    let text = '';
    if (state === 'queued') text = this.offlineLeft ? this.t('offline.sent') : queueStatusText(this.t, { queuePosition, etaSeconds });
    else if (state === 'assigned') text = agentName ? this.t('widget.assigned', { name: agentName }) : '';
    else if (state === 'resolved') text = this.t('widget.resolved');
    else if (unavailable) text = this.t(`offline.${unavailable}`); // offline.closed or offline.noAgent
    this.statusEl.textContent = text;
    if (state === 'resolved') this.askSatisfaction();
    if (state !== 'assigned') this.hideRemoteTyping();
  }

  // ---- site settings and forms ---------------------------------------------------------------

  /** Fetched at every open: whether an agent is online changes; the look rarely does. */
  loadSettings() {
    if (this.settingsLoading) return;
    this.settingsLoading = true;
    fetchSettings(this.base, this.site).then((settings) => {
      this.settingsLoading = false;
      if (settings) this.applySettings(settings);
    });
  }

  applySettings(settings) {
    this.settings = settings;
    const accent = safeColor(settings.accentColor);
    if (accent) {
      this.root.style.setProperty('--accent', accent);
      this.root.style.setProperty('--accent-hover', accent);
    }
    this.root.dataset.position = settings.position === 'left' ? 'left' : 'right';
    this.applyGreeting();
    this.applyQuickReplies();
    const logo = safeUrl(settings.logoUrl);
    const avatar = this.panel.querySelector('.avatar');
    if (logo && avatar.dataset.logo !== logo) {
      avatar.dataset.logo = logo;
      avatar.replaceChildren(h('img', { src: logo, alt: '', referrerpolicy: 'no-referrer', testid: 'logo' }));
    }
    this.applyStatus(this.lastStatus);
    this.maybePrechat();
  }

  /** The site's greeting (in the current language) replaces ours. */
  applyGreeting() {
    const text = localized(this.settings.greeting, this.locale);
    const intro = this.list.querySelector('.intro');
    if (!text || !intro) return;
    intro.removeAttribute('data-i18n');
    intro.textContent = text;
  }

  /**
   * The site's quick replies (in the current language) as buttons under the greeting: one tap sends
   * the text as the visitor's first message. Gone once the conversation has any message.
   */
  applyQuickReplies() {
    this.list.querySelector('.quick')?.remove();
    const replies = this.settings?.quickReplies?.[this.locale] ?? [];
    const intro = this.list.querySelector('.intro');
    if (!intro || !Array.isArray(replies) || !replies.length || this.list.querySelector('[data-testid="message"]')) return;
    const chips = replies.filter((r) => typeof r === 'string' && r.trim()).map((text) => h('button', {
      class: 'chip', type: 'button', testid: 'quick-reply',
      onclick: () => { this.list.querySelector('.quick')?.remove(); this.sendText(text); },
    }, text));
    intro.after(h('li', { class: 'quick', testid: 'quick-replies' },
      h('div', { class: 'chips', role: 'group', ...ta(this.t, 'aria-label', 'widget.quickReplies') }, chips)));
  }

  noticeText(notice) {
    return noticeText(notice, this.locale, { rename: (n) => this.displayName(n) });
  }

  /** "상담원" instead of the agent's name when the site says so. */
  displayName(name) {
    return this.settings.agentNames === 'generic' ? this.t('widget.agentGeneric') : name;
  }

  showForm(form, kind) {
    this.root.dataset.form = kind;
    this.formSlot.replaceChildren(form);
    form.querySelector('input, textarea')?.focus();
  }

  hideForm() {
    delete this.root.dataset.form;
    this.formSlot.replaceChildren();
    this.input.focus();
  }

  /** Before a first conversation, when the site asks for it and this browser has not answered it. */
  maybePrechat() {
    if (!this.settings.prechat?.enabled || this.conversationId || this.client.pending().length
      || this.store.get('prechat') === '1' || this.root.dataset.form) return;
    this.showForm(prechatForm({
      t: this.t, settings: this.settings, locale: this.locale,
      onSubmit: (values) => {
        // Only the fact that it was answered is kept in this browser; the details go to the server.
        this.store.set('prechat', '1');
        this.identify({
          name: values.name, email: values.email,
          attributes: { ...(values.phone ? { phone: values.phone } : {}), privacyConsentAt: new Date().toISOString() },
        });
        this.hideForm();
      },
    }), 'prechat');
  }

  showOfflineForm() {
    this.showForm(offlineForm({
      t: this.t, settings: this.settings, locale: this.locale,
      onCancel: () => this.hideForm(),
      onSubmit: ({ name, email, message }) => {
        this.identify({ name, email, attributes: { privacyConsentAt: new Date().toISOString(), offline: 'true' } });
        this.offlineLeft = true;
        this.hideForm();
        // The message starts (or joins) the conversation and hands it to the queue in the same
        // step, so the bot never answers it; agents find it there when they are back.
        this.sendText(message, null, { handoff: true });
        this.statusEl.textContent = this.t('offline.sent');
      },
    }), 'offline');
  }

  // ---- feedback -----------------------------------------------------------------------------

  rate(messageId, score) {
    if (!this.conversationId) return;
    this.client.rate(this.conversationId, { kind: 'thumbs', messageId, score });
  }

  /** The satisfaction card, once per resolved conversation we show. */
  askSatisfaction() {
    const id = this.conversationId;
    if (!id || this.csat?.conversationId === id) return;
    this.csat?.el.remove();
    const nps = this.settings.nps?.enabled
      ? { question: this.settings.nps.question?.[this.locale] || null }
      : null;
    this.csat = new SatisfactionCard({
      t: (key, vars) => this.t(key, vars), conversationId: id, nps,
      send: (kind, score, comment) => this.client.rate(id, { kind, score, comment }),
    });
    this.list.append(this.csat.el);
    if (isNearBottom(this.list, 200)) scrollToBottom(this.list);
  }

  onRated(r) {
    if (r.conversationId !== this.conversationId) return;
    if (r.kind === 'thumbs') {
      this.ratedThumbs.set(r.messageId, r.score);
      const row = this.thumbs.get(r.messageId);
      if (row) markThumbs(row, r.score);
    } else if (this.csat?.conversationId === r.conversationId && !this.csat.done(r.kind)) {
      this.csat.el.remove();
    }
  }

  onRemoteTyping(f) {
    if (f.conversationId !== this.conversationId || f.from?.kind !== 'agent') return;
    clearTimeout(this.remoteTypingTimer);
    if (!f.on) return this.hideRemoteTyping();
    this.remoteTyping = f;
    this.renderTyping();
    const follow = isNearBottom(this.list);
    this.typingEl.hidden = false;
    if (follow) scrollToBottom(this.list);
    this.remoteTypingTimer = setTimeout(() => this.hideRemoteTyping(), REMOTE_TYPING_TIMEOUT_MS);
    return undefined;
  }

  renderTyping() {
    const name = this.remoteTyping?.from?.name ? this.displayName(this.remoteTyping.from.name) : null;
    this.typingText.textContent = name ? this.t('widget.typing', { name }) : this.t('widget.typingAnon');
  }

  hideRemoteTyping() {
    clearTimeout(this.remoteTypingTimer);
    this.remoteTyping = null;
    this.typingEl.hidden = true;
  }

  // ---- rendering ----------------------------------------------------------------------------

  messageEl(m, kind) {
    const li = h('li', { class: `msg msg--${kind}`, testid: 'message', dataset: { kind } });
    const prev = this.lastDrawn();
    const sender = m.from?.name;
    // Name above the bubble only where the speaker changes, like every chat app.
    if ((kind === 'bot' || kind === 'agent') && sender && prev?.dataset.from !== `${kind}:${m.from.id}`) {
      li.append(h('div', { class: 'sender' }, kind === 'agent' ? this.displayName(sender) : sender));
    }
    li.dataset.from = `${kind}:${m.from?.id ?? ''}`;
    // Consecutive messages of one speaker within two minutes form a group (tighter, one name).
    const prevTs = Date.parse(prev?.querySelector('time')?.dateTime ?? '');
    if (prev?.dataset.from === li.dataset.from && Date.parse(m.ts) - prevTs < 120000) li.dataset.grouped = '';
    const text = h('span', { class: 'text', testid: 'text' });
    if (m.attachment?.id) {
      const img = h('img', { class: 'image', testid: 'image', alt: this.t('widget.image'), 'data-i18n-alt': 'widget.image' });
      loadImage(img, new URL(`api/attachments/${encodeURIComponent(m.attachment.id)}`, this.base).href,
        this.store.get('visitorToken')).then((ok) => { img.dataset.loaded = String(ok); });
      text.classList.add('caption');
      text.textContent = m.text ?? '';
      li.append(h('div', { class: 'bubble bubble--image' }, img, text));
    } else if (m.notice?.code) {
      // A system (or fixed bot) text with a code: said in the visitor's current language, again on setLocale().
      text.dataset.notice = JSON.stringify(m.notice);
      text.textContent = this.noticeText(m.notice) ?? m.text ?? '';
    } else if (kind === 'bot') {
      // FAQ answers may have paragraphs, lists and links (../format.js), built as nodes, never HTML.
      text.dataset.formatted = '';
      text.append(...answerNodes(m.text ?? ''));
    } else {
      text.append(...linkify(m.text ?? ''));
    }
    if (!m.attachment?.id) li.append(h('div', { class: 'bubble' }, text));

    const chips = [];
    for (const s of m.suggestions ?? []) {
      chips.push(h('button', {
        class: 'chip', type: 'button', testid: 'suggestion',
        onclick: () => this.sendText(s.question, s.faqId),
      }, s.question));
    }
    for (const a of m.actions ?? []) {
      if (a.id !== 'handoff') continue; // the only action protocol v1 defines
      // Our own words rather than the server's label: they follow setLocale().
      chips.push(h('button', {
        class: 'chip chip--action', type: 'button', testid: 'action-handoff',
        onclick: () => this.handoff(), ...tx(this.t, 'widget.handoff'),
      }));
    }
    if (chips.length) {
      li.append(h('div', { class: 'chips', role: 'group', ...ta(this.t, 'aria-label', 'widget.suggestions') }, chips));
    }
    if (kind !== 'system') li.append(h('time', { class: 'meta', datetime: m.ts }, formatTime(m.ts)));
    if (wantsThumbs(m)) {
      const row = thumbsRow(this.t, m.messageId, (score) => this.rate(m.messageId, score));
      this.thumbs.set(m.messageId, row);
      if (this.ratedThumbs.has(m.messageId)) markThumbs(row, this.ratedThumbs.get(m.messageId));
      li.append(row);
    }
    return li;
  }

  lastDrawn() {
    const items = this.list.querySelectorAll('[data-testid="message"]:not([data-pending])');
    return items[items.length - 1] ?? null;
  }

  /** Delivered messages go above our still-pending ones, which always sit at the bottom. */
  insert(li) {
    this.list.querySelector('.quick')?.remove();
    const firstPending = [...this.list.querySelectorAll('[data-pending]')].find((el) => el !== li) ?? null;
    // The satisfaction card stays below the resolved conversation's last messages.
    const card = this.csat?.el.isConnected && this.csat.conversationId === li.dataset.conversationId ? this.csat.el : null;
    this.list.insertBefore(li, firstPending ?? card);
  }

  /** `resend`: the send frame, kept so a failed bubble can offer "다시 보내기" with the same words. */
  drawPending(text, clientMsgId, resend = null) {
    if (resend) this.resends.set(clientMsgId, resend);
    const li = this.messageEl({ text, ts: new Date().toISOString(), from: { kind: 'visitor' } }, 'visitor');
    li.dataset.pending = '';
    li.setAttribute('aria-label', this.t('widget.pending'));
    li.setAttribute('data-i18n-aria-label', 'widget.pending');
    this.byClientMsgId.set(clientMsgId, li);
    this.list.querySelector('.quick')?.remove();
    this.list.append(li);
    scrollToBottom(this.list);
  }

  /**
   * The bubble says why it was not sent, in words true for a message (a `conflict` here means its
   * chat had ended), and offers "다시 보내기" unless the same words would fail again (too long, bad,
   * wrong image). `retry` redoes it; a text send without one is sent again from its stored frame.
   */
  markFailed(clientMsgId, li, code, retry = null) {
    delete li.dataset.pending;
    li.dataset.failed = '';
    const reason = code === 'conflict' ? 'widget.failed.conflict'
      : ['too_large', 'bad_request', 'not_found', 'forbidden', 'unsupported_type', 'image_too_large'].includes(code)
        ? `error.${code}`
        : 'widget.failed';
    li.removeAttribute('aria-label');
    li.removeAttribute('data-i18n-aria-label');
    li.querySelector('.note')?.remove();
    const note = h('div', { class: 'note', role: 'alert', testid: 'failed-reason', dataset: { code: code ?? 'failed' } },
      h('span', tx(this.t, reason)));
    const frame = this.resends.get(clientMsgId);
    this.resends.delete(clientMsgId);
    const again = retry ?? (frame ? () => this.sendText(frame.text, frame.faqId ?? null, { handoff: Boolean(frame.handoff) }) : null);
    if (again && !['too_large', 'bad_request', 'unsupported_type', 'image_too_large'].includes(code)) {
      note.append(' ', h('button', {
        class: 'retry', type: 'button', testid: 'retry', ...tx(this.t, 'widget.retry'),
        onclick: () => {
          if (this.byClientMsgId.get(clientMsgId) === li) this.byClientMsgId.delete(clientMsgId);
          li.remove();
          again();
        },
      }));
    }
    li.append(note);
  }

  // ---- visitor actions ----------------------------------------------------------------------

  /** Which conversation a send goes to: null starts (or finds) the visitor's open one. */
  sendTarget() {
    return this.conversationId && this.convState !== 'resolved' && this.convState !== 'none'
      ? this.conversationId
      : null;
  }

  submit() {
    const text = this.input.value.trim();
    if (!text) return;
    this.input.value = '';
    autoGrow(this.input);
    this.stopTyping();
    this.sendText(text);
    this.input.focus();
  }

  sendText(text, faqId = null, { handoff = false } = {}) {
    const promise = this.client.send({ text, conversationId: this.sendTarget(), faqId, handoff });
    promise.catch(() => {}); // failures are drawn from the 'error' event (also covers restored sends)
    this.drawPending(text, promise.clientMsgId, { text, faqId, handoff });
    return promise.clientMsgId;
  }

  /** The chosen image goes up over HTTP; its message comes back over the socket like any other. */
  uploadFile(chosen = null) {
    const file = chosen ?? this.fileInput.files?.[0];
    this.fileInput.value = '';
    if (!file) return;
    const retry = () => this.uploadFile(file);
    const clientMsgId = `img-${Math.random().toString(36).slice(2, 12)}`;
    this.drawPending(this.t('widget.uploading'), clientMsgId);
    const li = this.byClientMsgId.get(clientMsgId);
    const token = this.store.get('visitorToken');
    if (file.size > MAX_IMAGE_BYTES || !token) {
      this.markFailed(clientMsgId, li, file.size > MAX_IMAGE_BYTES ? 'image_too_large' : 'failed');
      return;
    }
    const url = new URL('api/attachments', this.base);
    url.searchParams.set('clientMsgId', clientMsgId);
    const target = this.sendTarget();
    if (target) url.searchParams.set('conversationId', target);
    fetch(url.href, { method: 'POST', body: file, headers: { Authorization: `Bearer ${token}` }, credentials: 'omit' })
      .then((res) => res.json().then((body) => ({ ok: res.ok, body })))
      .then(({ ok, body }) => {
        if (ok) this.onAck({ ...body, clientMsgId });
        else if (this.byClientMsgId.get(clientMsgId) === li) this.markFailed(clientMsgId, li, body?.code, retry);
      })
      .catch(() => this.markFailed(clientMsgId, li, 'failed', retry));
  }

  handoff() {
    if (wantsOfflineForm(this.settings) && this.convState !== 'queued' && this.convState !== 'assigned') {
      this.showOfflineForm();
      return;
    }
    if (this.conversationId && this.convState === 'bot' && this.client.handoff(this.conversationId)) return;
    // No conversation yet (or offline): say it in words. The server hands off on this text and,
    // unlike a bare frame, a send survives reconnects in the outbox.
    this.sendText(this.t('widget.handoffText'));
  }

  noteTyping() {
    const id = this.conversationId;
    // Only a person reads typing indicators; the bot does not care.
    if (!id || (this.convState !== 'queued' && this.convState !== 'assigned')) return;
    const now = Date.now();
    if (!this.typingOn || now - this.typingSentAt > TYPING_REFRESH_MS) {
      if (this.client.typing(id, true)) {
        this.typingOn = true;
        this.typingSentAt = now;
      }
    }
    clearTimeout(this.typingIdleTimer);
    this.typingIdleTimer = setTimeout(() => this.stopTyping(), TYPING_IDLE_MS);
  }

  stopTyping() {
    clearTimeout(this.typingIdleTimer);
    if (this.typingOn && this.conversationId) this.client.typing(this.conversationId, false);
    this.typingOn = false;
  }

  /** Tell the agent what we have seen, at most once per READ_DELAY_MS (a burst earns one frame). */
  markRead() {
    if (this.readTimer != null) return;
    this.readTimer = setTimeout(() => {
      this.readTimer = null;
      this.sendRead();
    }, READ_DELAY_MS);
  }

  /** Only when the panel is open and the page is visible. */
  sendRead() {
    if (!this.isOpen || document.visibilityState !== 'visible' || !this.conversationId) return;
    const seq = this.client.lastSeq(this.conversationId);
    if (seq > this.lastReadSent && this.client.read(this.conversationId, seq)) this.lastReadSent = seq;
  }
}
