// Sodam agent console. One page, served by the Sodam server at /console.
// Data from visitors and agents is rendered with textContent only (see /js/dom.js).

import { SodamClient, agentHello } from '/js/protocol/client.js';
import { pickLocale, translator, formatWaiting } from '/js/i18n.js';
import { h, icon, formatTime, isNearBottom, scrollToBottom, isSendKey, autoGrow, prefixedStorage } from '/js/dom.js';
import { RoutingState, secondsLeft, formatLoad, withdrawnKey, visitorLabel } from './routing.js';

const locale = pickLocale(document);
const t = translator(locale);
const TOKEN_KEY = 'sodam:console:token';
const USER_KEY = 'sodam:console:user';
const PREVIEW_MAX = 120;
const TYPING_REFRESH_MS = 3000;
const TYPING_IDLE_MS = 4000;
const REMOTE_TYPING_TIMEOUT_MS = 8000;
const TITLE = t('console.title');
/** A refless `conflict` this soon after our `accept` is that accept's answer (limit reached, or taken). */
const ACCEPT_CONFLICT_WINDOW_MS = 10000;
const OFFER_URGENT_SECONDS = 10;
/** User gestures that may ask for the Notification permission (never asked at page load). */
const GESTURES = ['click', 'keydown'];

const $ = (selector) => document.querySelector(selector);
const ui = {
  loginView: $('#login-view'),
  loginForm: $('#login-form'),
  email: $('[data-testid="login-email"]'),
  password: $('[data-testid="login-password"]'),
  loginError: $('[data-testid="login-error"]'),
  loginSubmit: $('[data-testid="login-submit"]'),
  appView: $('#app-view'),
  connection: $('#connection'),
  agentName: $('[data-testid="agent-name"]'),
  logout: $('#logout'),
  queue: $('[data-testid="queue"]'),
  queueCount: $('#queue-count'),
  mine: $('[data-testid="mine"]'),
  tabs: $('#tabs'),
  chatSlot: $('#chat-slot'),
  toast: $('#toast'),
  presenceSelect: $('[data-testid="presence-select"]'),
  load: $('[data-testid="load"]'),
  offersGroup: $('#offers-group'),
  offers: $('#offers'),
  alerts: $('#alerts'),
  agentsGroup: $('#agents-group'),
  agents: $('[data-testid="agents"]'),
};

/** Everything the page knows; reset on logout. */
let S = freshState();

function freshState() {
  return {
    me: null,
    client: null,
    convs: new Map(), // id → conversation object (protocol.md "conversation")
    messages: new Map(), // id → Map(seq → message frame)
    historyUntil: new Map(), // id → lastSeq when we first saw it: older messages are not "unread"
    pendingOut: new Map(), // clientMsgId → {conversationId, text, failed}
    tabs: [], // open conversation ids, in tab order
    active: null,
    unread: new Map(), // id → count of visitor messages not seen in the open tab
    drafts: new Map(),
    unseenQueue: new Set(), // queued conversations that arrived while nobody was looking
    visitorTyping: new Map(), // id → {name, timer}
    typingOn: null, // {id, at} while we announce typing
    typingIdle: null,
    lastReadSent: new Map(),
    routing: new RoutingState(null), // offers, presence, alerts (./routing.js)
    notifications: new Map(), // conversationId → desktop Notification of its offer
    lastAcceptAt: 0,
  };
}

// ---- boot -----------------------------------------------------------------------------------

function applyStaticLabels() {
  document.documentElement.lang = locale;
  document.title = TITLE;
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset.i18nLabel));
  for (const el of document.querySelectorAll('[data-i18n-empty]')) el.dataset.empty = t(el.dataset.i18nEmpty);
}

function boot() {
  applyStaticLabels();
  ui.loginForm.addEventListener('submit', onLoginSubmit);
  ui.logout.addEventListener('click', () => logout());
  // The WebAudio context may only start after a user gesture; create it on the first one.
  for (const type of ['pointerdown', 'keydown']) document.addEventListener(type, unlockAudio, { once: true });
  window.addEventListener('focus', markQueueSeen);
  document.addEventListener('visibilitychange', () => {
    markQueueSeen();
    if (S.active) markRead(S.active);
  });
  setInterval(() => { if (S.client) renderLists(); }, 30000); // waiting times tick
  setInterval(tickOffers, 500); // offer countdowns (half a second keeps them within one of the truth)
  ui.presenceSelect.addEventListener('change', onPresenceChange);
  for (const type of GESTURES) document.addEventListener(type, askNotificationPermission);

  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) startApp(token, readUser());
  else showLogin();
}

function readUser() {
  try { return JSON.parse(sessionStorage.getItem(USER_KEY) || 'null'); } catch { return null; }
}

// ---- login ----------------------------------------------------------------------------------

function showLogin(message = '') {
  ui.appView.hidden = true;
  ui.loginView.hidden = false;
  ui.loginError.textContent = message;
  ui.loginError.hidden = !message;
  ui.loginSubmit.disabled = false;
  (ui.email.value ? ui.password : ui.email).focus();
}

async function onLoginSubmit(event) {
  event.preventDefault();
  const email = ui.email.value.trim();
  const password = ui.password.value;
  ui.loginError.hidden = true;
  ui.loginSubmit.disabled = true;
  let res;
  let body = null;
  try {
    res = await fetch('/api/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    body = await res.json().catch(() => null);
  } catch {
    return showLogin(t('console.login.network'));
  }
  if (res.ok && body?.token) {
    sessionStorage.setItem(TOKEN_KEY, body.token);
    sessionStorage.setItem(USER_KEY, JSON.stringify(body.user ?? null));
    ui.password.value = '';
    return startApp(body.token, body.user);
  }
  // 401 has a known meaning, so say it in the console's language; otherwise show the server's words.
  const message = res.status === 401 ? t('console.login.failed') : body?.message || t('error.generic');
  return showLogin(message);
}

function logout(message = '') {
  S.client?.close();
  for (const v of S.visitorTyping.values()) clearTimeout(v.timer);
  clearTimeout(S.typingIdle);
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(USER_KEY);
  sessionStorage.removeItem('sodam:console:outbox'); // unsent replies belong to the old session
  for (const n of S.notifications.values()) closeQuietly(n);
  S = freshState();
  renderRouting();
  ui.queue.replaceChildren();
  ui.mine.replaceChildren();
  ui.tabs.replaceChildren();
  renderChat();
  updateTitle();
  showLogin(message);
}

// ---- connection -----------------------------------------------------------------------------

function startApp(token, user) {
  ui.loginView.hidden = true;
  ui.appView.hidden = false;
  ui.agentName.textContent = user?.name ?? '';
  const wsUrl = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws`;
  const client = new SodamClient({
    url: wsUrl,
    hello: () => agentHello(token),
    storage: prefixedStorage(sessionStorage, 'sodam:console:'),
  });
  S.client = client;
  S.routing.setMe(user ?? null); // presence frames may arrive before the welcome
  for (const f of client.pending()) S.pendingOut.set(f.clientMsgId, { conversationId: f.conversationId, text: f.text });
  client.on('state', renderConnection);
  client.on('welcome', onWelcome);
  client.on('conversation', (f) => upsertConversation(f.conversation));
  client.on('status', onStatus);
  client.on('message', onMessage);
  client.on('typing', onTyping);
  client.on('error', onError);
  client.on('offer', onOffer);
  client.on('offer_withdrawn', onOfferWithdrawn);
  client.on('presence', onPresence);
  client.on('alert', onAlert);
  client.connect();
  renderChat();
}

function renderConnection(state) {
  ui.connection.textContent = t(`console.connection.${state}`);
  ui.connection.dataset.state = state;
  ui.presenceSelect.disabled = state !== 'open'; // a presence frame only counts once welcomed
}

function onWelcome(w) {
  S.me = w.agent;
  S.routing.setMe(w.agent);
  ui.agentName.textContent = w.agent?.name ?? '';
  // The welcome list (queue + mine) is authoritative; keep others only while a tab shows them.
  const listed = new Set();
  for (const c of w.conversations ?? []) {
    listed.add(c.id);
    upsertConversation(c, { quiet: true });
  }
  for (const id of [...S.convs.keys()]) if (!listed.has(id) && !S.tabs.includes(id)) S.convs.delete(id);
  // Alerts are about queued conversations; the welcome lists the whole queue.
  for (const id of [...S.routing.alerts.keys()]) {
    if (S.convs.get(id)?.state !== 'queued') S.routing.dismissAlert(id);
  }
  renderAll();
}

function onError(e) {
  if (e.code === 'unauthorized') return logout(t('console.login.expired'));
  const pending = e.ref ? S.pendingOut.get(e.ref) : null;
  if (e.code === 'rate_limited' || e.code === 'internal') return undefined; // the client retries
  if (e.code === 'conflict' && !pending && e.message) {
    // accept beyond the limit, or already taken: the server's own words say which.
    const key = Date.now() - S.lastAcceptAt < ACCEPT_CONFLICT_WINDOW_MS ? 'console.acceptConflict' : 'console.conflict';
    return toast(t(key, { message: e.message }));
  }
  if (pending) {
    pending.failed = e.code;
    if (pending.conversationId === S.active) renderChat();
  }
  // Refless not_found comes from a stale sync/typing/read and says nothing the agent can act on.
  if (e.code === 'not_found' && !pending) return undefined;
  return toast(t(`error.${e.code}`) === `error.${e.code}` ? t('error.generic') : t(`error.${e.code}`));
}

// ---- conversations --------------------------------------------------------------------------

function upsertConversation(c, { quiet = false } = {}) {
  if (!c?.id) return;
  const prev = S.convs.get(c.id);
  S.convs.set(c.id, { ...prev, ...c });
  if (!S.historyUntil.has(c.id)) S.historyUntil.set(c.id, c.lastSeq ?? 0);
  if (c.state === 'queued' && prev?.state !== 'queued') {
    if (!pageAttended()) S.unseenQueue.add(c.id);
    if (!quiet || !prev) beep();
  }
  if (c.state !== 'queued') S.unseenQueue.delete(c.id);
  const merged = S.convs.get(c.id);
  // Out of the queue: its offer or "unplaced" alert is moot.
  if (S.routing.conversationChanged(merged)) {
    closeNotification(c.id);
    if (!quiet) renderRouting();
  }
  // Taken by someone else or over: keep the tab readable, but stop re-syncing it on reconnect
  // (the server would answer forbidden).
  if (merged.state === 'resolved' || (merged.state === 'assigned' && !isMine(merged))) S.client?.unwatch(c.id);
  if (quiet) return;
  renderLists();
  renderTabs();
  updateTitle();
  // Rebuild the chat only when its own header changed, so a busy queue never disturbs typing.
  if (c.id === S.active) renderChat();
}

function onStatus(s) {
  const prev = S.convs.get(s.conversationId);
  if (!prev) return;
  const next = { ...prev, state: s.state };
  if (s.state === 'queued') next.queuePosition = s.queuePosition;
  else delete next.queuePosition;
  if (s.agent) next.agent = s.agent;
  upsertConversation(next);
  if (s.state === 'assigned' && s.agent?.id === S.me?.id) openTab(s.conversationId, { focus: false });
}

function isMine(c) {
  return c.state === 'assigned' && c.agent?.id != null && c.agent.id === S.me?.id;
}

function queued() {
  return [...S.convs.values()]
    .filter((c) => c.state === 'queued')
    .sort((a, b) => (a.waitingSince ?? '').localeCompare(b.waitingSince ?? '') || (a.queuePosition ?? 0) - (b.queuePosition ?? 0));
}

function mine() {
  return [...S.convs.values()].filter(isMine);
}

function visitorName(c) {
  return c?.visitor?.name || c?.visitor?.id || c?.id || '';
}

// ---- messages -------------------------------------------------------------------------------

function onMessage(m) {
  if (!S.messages.has(m.conversationId)) S.messages.set(m.conversationId, new Map());
  S.messages.get(m.conversationId).set(m.seq, m);
  if (m.clientMsgId) S.pendingOut.delete(m.clientMsgId);
  const conv = S.convs.get(m.conversationId);
  if (conv) conv.preview = (m.text ?? '').slice(0, PREVIEW_MAX);
  const kind = m.from?.kind;
  if (kind === 'visitor') clearVisitorTyping(m.conversationId);

  const isNew = m.seq > (S.historyUntil.get(m.conversationId) ?? 0);
  const viewing = m.conversationId === S.active && pageAttended();
  if (isNew && kind === 'visitor' && !viewing && (S.tabs.includes(m.conversationId) || (conv && isMine(conv)))) {
    S.unread.set(m.conversationId, (S.unread.get(m.conversationId) ?? 0) + 1);
    renderTabs();
  }
  if (m.conversationId === S.active) {
    appendMessage(m);
    markRead(m.conversationId);
  }
  renderLists();
}

function onTyping(f) {
  if (f.from?.kind !== 'visitor') return;
  clearVisitorTyping(f.conversationId);
  if (f.on) {
    const timer = setTimeout(() => clearVisitorTyping(f.conversationId), REMOTE_TYPING_TIMEOUT_MS);
    S.visitorTyping.set(f.conversationId, { name: f.from.name, timer });
  }
  if (f.conversationId === S.active) renderTyping();
}

function clearVisitorTyping(id) {
  const entry = S.visitorTyping.get(id);
  if (!entry) return;
  clearTimeout(entry.timer);
  S.visitorTyping.delete(id);
  if (id === S.active) renderTyping();
}

function markRead(id) {
  if (id !== S.active || !pageAttended() || !S.client) return;
  S.unread.delete(id);
  const seq = S.client.lastSeq(id);
  const conv = S.convs.get(id);
  if (conv && isMine(conv) && seq > (S.lastReadSent.get(id) ?? 0) && S.client.read(id, seq)) {
    S.lastReadSent.set(id, seq);
  }
}

// ---- actions --------------------------------------------------------------------------------

function accept(id) {
  openTab(id);
  S.lastAcceptAt = Date.now();
  if (!S.client.accept(id)) return toast(t('console.notConnected'));
  if (S.routing.drop(id)) {
    closeNotification(id);
    renderOffers();
    updateTitle();
  }
  return undefined;
}

function declineOffer(id) {
  if (!S.client.decline(id)) return toast(t('console.notConnected'));
  S.routing.drop(id);
  closeNotification(id);
  renderOffers();
  updateTitle();
  return undefined;
}

// ---- routing: offers, presence, alerts -------------------------------------------------------

function onOffer(f) {
  if (f.conversation?.id) upsertConversation(f.conversation, { quiet: true });
  const isNew = S.routing.offer(f);
  if (isNew) {
    beep();
    notifyOffer(f.conversationId);
  }
  renderOffers();
  renderLists();
  updateTitle();
}

function onOfferWithdrawn(f) {
  const offer = S.routing.withdraw(f);
  closeNotification(f.conversationId);
  if (!offer) return; // we accepted or declined it already
  const name = visitorLabel(S.convs.get(f.conversationId) ?? offer.conversation, f.conversationId);
  toast(t(withdrawnKey(f.reason), { name }));
  renderOffers();
  updateTitle();
}

function onPresence(f) {
  const who = S.routing.presence(f);
  if (who === 'self') renderPresence();
  else if (who === 'other') renderAgents();
}

function onAlert(f) {
  if (S.routing.alert(f)) beep();
  renderAlerts();
}

function onPresenceChange() {
  const status = ui.presenceSelect.value;
  // Until the server's presence frame confirms it, the select shows the agent's choice.
  if (!S.client?.presence(status)) {
    toast(t('console.notConnected'));
    renderPresence();
  }
}

function tickOffers() {
  if (S.routing.offers.size === 0) return;
  const gone = S.routing.prune();
  if (gone.length) {
    for (const id of gone) closeNotification(id);
    renderOffers();
    updateTitle();
    return;
  }
  for (const li of ui.offers.querySelectorAll('[data-testid="offer"]')) updateCountdown(li);
}

// ---- desktop notifications -------------------------------------------------------------------

let notificationAsked = false;

/** On the first gesture inside the app (never at page load): ask once, if the browser has not been told yet. */
function askNotificationPermission() {
  if (!S.client || notificationAsked) return;
  notificationAsked = true;
  for (const type of GESTURES) document.removeEventListener(type, askNotificationPermission);
  if (!('Notification' in window) || Notification.permission !== 'default') return;
  try {
    Notification.requestPermission()?.catch?.(() => {});
  } catch { /* old callback-only API or blocked: no notifications */ }
}

/** A desktop notification for an offer, when allowed and the agent is not looking at the page. */
function notifyOffer(id) {
  if (!('Notification' in window) || Notification.permission !== 'granted' || pageAttended()) return;
  const offer = S.routing.offers.get(id);
  const c = S.convs.get(id) ?? offer?.conversation;
  try {
    const n = new Notification(t('console.offer.notifyTitle'), {
      body: t('console.offer.notifyBody', { name: visitorLabel(c, id), preview: c?.preview ?? '' }),
      tag: `sodam-offer-${id}`,
    });
    n.onclick = () => {
      window.focus();
      n.close();
      ui.offers.querySelector(`[data-conversation-id="${CSS.escape(id)}"] [data-testid="offer-accept"]`)?.focus();
    };
    S.notifications.set(id, n);
  } catch { /* e.g. Chrome on Android only allows notifications from a service worker */ }
}

function closeNotification(id) {
  const n = S.notifications.get(id);
  if (!n) return;
  S.notifications.delete(id);
  closeQuietly(n);
}

function closeQuietly(n) {
  try { n.close(); } catch { /* already gone */ }
}

function resolveConversation(id) {
  S.client.resolve(id);
}

function sendReply(id, input) {
  const text = input.value.trim();
  if (!text) return;
  const conv = S.convs.get(id);
  if (!conv || !isMine(conv)) return;
  stopTyping();
  const promise = S.client.send({ text, conversationId: id });
  promise.catch(() => {}); // failures arrive as 'error' events and are drawn from there
  S.pendingOut.set(promise.clientMsgId, { conversationId: id, text });
  input.value = '';
  S.drafts.delete(id);
  autoGrow(input);
  renderChat();
}

function noteTyping(id) {
  const conv = S.convs.get(id);
  if (!conv || !isMine(conv)) return;
  const now = Date.now();
  if (S.typingOn?.id !== id || now - S.typingOn.at > TYPING_REFRESH_MS) {
    if (S.typingOn && S.typingOn.id !== id) stopTyping();
    if (S.client.typing(id, true)) S.typingOn = { id, at: now };
  }
  clearTimeout(S.typingIdle);
  S.typingIdle = setTimeout(stopTyping, TYPING_IDLE_MS);
}

function stopTyping() {
  clearTimeout(S.typingIdle);
  if (S.typingOn) S.client?.typing(S.typingOn.id, false);
  S.typingOn = null;
}

// ---- tabs -----------------------------------------------------------------------------------

function openTab(id, { focus = true } = {}) {
  if (!S.tabs.includes(id)) {
    S.tabs.push(id);
    S.client.watch(id); // full history now (sync afterSeq = what we have, 0 at first), and after reconnects
  }
  S.unseenQueue.delete(id);
  if (focus || !S.active) activate(id);
  else renderAll();
}

function activate(id) {
  if (S.active && S.active !== id) stopTyping();
  S.active = id;
  S.unread.delete(id);
  renderAll();
  markRead(id);
  ui.chatSlot.querySelector('[data-testid="reply-input"]:not([disabled])')?.focus();
}

function closeTab(id) {
  const index = S.tabs.indexOf(id);
  if (index < 0) return;
  S.tabs.splice(index, 1);
  S.client.unwatch(id);
  if (S.active === id) {
    stopTyping();
    S.active = S.tabs[Math.min(index, S.tabs.length - 1)] ?? null;
  }
  renderAll();
}

// ---- attention: sound and title badge --------------------------------------------------------

let audio = null;

function unlockAudio() {
  const AudioCtx = window.AudioContext || window.webkitAudioContext;
  if (!audio && AudioCtx) audio = new AudioCtx();
  audio?.resume?.();
}

/** Two short rising tones. Silent until the agent has interacted with the page (autoplay rules). */
function beep() {
  if (!audio || audio.state !== 'running') return;
  const start = audio.currentTime;
  [880, 1320].forEach((freq, i) => {
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    const at = start + i * 0.14;
    osc.type = 'sine';
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.18, at + 0.015);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.12);
    osc.connect(gain).connect(audio.destination);
    osc.start(at);
    osc.stop(at + 0.13);
  });
}

function pageAttended() {
  return document.visibilityState === 'visible' && document.hasFocus();
}

function markQueueSeen() {
  if (!pageAttended()) return;
  S.unseenQueue.clear();
  updateTitle();
}

function updateTitle() {
  // Pending offers always count: they expire, so they need the agent now.
  const n = new Set([...S.unseenQueue, ...S.routing.offers.keys()]).size;
  document.title = n > 0 ? `(${n}) ${TITLE}` : TITLE;
}

function toast(message) {
  ui.toast.textContent = message;
  ui.toast.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { ui.toast.hidden = true; }, 4000);
}

// ---- rendering ------------------------------------------------------------------------------

function renderAll() {
  renderRouting();
  renderLists();
  renderTabs();
  renderChat();
  updateTitle();
}

function renderLists() {
  const q = queued();
  ui.queueCount.textContent = q.length ? String(q.length) : '';
  ui.queue.replaceChildren(...q.map(queueItem));
  ui.mine.replaceChildren(...mine().map(mineItem));
}

function queueItem(c) {
  const name = visitorName(c);
  return h('li', {
    class: `item${c.id === S.active ? ' item--active' : ''}`, testid: 'queue-item',
    dataset: { conversationId: c.id },
  },
  h('button', { class: 'item-main', type: 'button', onclick: () => openTab(c.id) },
    h('span', { class: 'item-top' },
      h('span', { class: 'position' }, c.queuePosition ? t('console.position', { n: c.queuePosition }) : ''),
      h('span', { class: 'name' }, name),
      h('span', { class: 'locale' }, (c.locale ?? '').toUpperCase())),
    h('span', { class: 'preview' }, c.preview ?? ''),
    h('span', { class: 'waiting' }, c.waitingSince ? t('console.waiting', { t: formatWaiting(c.waitingSince, t) }) : '')),
  h('button', {
    class: 'btn btn--primary btn--small', type: 'button', testid: 'accept',
    'aria-label': t('console.acceptLabel', { name }),
    onclick: () => accept(c.id),
  }, t('console.accept')));
}

function mineItem(c) {
  const unread = S.unread.get(c.id) ?? 0;
  return h('li', {
    class: `item${c.id === S.active ? ' item--active' : ''}`, testid: 'mine-item',
    dataset: { conversationId: c.id },
  },
  h('button', { class: 'item-main', type: 'button', onclick: () => openTab(c.id) },
    h('span', { class: 'item-top' },
      h('span', { class: 'name' }, visitorName(c)),
      unread ? h('span', { class: 'badge', 'aria-label': t('console.unread', { n: unread }) }, String(unread)) : null),
    h('span', { class: 'preview' }, c.preview ?? '')));
}

function renderRouting() {
  renderPresence();
  renderOffers();
  renderAlerts();
  renderAgents();
}

function presenceLabel(status) {
  const key = `console.presence.${status}`;
  return t(key) === key ? String(status ?? '') : t(key);
}

function renderPresence() {
  const self = S.routing.self;
  ui.presenceSelect.value = S.routing.status;
  ui.presenceSelect.dataset.status = S.routing.status;
  ui.load.textContent = formatLoad(self?.load, self?.cap);
  if (ui.load.textContent) ui.load.title = t('console.loadLabel', { load: self.load, cap: self.cap });
  else ui.load.removeAttribute('title');
  if (self && self.load >= self.cap) ui.load.dataset.full = ''; // at the limit: no offers come
  else delete ui.load.dataset.full;
}

function renderOffers() {
  const offers = S.routing.sortedOffers();
  ui.offersGroup.hidden = offers.length === 0;
  ui.offers.replaceChildren(...offers.map(offerItem));
}

function offerItem(o) {
  const id = o.conversationId;
  const c = { ...o.conversation, ...S.convs.get(id) };
  const name = visitorLabel(c, id);
  const li = h('li', {
    class: 'offer', testid: 'offer', role: 'group', 'aria-label': t('console.offers'),
    dataset: { conversationId: id, expiresAt: o.expiresAt },
  },
  h('div', { class: 'item-top' },
    h('span', { class: 'name' }, name),
    h('span', { class: 'locale' }, (c.locale ?? '').toUpperCase()),
    h('span', { class: 'countdown', testid: 'offer-countdown' })),
  h('span', { class: 'preview' }, c.preview ?? ''),
  h('div', { class: 'offer-actions' },
    h('button', {
      class: 'btn btn--primary btn--small', type: 'button', testid: 'offer-accept',
      'aria-label': t('console.offer.acceptLabel', { name }), onclick: () => accept(id),
    }, t('console.offer.accept')),
    h('button', {
      class: 'btn btn--ghost btn--small', type: 'button', testid: 'offer-decline',
      'aria-label': t('console.offer.declineLabel', { name }), onclick: () => declineOffer(id),
    }, t('console.offer.decline'))));
  updateCountdown(li);
  return li;
}

function updateCountdown(li) {
  const left = secondsLeft(li.dataset.expiresAt);
  li.querySelector('[data-testid="offer-countdown"]').textContent = t('console.offer.countdown', { n: left });
  li.classList.toggle('offer--urgent', left <= OFFER_URGENT_SECONDS);
}

/** Keyed: a banner already shown is left alone, so screen readers announce only new ones. */
function renderAlerts() {
  const alerts = S.routing.alerts;
  for (const el of [...ui.alerts.children]) if (!alerts.has(el.dataset.conversationId)) el.remove();
  for (const [id, a] of alerts) {
    if (ui.alerts.querySelector(`[data-conversation-id="${CSS.escape(id)}"]`)) continue;
    const name = visitorLabel(S.convs.get(id), id);
    const key = `console.alert.${a.code}`;
    const text = t(key, { name });
    ui.alerts.append(h('div', {
      class: 'alert', testid: 'alert', dataset: { conversationId: id, code: a.code },
    },
    h('span', { class: 'alert-text' }, text === key ? name : text), // an unknown code: name + the server's words
    a.message ? h('span', { class: 'alert-detail' }, a.message) : null,
    h('span', { class: 'spacer' }),
    h('button', {
      class: 'btn btn--primary btn--small', type: 'button', testid: 'alert-accept',
      'aria-label': t('console.alert.acceptLabel', { name }), onclick: () => accept(id),
    }, t('console.alert.accept')),
    h('button', {
      class: 'btn btn--ghost btn--small', type: 'button', testid: 'alert-dismiss',
      onclick: () => { S.routing.dismissAlert(id); renderAlerts(); },
    }, t('console.alert.dismiss'))));
  }
  ui.alerts.hidden = alerts.size === 0;
}

function renderAgents() {
  ui.agentsGroup.hidden = !(S.routing.isAdmin || S.routing.agents.size > 0);
  ui.agents.replaceChildren(...S.routing.agentRows().map((a) => h('li', {
    class: 'agent-row', testid: 'agent-row', dataset: { agentId: a.id, status: a.status },
  },
  h('span', { class: 'dot', 'aria-hidden': 'true' }),
  h('span', { class: 'name' }, a.name),
  h('span', { class: 'agent-status', testid: 'agent-status' }, presenceLabel(a.status)),
  h('span', { class: 'agent-load', testid: 'agent-load', title: Number.isInteger(a.load) ? t('console.loadLabel', { load: a.load, cap: a.cap }) : null },
    formatLoad(a.load, a.cap)))));
}

function renderTabs() {
  ui.tabs.replaceChildren(...S.tabs.map((id) => {
    const c = S.convs.get(id);
    const name = visitorName(c) || id;
    const unread = S.unread.get(id) ?? 0;
    const selected = id === S.active;
    return h('div', {
      class: `tab${selected ? ' tab--active' : ''}`, testid: 'chat-tab', role: 'presentation',
      dataset: { conversationId: id, state: c?.state ?? '' },
      onclick: () => activate(id),
    },
    h('button', {
      class: 'tab-main', type: 'button', role: 'tab', id: `tab-${id}`,
      'aria-selected': selected ? 'true' : 'false', 'aria-controls': 'chat-panel',
    },
    h('span', { class: 'tab-name' }, name),
    unread ? h('span', { class: 'badge', testid: 'unread', 'aria-label': t('console.unread', { n: unread }) }, String(unread)) : null),
    h('button', {
      class: 'tab-close', type: 'button', 'aria-label': t('console.closeTab', { name }),
      onclick: (e) => { e.stopPropagation(); closeTab(id); },
    }, icon('close', 14)));
  }));
}

function renderChat() {
  const id = S.active;
  const previous = ui.chatSlot.querySelector('[data-testid="reply-input"]');
  if (previous && previous.dataset.conversationId) S.drafts.set(previous.dataset.conversationId, previous.value);
  if (!id || !S.client) {
    ui.chatSlot.replaceChildren(h('p', { class: 'placeholder' }, t('console.noChat')));
    return;
  }
  const c = S.convs.get(id) ?? { id, state: 'queued' };
  const name = visitorName(c) || id;
  const mineNow = isMine(c);
  const hadFocus = previous != null && document.activeElement === previous;
  const oldList = ui.chatSlot.querySelector('.messages');
  const follow = !oldList || oldList.dataset.conversationId !== id || isNearBottom(oldList);

  const actions = [];
  if (c.state === 'queued') {
    actions.push(h('button', {
      class: 'btn btn--primary', type: 'button', testid: 'chat-accept',
      'aria-label': t('console.acceptLabel', { name }), onclick: () => accept(id),
    }, t('console.accept')));
  }
  if (mineNow) {
    actions.push(h('button', {
      class: 'btn btn--ghost', type: 'button', testid: 'resolve',
      'aria-label': t('console.resolveLabel', { name }), onclick: () => resolveConversation(id),
    }, icon('check', 16), t('console.resolve')));
  }

  let notice = '';
  if (c.state === 'resolved') notice = t('console.resolvedNote');
  else if (c.state === 'assigned' && !mineNow) notice = t('console.takenByOther', { name: c.agent?.name ?? '' });
  else if (c.state !== 'assigned') notice = t('console.readOnly');

  const list = h('ol', {
    class: 'messages', role: 'log', 'aria-live': 'polite', tabindex: '0',
    dataset: { conversationId: id },
  });
  const stored = [...(S.messages.get(id)?.values() ?? [])].sort((a, b) => a.seq - b.seq);
  for (const m of stored) list.append(messageEl(m));
  for (const [clientMsgId, p] of S.pendingOut) {
    if (p.conversationId === id) list.append(pendingEl(clientMsgId, p));
  }

  const input = h('textarea', {
    class: 'reply-input', testid: 'reply-input', rows: '2', maxlength: '4000',
    placeholder: t('console.replyPlaceholder'), 'aria-label': t('console.replyLabel'),
    dataset: { conversationId: id }, disabled: !mineNow,
    onkeydown: (e) => { if (isSendKey(e)) { e.preventDefault(); sendReply(id, input); } },
    oninput: () => { autoGrow(input, 160); noteTyping(id); },
    onblur: () => stopTyping(),
  });
  input.value = S.drafts.get(id) ?? '';

  const panel = h('section', {
    class: 'chat', id: 'chat-panel', role: 'tabpanel', 'aria-labelledby': `tab-${id}`,
    testid: 'chat', dataset: { conversationId: id, state: c.state },
  },
  h('header', { class: 'chat-head' },
    h('div', { class: 'chat-title' },
      h('h2', {}, name),
      h('p', { class: 'chat-meta' },
        h('span', { class: `state state--${c.state}` }, t(`console.state.${c.state}`)),
        c.locale ? h('span', { class: 'locale' }, c.locale.toUpperCase()) : null)),
    h('div', { class: 'chat-actions' }, actions)),
  notice ? h('p', { class: 'notice', role: 'note' }, notice) : null,
  list,
  h('div', { class: 'typing', testid: 'visitor-typing', hidden: true, 'aria-live': 'polite' }),
  h('form', { class: 'reply', onsubmit: (e) => { e.preventDefault(); sendReply(id, input); } },
    input,
    h('button', {
      class: 'btn btn--primary', type: 'submit', testid: 'reply-send', disabled: !mineNow,
      'aria-label': t('console.send'),
    }, icon('send', 16), t('console.send'))));

  ui.chatSlot.replaceChildren(panel);
  renderTyping();
  if (follow) scrollToBottom(list);
  else list.scrollTop = oldList.scrollTop;
  if (hadFocus && !input.disabled) input.focus();
}

function appendMessage(m) {
  const list = ui.chatSlot.querySelector('.messages');
  if (!list || list.dataset.conversationId !== m.conversationId) return;
  const follow = isNearBottom(list) || m.from?.kind === 'agent';
  if (m.clientMsgId) list.querySelector(`[data-client-msg-id="${CSS.escape(m.clientMsgId)}"]`)?.remove();
  if (list.querySelector(`[data-seq="${m.seq}"]`)) return;
  const el = messageEl(m);
  // Keep seq order; pending replies stay at the bottom.
  const after = [...list.children].find((li) => li.dataset.pending != null || Number(li.dataset.seq) > m.seq);
  list.insertBefore(el, after ?? null);
  if (follow) scrollToBottom(list);
}

function messageEl(m) {
  const kind = m.from?.kind ?? 'system';
  return h('li', {
    class: `msg msg--${kind}`, testid: 'message', dataset: { seq: String(m.seq), kind },
  },
  kind === 'system' ? null : h('span', { class: 'sender' }, m.from?.name ?? ''),
  h('div', { class: 'bubble' }, h('span', { class: 'text', testid: 'text' }, m.text ?? '')),
  (m.suggestions?.length)
    ? h('div', { class: 'chips' }, m.suggestions.map((s) => h('span', { class: 'chip' }, s.question)))
    : null,
  kind === 'system' ? null : h('time', { class: 'meta', datetime: m.ts }, formatTime(m.ts)));
}

function pendingEl(clientMsgId, p) {
  return h('li', {
    class: 'msg msg--agent', testid: 'message',
    dataset: { kind: 'agent', pending: p.failed ? null : '', failed: p.failed ? '' : null, clientMsgId },
  },
  h('div', { class: 'bubble' }, h('span', { class: 'text', testid: 'text' }, p.text)),
  p.failed ? h('span', { class: 'note', role: 'alert' }, t(`error.${p.failed}`)) : null);
}

function renderTyping() {
  const el = ui.chatSlot.querySelector('[data-testid="visitor-typing"]');
  if (!el) return;
  const entry = S.visitorTyping.get(S.active);
  el.hidden = !entry;
  el.textContent = entry ? t('console.typing', { name: entry.name || visitorName(S.convs.get(S.active)) }) : '';
}

boot();
