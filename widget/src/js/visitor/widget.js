// The visitor chat widget. Loaded by /widget.js, which calls mount({site, base, locale}).
// Everything lives in an open shadow root on <div id="sodam-widget">; every piece of text from
// visitors, agents, the bot or the FAQ is inserted as text (see ../dom.js), never as HTML.

import { SodamClient, visitorHello } from '../protocol/client.js';
import { pickLocale, translator, queueStatusText } from '../i18n.js';
import { h, icon, formatTime, isNearBottom, scrollToBottom, isSendKey, autoGrow, prefixedStorage } from '../dom.js';
import { WIDGET_CSS } from './styles.js';

const TYPING_REFRESH_MS = 3000; // re-announce "typing" at most this often
const TYPING_IDLE_MS = 4000; // after this long without keystrokes we say "stopped typing"
const REMOTE_TYPING_TIMEOUT_MS = 8000; // hide the agent's indicator if its "off" got lost

/** ws(s)://host/…/ws?site=<site>, next to the script that loaded us. */
export function wsUrlFor(base, site) {
  const url = new URL('ws', base);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.search = `?site=${encodeURIComponent(site)}`;
  url.hash = '';
  return url.href;
}

let mounted = null;

export function mount({ site, base, locale, WebSocketImpl } = {}) {
  if (mounted) return mounted;
  mounted = new VisitorWidget({
    site: site || 'demo',
    base: base || new URL('/', location.href).href,
    locale: pickLocale(document, locale),
    WebSocketImpl,
  });
  return mounted;
}

class VisitorWidget {
  constructor({ site, base, locale, WebSocketImpl }) {
    this.site = site;
    this.locale = locale;
    this.t = translator(locale);
    this.store = prefixedStorage(globalThis.localStorage, `sodam:${site}:`);
    this.session = prefixedStorage(globalThis.sessionStorage, `sodam:${site}:`);

    this.conversationId = this.store.get('conversationId');
    this.convState = 'none'; // none | bot | queued | assigned | resolved
    this.isOpen = false;
    this.unread = 0;
    this.historySeq = Infinity; // messages up to this seq were there before the page loaded
    this.lastReadSent = 0;
    this.byKey = new Map(); // `${conversationId}:${seq}` → <li>, so a message is never drawn twice
    this.byClientMsgId = new Map(); // our own sends until their message frame arrives

    this.buildDom();
    this.client = new SodamClient({
      url: wsUrlFor(base, site),
      hello: () => this.hello(),
      WebSocketImpl: WebSocketImpl ?? globalThis.WebSocket,
      storage: this.store, // outbox persisted as sodam:<site>:outbox
    });
    this.bindClient();
    for (const frame of this.client.pending()) this.drawPending(frame.text, frame.clientMsgId);
    if (this.session.get('open') === '1') this.open({ focus: false });
    this.client.connect();
    // A laptop waking up or a phone regaining signal should not wait out the backoff.
    globalThis.addEventListener('online', () => {
      if (this.client.state !== 'open') this.client.reconnect();
    });
    document.addEventListener('visibilitychange', () => this.markRead());
  }

  /**
   * Called for every connection. After a page load lastSeq is 0, so the whole history is
   * replayed once; reconnects within the page resume from the last seq on screen.
   */
  hello() {
    const id = this.conversationId;
    return visitorHello({
      site: this.site,
      visitorToken: this.store.get('visitorToken'),
      locale: this.locale,
      resume: id ? { conversationId: id, lastSeq: this.client.lastSeq(id) } : null,
    });
  }

  // ---- DOM ----------------------------------------------------------------------------------

  buildDom() {
    const t = this.t;
    this.host = h('div', { id: 'sodam-widget' });
    const shadow = this.host.attachShadow({ mode: 'open' });

    this.badge = h('span', { class: 'badge', hidden: true, 'aria-hidden': 'true' });
    this.launcher = h('button', {
      class: 'launcher', type: 'button', testid: 'launcher',
      'aria-label': t('widget.open'), 'aria-expanded': 'false', 'aria-controls': 'sodam-panel',
      onclick: () => (this.isOpen ? this.close() : this.open()),
    }, icon('chat', 26), this.badge);

    this.agentName = h('p', { class: 'agent', testid: 'agent-name', 'data-subtitle': t('widget.subtitle') });
    this.handoffButton = h('button', {
      class: 'handoff', type: 'button', testid: 'handoff', 'aria-label': t('widget.handoffLabel'),
      onclick: () => this.handoff(),
    }, t('widget.handoff'));
    const header = h('header', { class: 'header' },
      h('div', { class: 'avatar', 'aria-hidden': 'true' }, icon('person')),
      h('div', { class: 'titles' }, h('h2', { class: 'title', id: 'sodam-title' }, t('widget.title')), this.agentName),
      this.handoffButton,
      h('button', {
        class: 'icon-btn', type: 'button', 'aria-label': t('widget.close'), onclick: () => this.close(),
      }, icon('close')));

    this.banner = h('div', { class: 'banner', role: 'status', hidden: true });
    this.list = h('ol', {
      class: 'messages', testid: 'messages', role: 'log', 'aria-live': 'polite',
      'aria-label': t('widget.messages'), tabindex: '0',
    }, h('li', { class: 'intro' }, t('widget.greeting')));
    this.typingText = h('span');
    this.typingEl = h('div', { class: 'typing', testid: 'typing', hidden: true, 'aria-live': 'polite' },
      h('span', { class: 'dots', 'aria-hidden': 'true' }, h('i'), h('i'), h('i')), this.typingText);
    this.statusEl = h('div', { class: 'status', testid: 'status', role: 'status' });

    this.input = h('textarea', {
      testid: 'input', rows: '1', maxlength: '4000',
      placeholder: t('widget.placeholder'), 'aria-label': t('widget.inputLabel'),
      onkeydown: (e) => {
        if (isSendKey(e)) { e.preventDefault(); this.submit(); }
      },
      oninput: () => { autoGrow(this.input); this.noteTyping(); },
    });
    const form = h('form', {
      class: 'composer', onsubmit: (e) => { e.preventDefault(); this.submit(); },
    }, this.input, h('button', {
      class: 'send', type: 'submit', testid: 'send', 'aria-label': t('widget.send'),
    }, icon('send', 18)));

    this.panel = h('section', {
      class: 'panel', id: 'sodam-panel', testid: 'panel', role: 'dialog', 'aria-labelledby': 'sodam-title',
      hidden: true,
      onkeydown: (e) => { if (e.key === 'Escape') this.close(); },
    }, header, this.banner, this.list, this.typingEl, this.statusEl, form);

    this.root = h('div', { class: 'root', lang: this.locale, dataset: { state: 'none' } }, this.panel, this.launcher);
    shadow.append(h('style', { text: WIDGET_CSS }), this.root);
    document.body.append(this.host);
  }

  open({ focus = true } = {}) {
    this.isOpen = true;
    this.panel.hidden = false;
    this.root.dataset.open = '';
    this.launcher.setAttribute('aria-expanded', 'true');
    this.launcher.setAttribute('aria-label', this.t('widget.close'));
    this.session.set('open', '1');
    this.setUnread(0);
    scrollToBottom(this.list);
    if (focus) this.input.focus();
    this.markRead();
  }

  close() {
    const hadFocus = this.host.shadowRoot.activeElement != null;
    this.isOpen = false;
    this.panel.hidden = true;
    delete this.root.dataset.open;
    this.launcher.setAttribute('aria-expanded', 'false');
    this.launcher.setAttribute('aria-label', this.t('widget.open'));
    this.session.remove('open');
    if (hadFocus) this.launcher.focus(); // keep keyboard users where they were
  }

  setUnread(n) {
    this.unread = n;
    this.badge.hidden = n === 0;
    this.badge.textContent = n > 9 ? '9+' : String(n);
    this.launcher.setAttribute('aria-label',
      n > 0 ? `${this.t('widget.open')} (${this.t('widget.unread', { n })})` : this.t(this.isOpen ? 'widget.close' : 'widget.open'));
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
  }

  showConnection(state) {
    if (state === 'open') {
      this.banner.hidden = true;
      return;
    }
    this.banner.textContent = this.t(this.everOpen ? 'widget.reconnecting' : 'widget.connecting');
    this.banner.hidden = false;
    if (state === 'closed') this.hideRemoteTyping();
  }

  onWelcome(w) {
    this.everOpen = true;
    if (w.visitorToken) this.store.set('visitorToken', w.visitorToken);
    const conv = w.conversation;
    if (this.historySeq === Infinity) this.historySeq = conv?.lastSeq ?? 0;
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
    if (li) {
      // Our own pending bubble: keep the node, make it the real thing.
      this.byClientMsgId.delete(m.clientMsgId);
      delete li.dataset.pending;
      delete li.dataset.failed;
      li.querySelector('.note')?.remove();
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

    if (kind !== 'visitor' && m.seq > this.historySeq) {
      if (!this.isOpen) this.setUnread(this.unread + 1);
    }
    this.markRead();
  }

  applyStatus({ state, queuePosition, etaSeconds, agent }) {
    this.convState = state;
    this.root.dataset.state = state;
    this.handoffButton.hidden = state === 'queued' || state === 'assigned';
    this.agentName.textContent = state === 'assigned' && agent?.name ? agent.name : '';
    let text = '';
    if (state === 'queued') text = queueStatusText(this.t, { queuePosition, etaSeconds });
    else if (state === 'assigned') text = agent?.name ? this.t('widget.assigned', { name: agent.name }) : '';
    else if (state === 'resolved') text = this.t('widget.resolved');
    this.statusEl.textContent = text;
    if (state !== 'assigned') this.hideRemoteTyping();
  }

  onRemoteTyping(f) {
    if (f.conversationId !== this.conversationId || f.from?.kind !== 'agent') return;
    clearTimeout(this.remoteTypingTimer);
    if (!f.on) return this.hideRemoteTyping();
    this.typingText.textContent = f.from.name
      ? this.t('widget.typing', { name: f.from.name })
      : this.t('widget.typingAnon');
    const follow = isNearBottom(this.list);
    this.typingEl.hidden = false;
    if (follow) scrollToBottom(this.list);
    this.remoteTypingTimer = setTimeout(() => this.hideRemoteTyping(), REMOTE_TYPING_TIMEOUT_MS);
    return undefined;
  }

  hideRemoteTyping() {
    clearTimeout(this.remoteTypingTimer);
    this.typingEl.hidden = true;
  }

  // ---- rendering ----------------------------------------------------------------------------

  messageEl(m, kind) {
    const li = h('li', { class: `msg msg--${kind}`, testid: 'message', dataset: { kind } });
    const prev = this.lastDrawn();
    const sender = m.from?.name;
    // Name above the bubble only where the speaker changes, like every chat app.
    if ((kind === 'bot' || kind === 'agent') && sender && prev?.dataset.from !== `${kind}:${m.from.id}`) {
      li.append(h('div', { class: 'sender' }, sender));
    }
    li.dataset.from = `${kind}:${m.from?.id ?? ''}`;
    li.append(h('div', { class: 'bubble' }, h('span', { class: 'text', testid: 'text' }, m.text ?? '')));

    const chips = [];
    for (const s of m.suggestions ?? []) {
      chips.push(h('button', {
        class: 'chip', type: 'button', testid: 'suggestion',
        onclick: () => this.sendText(s.question, s.faqId),
      }, s.question));
    }
    for (const a of m.actions ?? []) {
      if (a.id !== 'handoff') continue; // the only action protocol v1 defines
      chips.push(h('button', {
        class: 'chip chip--action', type: 'button', testid: 'action-handoff',
        onclick: () => this.handoff(),
      }, a.label || this.t('widget.handoff')));
    }
    if (chips.length) {
      li.append(h('div', { class: 'chips', role: 'group', 'aria-label': this.t('widget.suggestions') }, chips));
    }
    if (kind !== 'system') li.append(h('time', { class: 'meta', datetime: m.ts }, formatTime(m.ts)));
    return li;
  }

  lastDrawn() {
    const items = this.list.querySelectorAll('[data-testid="message"]:not([data-pending])');
    return items[items.length - 1] ?? null;
  }

  /** Delivered messages go above our still-pending ones, which always sit at the bottom. */
  insert(li) {
    const firstPending = [...this.list.querySelectorAll('[data-pending]')].find((el) => el !== li) ?? null;
    this.list.insertBefore(li, firstPending);
  }

  drawPending(text, clientMsgId) {
    const li = this.messageEl({ text, ts: new Date().toISOString(), from: { kind: 'visitor' } }, 'visitor');
    li.dataset.pending = '';
    li.setAttribute('aria-label', this.t('widget.pending'));
    this.byClientMsgId.set(clientMsgId, li);
    this.list.append(li);
    scrollToBottom(this.list);
  }

  markFailed(clientMsgId, li, code) {
    delete li.dataset.pending;
    li.dataset.failed = '';
    const reason = ['too_large', 'bad_request', 'not_found', 'forbidden', 'conflict'].includes(code)
      ? this.t(`error.${code}`)
      : this.t('widget.failed');
    li.querySelector('.note')?.remove();
    li.append(h('div', { class: 'note', role: 'alert' }, reason));
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

  sendText(text, faqId = null) {
    const promise = this.client.send({ text, conversationId: this.sendTarget(), faqId });
    promise.catch(() => {}); // failures are drawn from the 'error' event (also covers restored sends)
    this.drawPending(text, promise.clientMsgId);
  }

  handoff() {
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

  /** Tell the agent what we have seen: only when the panel is open and the page is visible. */
  markRead() {
    if (!this.isOpen || document.visibilityState !== 'visible' || !this.conversationId) return;
    const seq = this.client.lastSeq(this.conversationId);
    if (seq > this.lastReadSent && this.client.read(this.conversationId, seq)) this.lastReadSent = seq;
  }
}
