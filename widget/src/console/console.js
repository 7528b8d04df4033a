// Sodam agent console. One page, served by the Sodam server at /console.
// Data from visitors and agents is rendered with textContent only (see /js/dom.js).

import { SodamClient, agentHello } from '/js/protocol/client.js';
import { pickLocale, staffLanguage, translator, formatWaiting, noticeText } from '/js/i18n.js';
import { loginSession, logOutSession, requestLogin, showLoginView } from '/js/login.js';
import { h, linkify, loadImage, icon, formatTime, isNearBottom, scrollToBottom, isSendKey, autoGrow, prefixedStorage } from '/js/dom.js';
import { answerNodes } from '/js/format.js';
import {
  RoutingState, secondsLeft, formatLoad, withdrawnKey, visitorLabel, errorReason, transferTargets,
} from './routing.js';
import { NoteBook, orderTimeline, insertionIndex } from './timeline.js';
import {
  unansweredSince, needsReplyId, neighbourTab, shortcutFor, SHORTCUTS, transferOutcome, arrivedByTransfer,
  chimesForMessage, titleCount, MutePref, leftWhileAway,
} from './workspace.js';
import {
  CannedBook, cannedApi, validateCanned, legacyCanned, cannedQuery, filterCanned, applyCanned, MAX_SHORTCUT,
} from './canned.js';
import { FeedbackBook, feedbackEl, profileEl } from './visitor-info.js';
import { ContextCache, percent, bestCandidate, insertDraft, pageLabel } from './context.js';
import { overview, formatDuration, supervisesRole } from './supervisor.js';

const locale = pickLocale(document, staffLanguage(location.search, globalThis.localStorage));
const t = translator(locale);
const session = loginSession('sodam:console');
const PREVIEW_MAX = 120;
const TYPING_REFRESH_MS = 3000;
const TYPING_IDLE_MS = 4000;
const REMOTE_TYPING_TIMEOUT_MS = 8000;
const TITLE = t('console.title');
/** A refless `conflict` this soon after our `accept` is that accept's answer (limit reached, or taken). */
const ACCEPT_CONFLICT_WINDOW_MS = 10000;
/** With neither the push nor an error after this long, the transfer button works again. */
const TRANSFER_RETRY_MS = 10000;
const OFFER_URGENT_SECONDS = 10;
/** User gestures that may ask for the Notification permission (never asked at page load). */
const GESTURES = ['click', 'keydown'];
/** A refless error this soon after our `transfer` / `note` is its answer (the frames carry no ref). */
/** Preferences that outlive the session (mute; an old canned list to move to the server): localStorage. */
const prefs = prefixedStorage(window.localStorage, 'sodam:console:');
const mute = new MutePref(prefs, 'muted');

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
  awayNotice: $('#away-notice'),
  agentsGroup: $('#agents-group'),
  supervisorGroup: $('#supervisor-group'),
  svQueueLength: $('[data-testid="sv-queue-length"]'),
  svLongestWait: $('[data-testid="sv-longest-wait"]'),
  svOnline: $('[data-testid="sv-online"]'),
  svLoad: $('[data-testid="sv-load"]'),
  svWaiting: $('[data-testid="sv-waiting"]'),
  agents: $('[data-testid="agents"]'),
  mute: $('[data-testid="console-mute"]'),
  help: $('[data-testid="shortcuts-help"]'),
  shortcuts: $('[data-testid="shortcuts"]'),
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
    notes: new NoteBook(), // private notes per conversation (./timeline.js), never in seq logic
    feedback: new FeedbackBook(), // what visitors rated (./visitor-info.js)
    profiles: new Map(), // conversationId → the visitor's profile from `visitor` frames
    notesLoaded: new Set(), // conversations whose notes a full sync brought on this connection
    colleagues: [], // welcome.colleagues: [{id, name}], transfer targets
    teams: [], // welcome.teams: [{id, name:{ko,en}}]
    acceptedByMe: new Map(), // conversationId → when this console accepted it (its assignment is no transfer)
    transfer: null, // {conversationId, target:{kind:'agent'|'team', id, name}, sentAt} while one is on its way
    lastNote: null, // {conversationId, text, at}: the last note sent, until its push or error
    noteMode: new Set(), // conversations whose reply box writes private notes
    dialog: null, // {kind:'transfer'|'canned', el, conversationId}
    canned: null, // the "/" list under the reply box: {conversationId, items, index}
    context: new ContextCache(), // context packets beside the chats (./context.js)
    cannedBook: new CannedBook(), // canned responses as the server lists them (./canned.js)
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
  ui.logout.addEventListener('click', signOut);
  // The WebAudio context may only start after a user gesture; create it on the first one.
  for (const type of ['pointerdown', 'keydown']) document.addEventListener(type, unlockAudio, { once: true });
  // Back in front: the queue is seen and the open chat is read (its badge goes, the title follows).
  window.addEventListener('focus', onAttention);
  document.addEventListener('visibilitychange', onAttention);
  setInterval(() => { if (S.client) { renderLists(); renderTabs(); } }, 30000); // waiting times tick
  setInterval(tickOffers, 500); // offer countdowns (half a second keeps them within one of the truth)
  setInterval(() => { if (S.client && supervises()) renderSupervisor(); }, 1000); // waiting times, live
  ui.presenceSelect.addEventListener('change', onPresenceChange);
  for (const type of GESTURES) document.addEventListener(type, askNotificationPermission);
  document.addEventListener('keydown', onShortcut);
  document.addEventListener('click', onOutsideClick);
  ui.mute.addEventListener('click', () => { mute.toggle(); renderMute(); });
  window.addEventListener('storage', (e) => { if (e.key === 'sodam:console:muted') renderMute(); }); // other tabs
  ui.help.addEventListener('click', () => toggleHelp());
  renderMute();
  renderHelp();

  const token = session.token();
  if (token) startApp(token, session.user());
  else showLogin();
}

// ---- login ----------------------------------------------------------------------------------

function showLogin(message = '') {
  showLoginView(ui, message);
}

async function onLoginSubmit(event) {
  event.preventDefault();
  ui.loginError.hidden = true;
  ui.loginSubmit.disabled = true;
  const result = await requestLogin(ui.email.value, ui.password.value);
  if (result.ok) {
    session.save(result.token, result.user);
    ui.password.value = '';
    return startApp(result.token, result.user);
  }
  if (result.status === 0) return showLogin(t('console.login.network'));
  // 401 has a known meaning, so say it in the console's language; otherwise show the server's words.
  return showLogin(result.status === 401 ? t('console.login.failed') : result.message || t('error.generic'));
}

/** The 로그아웃 button: the token is revoked on the server before the page forgets it. */
async function signOut() {
  ui.logout.disabled = true;
  // Closed first: revoking the token closes its live sockets (4401), and a reconnect refused
  // with that token would otherwise show "session expired" for a logout the agent asked for.
  S.client?.close();
  await logOutSession(session);
  ui.logout.disabled = false;
  logout();
}

/** Back to the login form, e.g. when the server refused the token (nothing left to revoke). */
function logout(message = '') {
  S.client?.close();
  for (const v of S.visitorTyping.values()) clearTimeout(v.timer);
  clearTimeout(S.typingIdle);
  session.clear();
  sessionStorage.removeItem('sodam:console:outbox'); // unsent replies belong to the old session
  for (const n of S.notifications.values()) closeQuietly(n);
  closeDialog();
  toggleHelp(false);
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
  client.on('read', onRead);
  client.on('error', onError);
  client.on('offer', onOffer);
  client.on('offer_withdrawn', onOfferWithdrawn);
  client.on('presence', onPresence);
  client.on('alert', onAlert);
  client.on('note', onNote);
  client.on('colleagues', onColleagues);
  client.on('rated', (f) => { if (S.feedback.add(f) && f.conversationId === S.active) renderChat(); });
  client.on('rewound', onRewound);
  client.on('visitor', (f) => {
    S.profiles.set(f.conversationId, f.visitor);
    if (f.conversationId === S.active) renderChat();
  });
  client.connect();
  renderChat();
  loadCanned();
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
  S.colleagues = Array.isArray(w.colleagues) ? w.colleagues.filter((a) => a?.id && a.id !== w.agent?.id) : [];
  S.teams = Array.isArray(w.teams) ? w.teams.filter((team) => team?.id) : [];
  // Notes written while we were away only come with a full sync: ask again on this connection.
  S.notesLoaded.clear();
  // The welcome list (queue + mine) is authoritative; keep others only while a tab shows them.
  const listed = new Set();
  for (const c of w.conversations ?? []) {
    listed.add(c.id);
    upsertConversation(c, { quiet: true });
  }
  for (const id of [...S.convs.keys()]) {
    if (listed.has(id)) continue;
    if (!S.tabs.includes(id)) {
      S.convs.delete(id);
      continue;
    }
    // Still on a tab, but no longer queued or mine: it left while we were disconnected.
    const gone = leftWhileAway(S.convs.get(id), S.me?.id);
    if (gone) {
      S.convs.set(id, gone);
      S.unseenQueue.delete(id);
      S.routing.conversationChanged(gone);
      S.client?.unwatch(id);
    }
  }
  // Every chat the agent serves is open at once (after a reload too): history, unread and waiting times.
  for (const c of mine()) addTab(c.id);
  for (const id of S.tabs) loadNotes(id);
  if (!S.active && S.tabs.length) S.active = S.tabs[0];
  // Alerts are about queued conversations; the welcome lists the whole queue.
  for (const id of [...S.routing.alerts.keys()]) {
    if (S.convs.get(id)?.state !== 'queued') S.routing.dismissAlert(id);
  }
  renderAll();
}

/** Codes a `transfer` or `note` can earn (protocol.md "Errors"). */
const ACTION_ERRORS = new Set(['conflict', 'forbidden', 'not_found', 'bad_request', 'too_large']);

/** A `transfer` or `note` is sent with a ref naming it, so its error is recognised exactly. */
let actionRefs = 0;
const actionRef = (kind) => `${kind}:${++actionRefs}`;

/** Returns 'transfer', 'note' or null: which of the agent's own actions an error answers. */
function actionOf(e) {
  if (!e.ref || !ACTION_ERRORS.has(e.code)) return null;
  if (e.ref.startsWith('transfer:')) return 'transfer';
  if (e.ref.startsWith('note:')) return 'note';
  if (e.ref.startsWith('colleagues:')) return 'colleagues';
  return null;
}

function onError(e) {
  if (e.code === 'unauthorized') return logout(t('console.login.expired'));
  const pending = e.ref ? S.pendingOut.get(e.ref) : null;
  if (e.code === 'rate_limited' || e.code === 'internal') return undefined; // the client retries
  const action = actionOf(e);
  // Our own words by code, in the console's language; the server's English message is for logs.
  if (action === 'transfer') return failTransfer(errorReason(t, e.code, { action }));
  if (action === 'note') return failNote(errorReason(t, e.code, { action }));
  if (action === 'colleagues') return colleaguesUnknown(e.ref);
  if (e.code === 'conflict' && !pending) {
    // accept beyond the limit (our own load says so), or already taken; else some other refusal.
    const accepting = Date.now() - S.lastAcceptAt < ACCEPT_CONFLICT_WINDOW_MS;
    const message = errorReason(t, e.code, { action: accepting ? 'accept' : null, self: S.routing.self });
    return toast(t(accepting ? 'console.acceptConflict' : 'console.conflict', { message }));
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
  // A pushed conversation is whole: no `labels` means none any more (not "unchanged").
  S.convs.set(c.id, {
    ...prev, ...c, labels: Array.isArray(c.labels) ? c.labels : [],
    visitorReadSeq: Math.max(prev?.visitorReadSeq ?? 0, c.visitorReadSeq ?? 0), // a read mark never goes back
  });
  if (!S.historyUntil.has(c.id)) S.historyUntil.set(c.id, c.lastSeq ?? 0);
  if (c.state === 'queued' && prev?.state !== 'queued') {
    if (!pageAttended()) S.unseenQueue.add(c.id);
    if (!quiet || !prev) beep();
  }
  if (c.state !== 'queued') S.unseenQueue.delete(c.id);
  const merged = S.convs.get(c.id);
  // An accept that lost (conflict) leaves its mark behind: only a recent one explains an assignment.
  const acceptedAt = S.acceptedByMe.get(c.id);
  const acceptedByMe = acceptedAt != null && Date.now() - acceptedAt < ACCEPT_CONFLICT_WINDOW_MS;
  const arrived = !quiet && arrivedByTransfer(prev, merged, S.me?.id, acceptedByMe);
  if (isMine(merged)) S.acceptedByMe.delete(c.id);
  const transferred = !quiet && S.transfer?.conversationId === c.id ? transferOutcome(merged, S.me?.id) : null;
  // Out of the queue: its offer or "unplaced" alert is moot.
  if (S.routing.conversationChanged(merged)) {
    closeNotification(c.id);
    if (!quiet) renderRouting();
  }
  // Taken by someone else or over: keep the tab readable, but stop re-syncing it on reconnect
  // (the server would answer forbidden).
  if (merged.state === 'resolved' || (merged.state === 'assigned' && !isMine(merged))) S.client?.unwatch(c.id);
  if (quiet) return;
  if (transferred) return finishTransfer(merged, transferred);
  if (arrived) return receiveTransfer(merged);
  if (isMine(merged)) addTab(c.id); // every chat the agent serves has its tab
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

/** The server's history of a chat ends at `lastSeq` (restored from a backup): what we show beyond it is gone. */
function onRewound({ conversationId, lastSeq }) {
  const messages = S.messages.get(conversationId);
  if (messages) for (const seq of [...messages.keys()]) if (seq > lastSeq) messages.delete(seq);
  S.historyUntil.set(conversationId, Math.min(S.historyUntil.get(conversationId) ?? lastSeq, lastSeq));
  if (conversationId === S.active) renderChat();
}

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
  // A visitor writing in a chat the agent is not looking at: sound, title badge, desktop notification.
  if (chimesForMessage({ isNew, kind, mine: Boolean(conv && isMine(conv)), viewing })) {
    beep();
    notifyMessage(m);
  }
  if (m.conversationId === S.active) {
    appendMessage(m);
    markRead(m.conversationId);
  }
  renderLists();
  if (kind === 'agent' || kind === 'visitor') renderTabs(); // who is waiting for an answer changed
  updateTitle();
}

// ---- private notes ---------------------------------------------------------------------------

function onNote(f) {
  // Our own note is back: it was stored, so a later error is not about it.
  if (S.lastNote && f.conversationId === S.lastNote.conversationId && f.from?.id === S.me?.id && f.text === S.lastNote.text) {
    S.lastNote = null;
  }
  if (!S.notes.add(f)) return; // a full sync repeats notes we have
  if (f.conversationId === S.active) appendNote(S.notes.of(f.conversationId).find((n) => n.noteId === f.noteId));
}

/**
 * Notes come live to the assigned agent, their author and admins, and with a full sync (from 0)
 * otherwise. `watch()` syncs from what we have, so once per connection we ask from 0 as well.
 */
function loadNotes(id) {
  if (!S.client?.welcomed || S.notesLoaded.has(id)) return; // not welcomed: the welcome asks again
  const c = S.convs.get(id);
  if (!c || !(isMine(c) || c.state === 'queued' || supervises())) return; // others' chats: forbidden
  S.notesLoaded.add(id);
  // With nothing delivered yet, watch() has just asked from 0, which brings the notes too.
  if (S.client.lastSeq(id) > 0) S.client.sync(id, 0);
}

function sendNote(id, input) {
  const text = input.value.trim();
  if (!text) return;
  const conv = S.convs.get(id);
  if (!conv || !isMine(conv)) return;
  if (text.length > 4000) {
    toast(t('error.too_large'));
    return;
  }
  if (!S.client.note(id, text, { ref: actionRef('note') })) {
    toast(t('console.notConnected'));
    return;
  }
  // No ack for notes: the server's `note` push (to the author too) draws it.
  S.lastNote = { conversationId: id, text, at: Date.now() };
  input.value = '';
  S.drafts.delete(id);
  autoGrow(input, 160);
}

function failNote(message) {
  const lost = S.lastNote;
  S.lastNote = null;
  toast(t('console.note.failed', { message }));
  // Give the text back if the box is still empty, so nothing typed is lost.
  const input = ui.chatSlot.querySelector('[data-testid="reply-input"]');
  if (lost && input && input.dataset.conversationId === lost.conversationId && !input.value) input.value = lost.text;
}

// ---- transfer --------------------------------------------------------------------------------

function teamName(team) {
  const name = team?.name;
  if (typeof name === 'string') return name;
  return name?.[locale] || name?.ko || name?.en || team?.id || '';
}

function openTransfer(id) {
  const c = S.convs.get(id);
  if (!c || !isMine(c)) return;
  closeDialog();
  let target = null;
  const confirm = h('button', {
    class: 'btn btn--primary', type: 'submit', testid: 'transfer-confirm', disabled: true,
  }, t('console.transfer.confirm'));
  const status = h('p', { class: 'dialog-error', testid: 'transfer-error', role: 'alert', hidden: true });
  const hint = h('p', { class: 'dialog-hint' }, t('console.transfer.pick'));
  const note = h('textarea', {
    class: 'dialog-note', testid: 'transfer-note', rows: '3', maxlength: '4000',
    placeholder: t('console.transfer.note'), 'aria-label': t('console.transfer.note'),
  });
  const buttons = [];
  const pick = (next, button) => {
    target = next;
    for (const b of buttons) b.setAttribute('aria-pressed', b === button ? 'true' : 'false');
    confirm.disabled = false;
    hint.hidden = true;
  };
  const targetButton = (kind, item, name, extra) => {
    const button = h('button', {
      class: 'target', type: 'button', 'aria-pressed': 'false',
      testid: kind === 'agent' ? 'transfer-agent' : 'transfer-team',
      dataset: kind === 'agent' ? { agentId: item.id } : { teamId: item.id },
      onclick: () => pick({ kind, id: item.id, name }, button),
    }, h('span', { class: 'name' }, name), extra);
    buttons.push(button);
    return h('li', {}, button);
  };
  // Until the server says who can take the chat now, the agents' place says so; the teams are pickable at once.
  const agentBox = h('div', { testid: 'transfer-agents', 'aria-live': 'polite' },
    h('p', { class: 'dialog-hint' }, t('console.transfer.loading')));
  let agentButtons = [];
  const showAgents = (rows) => {
    // A pick among the agents shown before (the fallback list) may not be pickable now: pick again.
    for (const b of agentButtons) buttons.splice(buttons.indexOf(b), 1);
    agentButtons = [];
    if (target?.kind === 'agent') {
      target = null;
      confirm.disabled = true;
      hint.hidden = false;
    }
    const items = rows.map((row) => {
      if (row.pickable) {
        const li = targetButton('agent', row, row.name, agentMeta(row));
        agentButtons.push(buttons.at(-1));
        return li;
      }
      // Greyed and not pickable: the server would refuse it (conflict), so the agent sees why instead.
      return h('li', {}, h('button', {
        class: 'target', type: 'button', disabled: true, testid: 'transfer-agent-unavailable',
        dataset: { agentId: row.id, reason: row.reason },
      }, h('span', { class: 'name' }, row.name), agentMeta(row)));
    });
    agentBox.replaceChildren(items.length ? h('ul', { class: 'targets' }, items)
      : h('p', { class: 'dialog-hint' }, t('console.transfer.noAgents')));
  };
  const teamRows = S.teams.map((team) => targetButton('team', team, teamName(team), null));
  const form = h('form', {
    class: 'dialog', testid: 'transfer-dialog', role: 'dialog', 'aria-modal': 'true',
    'aria-labelledby': 'transfer-title', dataset: { conversationId: id },
    onsubmit: (e) => { e.preventDefault(); confirmTransfer(id, target, note.value); },
  },
  h('h2', { id: 'transfer-title' }, t('console.transfer.title'), h('span', { class: 'dialog-sub' }, visitorName(c))),
  h('h3', {}, t('console.transfer.agents')),
  agentBox,
  h('h3', {}, t('console.transfer.teams')),
  teamRows.length ? h('ul', { class: 'targets' }, teamRows) : h('p', { class: 'dialog-hint' }, t('console.transfer.noTeams')),
  note,
  hint,
  status,
  h('div', { class: 'dialog-actions' },
    h('button', { class: 'btn btn--ghost', type: 'button', testid: 'transfer-cancel', onclick: () => closeDialog() },
      t('console.transfer.cancel')),
    confirm));
  // Asked each time the dialog opens, not pushed: presence broadcast to every agent is O(agents²) frames.
  const colleaguesRef = actionRef('colleagues');
  showDialog({ kind: 'transfer', conversationId: id, form, confirm, status, colleaguesRef, showAgents });
  if (!S.client.colleagues(id, { ref: colleaguesRef })) colleaguesUnknown(colleaguesRef);
  else {
    // No answer (a lost frame, an older server): fall back to the welcome's list rather than show nothing.
    const d = S.dialog;
    setTimeout(() => { if (S.dialog === d && !d.answered) colleaguesUnknown(colleaguesRef); }, TRANSFER_RETRY_MS);
  }
  buttons[0]?.focus();
}

/** The agents' presence and load as the server knows them, or what is known here (admins get presence). */
function agentMeta(row) {
  const why = row.reason === 'at_limit' || row.reason === 'pending' ? t(`console.transfer.why.${row.reason}`)
    : presenceLabel(row.reason ?? row.state ?? '') || null;
  const text = [why, formatLoad(row.load, row.cap)].filter(Boolean).join(' · ');
  return text ? h('span', { class: 'target-meta', dataset: { status: row.reason ?? row.state ?? '' } }, text) : null;
}

/** The answer to the open dialog's `colleagues`: who can take the chat now first, the rest greyed. */
function onColleagues(f) {
  const d = S.dialog;
  if (d?.kind !== 'transfer' || f.ref !== d.colleaguesRef) return; // an answer for a dialog since closed
  d.answered = true;
  d.showAgents(transferTargets(f.colleagues));
}

/**
 * The server could not say who can take the chat (refused, not connected, no answer): list the welcome's
 * colleagues, all pickable, with what this console knows, as before; the transfer itself still checks.
 */
function colleaguesUnknown(ref) {
  const d = S.dialog;
  if (d?.kind !== 'transfer' || ref !== d.colleaguesRef || d.answered) return;
  d.answered = true;
  d.showAgents(S.colleagues.map((a) => {
    const known = S.routing.agents.get(a.id); // admins know colleagues' presence and load
    return { id: a.id, name: a.name || a.id, pickable: true, reason: null, state: known?.status, load: known?.load, cap: known?.cap };
  }));
}

function confirmTransfer(id, target, noteText) {
  const d = S.dialog;
  if (!target || d?.kind !== 'transfer') return;
  const note = noteText.trim();
  const sent = S.client.transfer(id, target.kind === 'agent'
    ? { toAgentId: target.id, note, ref: actionRef('transfer') }
    : { toTeamId: target.id, note, ref: actionRef('transfer') });
  if (!sent) {
    toast(t('console.notConnected'));
    return;
  }
  S.transfer = { conversationId: id, target, sentAt: Date.now() };
  d.status.hidden = true;
  d.confirm.disabled = true;
  d.confirm.textContent = t('console.transfer.sending');
  // Neither the push nor an error came: let the agent try again (a late push still closes the tab).
  const mark = S.transfer;
  setTimeout(() => {
    if (S.transfer === mark && S.dialog === d) {
      d.confirm.disabled = false;
      d.confirm.textContent = t('console.transfer.confirm');
    }
  }, TRANSFER_RETRY_MS);
}

function failTransfer(message) {
  const text = t('console.transfer.failed', { message });
  S.transfer = null;
  const d = S.dialog;
  if (d?.kind === 'transfer') {
    d.status.textContent = text;
    d.status.hidden = false;
    d.confirm.disabled = false;
    d.confirm.textContent = t('console.transfer.confirm');
  }
  toast(text);
}

/** Our transfer went through (the `conversation` push says so): the chat is no longer ours to show. */
function finishTransfer(c, outcome) {
  const done = S.transfer;
  S.transfer = null;
  if (S.dialog?.kind === 'transfer' && S.dialog.conversationId === c.id) closeDialog();
  const name = visitorName(c);
  if (outcome === 'agent') toast(t('console.transfer.doneAgent', { name, agent: c.agent?.name ?? done?.target?.name ?? '' }));
  else if (outcome === 'team') toast(t('console.transfer.doneTeam', { name, team: done?.target?.name ?? '' }));
  else toast(t('console.transfer.doneResolved', { name }));
  S.noteMode.delete(c.id);
  S.drafts.delete(c.id);
  S.unread.delete(c.id);
  if (S.tabs.includes(c.id)) closeTab(c.id);
  else renderAll();
}

/** A colleague (or an admin) handed us a chat: open it with its whole history and every note. */
function receiveTransfer(c) {
  // What was said before is history, not unread; what the visitor writes from now on is.
  S.historyUntil.set(c.id, Math.max(S.historyUntil.get(c.id) ?? 0, c.lastSeq ?? 0));
  S.notesLoaded.delete(c.id); // notes written meanwhile went to the colleague, not to us: ask again
  const added = addTab(c.id);
  S.client.watch(c.id); // a tab kept open since the queue stopped being watched when a colleague took it
  loadNotes(c.id);
  if (added && !S.active) S.active = c.id;
  toast(t('console.transfer.received', { name: visitorName(c) }));
  beep();
  renderAll();
  if (c.id === S.active) markRead(c.id);
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

/** The visitor read up to `seq`: their read mark moves on, and the open chat's receipts follow. */
function onRead(f) {
  if (f.from?.kind !== 'visitor') return;
  const conv = S.convs.get(f.conversationId);
  if (!conv || !(f.seq > (conv.visitorReadSeq ?? 0))) return;
  conv.visitorReadSeq = f.seq;
  if (f.conversationId === S.active) renderReadMarks();
}

/** "읽음" under each agent message of the open chat the visitor has read (`data-read`). */
function renderReadMarks() {
  const list = ui.chatSlot.querySelector('.messages');
  if (!list) return;
  const readSeq = S.convs.get(list.dataset.conversationId)?.visitorReadSeq ?? 0;
  for (const li of list.querySelectorAll('[data-testid="message"][data-kind="agent"][data-seq]')) {
    const read = Number(li.dataset.seq) <= readSeq;
    let mark = li.querySelector('[data-testid="read-mark"]');
    if (read && !mark) {
      mark = h('span', { class: 'read-mark', testid: 'read-mark', title: t('console.readLabel') }, t('console.read'));
      li.append(mark);
    } else if (!read && mark) mark.remove();
    if (read) li.dataset.read = '';
    else delete li.dataset.read;
  }
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
  S.acceptedByMe.set(id, Date.now()); // its assignment is ours, not a transfer
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
  S.routing.decline(id);
  closeNotification(id);
  renderOffers();
  renderLists();
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
  if (f.reason === 'declined') renderLists(); // marked as declined (by this tab or another)
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

/** Enter in the reply box: a message to the visitor, or a private note in note mode. */
function submitReply(id, input) {
  if (S.noteMode.has(id)) sendNote(id, input);
  else sendReply(id, input);
}

function toggleNoteMode(id) {
  if (S.noteMode.has(id)) S.noteMode.delete(id);
  else {
    S.noteMode.add(id);
    stopTyping(); // a note is not something the visitor should see being typed
  }
  renderChat();
  ui.chatSlot.querySelector('[data-testid="reply-input"]:not([disabled])')?.focus();
}

// ---- canned responses ------------------------------------------------------------------------

/** Whether this console's agent oversees others: supervisors and admins (the server checks again). */
function supervises() {
  return supervisesRole(S.me?.role ?? session.user()?.role);
}

/** Shared canned responses are managed by supervisors and admins. */
function managesShared() {
  return supervises();
}

/**
 * Load the canned responses from the server. An old personal list in localStorage (from before
 * they lived on the server) is uploaded first, once, and then forgotten.
 */
async function loadCanned() {
  const token = session.token();
  if (!token) return;
  const api = cannedApi(token);
  const book = S.cannedBook; // a logout meanwhile replaces it: the answer is dropped
  const me = S.me?.id ?? session.user()?.id;
  const key = me ? `canned:${me}` : null;
  const raw = key ? prefs.get(key) : null;
  if (raw != null) {
    let moved = true;
    for (const draft of legacyCanned(raw)) moved = (await api.add(draft)).ok && moved;
    if (moved) prefs.remove(key);
  }
  const listed = await api.list();
  if (!listed.ok || book !== S.cannedBook) return;
  book.set(listed.body?.canned);
  if (S.dialog?.kind === 'canned') S.dialog.redraw?.();
  const input = ui.chatSlot.querySelector('[data-testid="reply-input"]');
  if (S.canned && input) updateCanned(S.canned.conversationId, input); // the open list shows the fresh ones
}

/** The reply box changed: open, filter or close the "/" list. */
function updateCanned(id, input) {
  const query = cannedQuery(input.value);
  if (query == null) {
    if (S.canned) closeCanned();
    return;
  }
  if (!S.canned) loadCanned(); // opening: shared ones may have changed since
  const items = filterCanned(S.cannedBook.list(), query, S.convs.get(id)?.locale ?? locale);
  const keep = S.canned?.conversationId === id ? S.canned.items[S.canned.index] : null;
  const index = Math.max(0, keep ? items.indexOf(items.find((i) => i.shortcut === keep.shortcut && i.locale === keep.locale)) : 0);
  S.canned = { conversationId: id, items, index };
  renderCanned();
}

function closeCanned() {
  S.canned = null;
  renderCanned();
}

/** Keys while the list is open: ↑/↓ choose, Enter/Tab insert. Returns whether the key was used. */
function cannedKey(e, id, input) {
  const c = S.canned;
  if (!c || c.conversationId !== id || e.isComposing || e.keyCode === 229) return false;
  if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
    if (!c.items.length) return false;
    c.index = (c.index + (e.key === 'ArrowDown' ? 1 : -1) + c.items.length) % c.items.length;
    e.preventDefault();
    renderCanned();
    return true;
  }
  if ((e.key === 'Enter' && !e.shiftKey) || (e.key === 'Tab' && !e.shiftKey)) {
    if (!c.items.length) return false; // nothing matches: Enter sends what was typed
    e.preventDefault();
    insertCanned(id, input, c.items[c.index]);
    return true;
  }
  return false;
}

function insertCanned(id, input, item) {
  input.value = applyCanned(input.value, item);
  closeCanned();
  S.drafts.set(id, input.value);
  autoGrow(input, 160);
  input.focus();
  input.setSelectionRange(input.value.length, input.value.length);
  if (!S.noteMode.has(id)) noteTyping(id);
}

function renderCanned() {
  const list = ui.chatSlot.querySelector('[data-testid="canned-list"]');
  if (!list) return;
  const c = S.canned;
  const input = ui.chatSlot.querySelector('[data-testid="reply-input"]');
  const open = Boolean(c && list.dataset.conversationId === c.conversationId);
  list.hidden = !open;
  input?.setAttribute('aria-expanded', open ? 'true' : 'false');
  if (!open) {
    list.replaceChildren();
    input?.removeAttribute('aria-activedescendant');
    return;
  }
  list.replaceChildren(...(c.items.length ? c.items.map((item, i) => h('li', {
    class: `canned-item${i === c.index ? ' canned-item--active' : ''}`, testid: 'canned-item', role: 'option',
    id: `canned-${i}`, 'aria-selected': i === c.index ? 'true' : 'false',
    dataset: { shortcut: item.shortcut, locale: item.locale },
    // mousedown, not click: the reply box keeps its focus (and the IME its state).
    onmousedown: (e) => { e.preventDefault(); if (input) insertCanned(c.conversationId, input, item); },
  },
  h('span', { class: 'canned-shortcut' }, `/${item.shortcut}`),
  h('span', { class: 'locale' }, item.locale.toUpperCase()),
  h('span', { class: 'canned-text' }, item.text))) : [h('li', { class: 'canned-empty', role: 'presentation' }, t('console.canned.empty'))]));
  if (c.items.length) input?.setAttribute('aria-activedescendant', `canned-${c.index}`);
  list.querySelector('.canned-item--active')?.scrollIntoView?.({ block: 'nearest' });
}

/** The manager: every response (own ones and shared) with delete where allowed, and a form to add one. */
function openCannedManager() {
  closeDialog();
  closeCanned();
  const api = cannedApi(session.token());
  const manages = managesShared();
  const list = h('ul', { class: 'canned-rows' });
  const error = h('p', { class: 'dialog-error', role: 'alert', testid: 'canned-error', hidden: true });
  const showError = (message) => {
    error.hidden = !message;
    error.textContent = message ?? '';
  };
  const shortcut = h('input', {
    class: 'dialog-input', testid: 'canned-shortcut', maxlength: String(MAX_SHORTCUT + 1), placeholder: '/배송',
    'aria-label': t('console.canned.shortcut'),
  });
  const lang = h('select', { class: 'dialog-input', testid: 'canned-locale', 'aria-label': t('console.canned.locale') },
    ['ko', 'en'].map((l) => h('option', { value: l, selected: l === locale }, t(`console.locale.${l}`))));
  const scope = manages ? h('select', { class: 'dialog-input', testid: 'canned-scope', 'aria-label': t('console.canned.scope') },
    ['personal', 'shared'].map((v) => h('option', { value: v }, t(`console.canned.scope.${v}`)))) : null;
  const text = h('textarea', {
    class: 'dialog-note', testid: 'canned-text', rows: '3', maxlength: '4000', 'aria-label': t('console.canned.text'),
    placeholder: t('console.canned.text'),
  });
  const failed = (result) => showError(t('console.canned.failed', { message: result.message || t('error.generic') }));
  const draw = () => list.replaceChildren(...S.cannedBook.list().map((item) => h('li', {
    class: `canned-row canned-row--${item.scope}`, testid: 'canned-row',
    dataset: { shortcut: item.shortcut, locale: item.locale, scope: item.scope, id: item.id },
  },
  h('span', { class: 'canned-shortcut' }, `/${item.shortcut}`),
  h('span', { class: 'locale' }, item.locale.toUpperCase()),
  h('span', { class: 'canned-scope', testid: 'canned-row-scope' }, t(`console.canned.scope.${item.scope}`)),
  h('span', { class: 'canned-text' }, item.text),
  CannedBook.deletable(item, manages) ? h('button', {
    class: 'btn btn--ghost btn--small', type: 'button', testid: 'canned-delete',
    'aria-label': t('console.canned.deleteLabel', { shortcut: item.shortcut }),
    onclick: async () => {
      const result = await api.remove(item.id);
      if (!result.ok && result.status !== 404) return failed(result);
      showError(null);
      return loadCanned();
    },
  }, icon('close', 14)) : null)));
  draw();
  const form = h('form', {
    class: 'dialog dialog--wide', testid: 'canned-dialog', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'canned-title',
    onsubmit: async (e) => {
      e.preventDefault();
      const checked = validateCanned({ shortcut: shortcut.value, text: text.value, locale: lang.value, scope: scope?.value });
      if (checked.error) return showError(t(`console.canned.error.${checked.error}`));
      const result = await api.add(checked.draft);
      if (!result.ok) return failed(result);
      showError(null);
      shortcut.value = '';
      text.value = '';
      shortcut.focus();
      return loadCanned();
    },
  },
  h('h2', { id: 'canned-title' }, t('console.canned.title')),
  h('p', { class: 'dialog-hint' }, t(manages ? 'console.canned.hintAdmin' : 'console.canned.hint')),
  list,
  h('div', { class: 'canned-add' }, shortcut, lang, scope),
  text,
  error,
  h('div', { class: 'dialog-actions' },
    h('span', { class: 'spacer' }),
    h('button', { class: 'btn btn--ghost', type: 'button', testid: 'dialog-close', onclick: () => closeDialog() }, t('console.close')),
    h('button', { class: 'btn btn--primary', type: 'submit', testid: 'canned-add' }, t('console.canned.add'))));
  showDialog({ kind: 'canned', conversationId: null, form, redraw: draw });
  shortcut.focus();
  loadCanned(); // shared ones an admin changed meanwhile
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

/** Images the server takes (it checks the bytes again) and their size limit, as in the widget. */
const IMAGE_TYPES = 'image/png,image/jpeg,image/gif,image/webp';
const MAX_IMAGE_BYTES = 2 * 1024 * 1024;

/**
 * An image from the agent goes up over HTTP into their own chat; its message comes back over the
 * socket like any other and replaces the pending line (same clientMsgId). A retry with the same
 * clientMsgId would be answered with the original, never stored twice.
 */
function uploadImage(id, file) {
  const conv = S.convs.get(id);
  if (!conv || !isMine(conv)) return;
  const clientMsgId = `img-${Math.random().toString(36).slice(2, 12)}`;
  const pending = { conversationId: id, text: t('console.uploading') };
  S.pendingOut.set(clientMsgId, pending);
  const fail = (code) => {
    if (S.pendingOut.get(clientMsgId) !== pending) return;
    pending.failed = ['too_large', 'unsupported_type', 'image_too_large', 'forbidden', 'conflict', 'not_found']
      .includes(code) ? code : 'generic';
    renderChat();
  };
  renderChat();
  if (file.size > MAX_IMAGE_BYTES) {
    fail('image_too_large');
    return;
  }
  const url = `/api/attachments?conversationId=${encodeURIComponent(id)}&clientMsgId=${encodeURIComponent(clientMsgId)}`;
  fetch(url, { method: 'POST', body: file, headers: { Authorization: `Bearer ${session.token()}` } })
    .then((res) => res.json().then((body) => ({ ok: res.ok, body })))
    .then(({ ok, body }) => { if (!ok) fail(body?.code); })
    .catch(() => fail('generic'));
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

/** Add a tab without drawing it. Returns whether it is new. */
function addTab(id) {
  if (S.tabs.includes(id)) return false;
  S.tabs.push(id);
  S.client.watch(id); // full history now (sync afterSeq = what we have, 0 at first), and after reconnects
  loadNotes(id);
  return true;
}

function openTab(id, { focus = true } = {}) {
  addTab(id);
  S.unseenQueue.delete(id);
  if (focus || !S.active) activate(id);
  else renderAll();
}

function activate(id) {
  if (S.active && S.active !== id) {
    stopTyping();
    S.canned = null;
  }
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
  if (S.canned?.conversationId === id) S.canned = null;
  if (S.dialog?.conversationId === id) closeDialog();
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

/** Chimes closer together than this are one (a burst of messages after a reconnect rings once). */
const BEEP_GAP_MS = 800;
let lastBeepAt = 0;

/**
 * Two short rising tones, also when the page is in front (an agent watching one chat must hear
 * another). Silent when muted, and until the agent has interacted with the page (autoplay rules).
 * `document.body.dataset.chimes` counts the chimes played, for tests.
 */
function beep() {
  if (mute.muted || !audio || audio.state !== 'running') return;
  const now = Date.now();
  if (now - lastBeepAt < BEEP_GAP_MS) return;
  lastBeepAt = now;
  document.body.dataset.chimes = String(Number(document.body.dataset.chimes ?? 0) + 1);
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

/** The page came to the front: the queue is seen, and the open chat's messages are read. */
function onAttention() {
  markQueueSeen();
  if (!S.active) return;
  const had = S.unread.has(S.active);
  markRead(S.active);
  if (had && !S.unread.has(S.active)) {
    renderTabs();
    renderLists();
  }
  updateTitle();
}

function updateTitle() {
  // Pending offers always count: they expire, so they need the agent now. So do unread visitor messages.
  const n = titleCount({ unseenQueue: S.unseenQueue, offers: S.routing.offers.keys(), unread: S.unread.values() });
  document.title = n > 0 ? `(${n}) ${TITLE}` : TITLE;
}

function renderMute() {
  const muted = mute.muted;
  ui.mute.setAttribute('aria-pressed', muted ? 'true' : 'false');
  ui.mute.title = t('console.mute');
  ui.mute.setAttribute('aria-label', t('console.mute'));
  ui.mute.replaceChildren(icon(muted ? 'muted' : 'sound', 18));
}

/** A desktop notification for a visitor message in a chat the agent is not looking at. */
function notifyMessage(m) {
  if (!('Notification' in window) || Notification.permission !== 'granted' || pageAttended()) return;
  const id = m.conversationId;
  try {
    const n = new Notification(t('console.newMessage.notifyTitle'), {
      body: t('console.offer.notifyBody', { name: visitorName(S.convs.get(id)) || m.from?.name || '', preview: (m.text ?? '').slice(0, PREVIEW_MAX) }),
      tag: `sodam-message-${id}`,
    });
    n.onclick = () => {
      window.focus();
      n.close();
      if (S.tabs.includes(id)) activate(id);
    };
  } catch { /* not allowed outside a service worker on this platform */ }
}

// ---- keyboard shortcuts, help popover, dialogs ------------------------------------------------

function onShortcut(e) {
  if (!S.client || ui.appView.hidden) return;
  const target = e.target;
  const inField = target instanceof Element && target.matches('input, textarea, select, [contenteditable]');
  const action = shortcutFor(e, inField);
  if (!action) return;
  if (action === 'escape') {
    // The innermost thing open closes first.
    if (S.canned) closeCanned();
    else if (S.dialog) closeDialog();
    else if (!ui.shortcuts.hidden) toggleHelp(false);
    else return;
    e.preventDefault();
    return;
  }
  if (action === 'help') {
    e.preventDefault();
    toggleHelp();
    return;
  }
  if (S.dialog) return; // a dialog has the keyboard
  e.preventDefault();
  if (action === 'next' || action === 'previous') {
    const id = neighbourTab(S.tabs, S.active, action === 'next' ? 1 : -1);
    if (id && id !== S.active) activate(id);
  } else if (action === 'accept-offer') {
    const top = S.routing.sortedOffers()[0];
    if (top) accept(top.conversationId);
  }
}

function renderHelp() {
  ui.shortcuts.replaceChildren(
    h('h2', {}, t('console.shortcuts')),
    h('dl', {}, SHORTCUTS.map(([keys, key]) => [
      h('dt', {}, keys.split(' + ').map((k, i) => [i ? ' + ' : null, h('kbd', {}, k)])),
      h('dd', {}, t(key)),
    ])),
  );
}

function toggleHelp(open = ui.shortcuts.hidden) {
  ui.shortcuts.hidden = !open;
  ui.help.setAttribute('aria-expanded', open ? 'true' : 'false');
}

function onOutsideClick(e) {
  if (ui.shortcuts.hidden) return;
  if (e.target instanceof Node && (ui.shortcuts.contains(e.target) || ui.help.contains(e.target))) return;
  toggleHelp(false);
}

/** Show a modal dialog (one at a time): `d.form` is its content; Esc or the backdrop closes it. */
function showDialog(d) {
  const backdrop = h('div', {
    class: 'backdrop', onmousedown: (e) => { if (e.target === backdrop) closeDialog(); },
  }, d.form);
  document.body.append(backdrop);
  S.dialog = { ...d, el: backdrop };
}

function closeDialog() {
  const d = S.dialog;
  if (!d) return;
  S.dialog = null;
  d.el.remove();
  ui.chatSlot.querySelector('[data-testid="reply-input"]:not([disabled])')?.focus();
}

function toast(message) {
  ui.toast.textContent = message;
  ui.toast.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { ui.toast.hidden = true; }, 4000);
}

// ---- context packet -------------------------------------------------------------------------

/** Fetch the chat's context packet (bot decision, FAQ candidates, pages, earlier chats) unless fresh. */
async function loadContext(id) {
  const token = session.token();
  if (!id || !token || !S.context.stale(id)) return;
  const cache = S.context; // a logout meanwhile replaces it: the answer is dropped
  cache.loading(id);
  try {
    const response = await fetch(`/api/workspace/conversations/${encodeURIComponent(id)}/context`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    const body = await response.json().catch(() => null);
    if (response.ok && body) cache.loaded(id, body);
    else cache.failed(id, body?.code ?? response.status);
  } catch {
    cache.failed(id, 'network');
  }
  if (cache === S.context && id === S.active) renderContext();
}

/** One click: the best FAQ answer goes into the reply box as a draft, never sent by itself. */
function insertAnswer(id, answer) {
  const input = ui.chatSlot.querySelector(`[data-testid="reply-input"][data-conversation-id="${CSS.escape(id)}"]`);
  if (input && !input.disabled) {
    input.value = insertDraft(input.value, answer);
    S.drafts.set(id, input.value);
    if (S.canned) closeCanned();
    autoGrow(input, 160);
    input.focus();
    input.setSelectionRange(input.value.length, input.value.length);
    return;
  }
  // Not ours yet (queued, offered): the draft waits in the box for when it is.
  S.drafts.set(id, insertDraft(S.drafts.get(id), answer));
  toast(t('console.context.draftKept'));
}

function renderContext() {
  const aside = ui.chatSlot.querySelector('[data-testid="context-panel"]');
  if (!aside) return;
  const id = aside.dataset.conversationId;
  const entry = S.context.get(id);
  const p = entry?.packet;
  const title = h('h2', { class: 'context-title' }, t('console.context.title'));
  if (!p) {
    aside.dataset.state = entry?.error ? 'error' : 'loading';
    aside.replaceChildren(title, h('p', { class: 'context-empty' },
      t(entry?.error ? 'console.context.failed' : 'console.context.loading')));
    return;
  }
  aside.dataset.state = 'ready';
  const section = (key, ...children) => h('section', { class: 'context-section' },
    h('h3', {}, t(key)), ...children);
  const best = bestCandidate(p);
  const urgency = p.urgency ?? {};
  const bot = p.bot;
  aside.replaceChildren(title,
    h('p', { class: 'context-signals' },
      urgency.urgent ? h('span', { class: 'badge-urgent', testid: 'context-urgent' }, t('console.context.urgent')) : null,
      h('span', { class: `sentiment sentiment--${urgency.sentiment ?? 'neutral'}`, testid: 'context-sentiment',
        dataset: { sentiment: urgency.sentiment ?? 'neutral' } },
      t(`console.context.sentiment.${urgency.sentiment === 'negative' ? 'negative' : 'neutral'}`)),
      urgency.botMisses ? h('span', { class: 'context-misses' }, t('console.context.botMisses', { n: urgency.botMisses })) : null),
    section('console.context.bot', bot
      ? h('p', { class: 'context-intent', testid: 'context-intent', dataset: { intent: bot.intent ?? '', decision: bot.decision } },
        h('span', { class: 'decision' }, t(`console.context.decision.${bot.decision === 'answer' || bot.decision === 'clarify' ? bot.decision : 'handoff'}`)),
        ' · ', h('code', {}, bot.intent ?? t('console.context.noIntent')),
        ' · ', h('span', { testid: 'context-confidence' }, percent(bot.confidence)))
      : h('p', { class: 'context-empty' }, t('console.context.noBot'))),
    section('console.context.candidates',
      best ? h('button', {
        class: 'btn btn--primary btn--small', type: 'button', testid: 'context-insert-best',
        title: t('console.context.insertHint'), onclick: () => insertAnswer(id, best.answer),
      }, t('console.context.insertBest')) : null,
      (p.candidates ?? []).length
        ? h('ol', { class: 'context-candidates', testid: 'context-candidates' }, p.candidates.map((c) => h('li', {
          class: `context-candidate${c === best ? ' context-candidate--best' : ''}`, testid: 'context-candidate',
          dataset: { faqId: c.faqId, best: c === best ? '' : null },
        },
        h('span', { class: 'context-question' }, c.question ?? c.faqId),
        h('span', { class: 'context-score', testid: 'context-score' }, percent(c.score)),
        h('button', {
          class: 'btn btn--ghost btn--small', type: 'button', testid: 'context-insert',
          'aria-label': t('console.context.insertLabel', { question: c.question ?? c.faqId }),
          onclick: () => insertAnswer(id, c.answer),
        }, t('console.context.insert')))))
        : h('p', { class: 'context-empty' }, t('console.context.noCandidates'))),
    section('console.context.transcript', (p.transcript ?? []).length
      ? h('ol', { class: 'context-transcript', testid: 'context-transcript' }, p.transcript.map((m) => h('li', {
        class: `context-line context-line--${m.from}`, dataset: { seq: String(m.seq) },
      }, h('span', { class: 'who' }, t(m.from === 'bot' ? 'console.context.fromBot' : 'console.context.fromVisitor')), ' ', m.text)))
      : h('p', { class: 'context-empty' }, t('console.context.noTranscript'))),
    section('console.context.pages', p.page
      ? h('ul', { class: 'context-pages', testid: 'context-pages' }, (p.pages ?? [p.page]).map((page, i) => h('li', {
        class: i === 0 ? 'context-page context-page--now' : 'context-page', testid: i === 0 ? 'context-page' : null,
        dataset: { url: page.url },
      }, h('span', { class: 'context-page-title' }, page.title || pageLabel(page.url)),
      h('span', { class: 'context-page-url' }, pageLabel(page.url)))))
      : h('p', { class: 'context-empty' }, t('console.context.noPages'))),
    section('console.context.previous', (p.previous ?? []).length
      ? h('ul', { class: 'context-previous', testid: 'context-previous' }, p.previous.map((c) => h('li', {
        class: 'context-previous-item', testid: 'context-previous-item', dataset: { conversationId: c.id, state: c.state },
      }, h('time', { datetime: c.createdAt }, (c.createdAt ?? '').slice(0, 10)), ' ',
      h('span', { class: 'preview' }, c.preview ?? ''),
      c.agent?.name ? h('span', { class: 'context-agent' }, c.agent.name) : null)))
      : h('p', { class: 'context-empty' }, t('console.context.noPrevious'))));
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
  const waits = replyWaits();
  const next = needsReplyId([...waits].map(([id, since]) => ({ id, since })));
  ui.mine.replaceChildren(...mine().map((c) => mineItem(c, waits.get(c.id), c.id === next)));
}

/** id → since when the visitor waits for an answer (null: the agent had the last word), for my chats. */
function replyWaits() {
  return new Map(mine().map((c) => [c.id, unansweredSince(S.messages.get(c.id)?.values() ?? [])]));
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
    itemLabels(c),
    S.routing.declined.has(c.id) ? h('span', {
      class: 'declined', testid: 'declined', title: t('console.declinedLabel'),
    }, t('console.declined')) : null,
    h('span', { class: 'waiting' }, c.waitingSince ? t('console.waiting', { t: formatWaiting(c.waitingSince, t) }) : '')),
  h('button', {
    class: 'btn btn--primary btn--small', type: 'button', testid: 'accept',
    'aria-label': t('console.acceptLabel', { name }),
    onclick: () => accept(c.id),
  }, t('console.accept')));
}

function mineItem(c, since, needsReply) {
  const unread = S.unread.get(c.id) ?? 0;
  return h('li', {
    class: `item${c.id === S.active ? ' item--active' : ''}${needsReply ? ' item--needs-reply' : ''}`, testid: 'mine-item',
    dataset: { conversationId: c.id, waitingSince: since ?? null, needsReply: needsReply ? '' : null },
  },
  h('button', { class: 'item-main', type: 'button', onclick: () => openTab(c.id) },
    h('span', { class: 'item-top' },
      h('span', { class: 'name' }, visitorName(c)),
      needsReply ? h('span', {
        class: 'needs-reply', testid: 'needs-reply', title: t('console.needsReplyLabel'),
      }, t('console.needsReply')) : null,
      unread ? h('span', { class: 'badge', testid: 'unread', 'aria-label': t('console.unread', { n: unread }) }, String(unread)) : null),
    h('span', { class: 'preview' }, c.preview ?? ''),
    itemLabels(c),
    since ? h('span', { class: 'waiting', testid: 'reply-wait' }, t('console.replyWait', { t: formatWaiting(since, t) })) : null));
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

/** Why the server set an agent away, for the supervisor list; null for a reason this console does not know. */
function presenceReasonLabel(reason) {
  const key = `console.presenceReason.${reason}`;
  return t(key) === key ? null : t(key);
}

/**
 * The server set us away (offers ran out unanswered): say so, and how to come back, until the status
 * changes. Without it an agent back at their desk sees "자리 비움" and no offers, and not why.
 */
function renderAwayNotice() {
  const reason = S.routing.awayReason;
  const key = `console.awayNotice.${reason}`;
  const text = reason ? t(key) : key;
  if (!reason || text === key) {
    ui.awayNotice.hidden = true;
    ui.awayNotice.replaceChildren();
    return;
  }
  if (ui.awayNotice.dataset.reason === reason && !ui.awayNotice.hidden) return;
  ui.awayNotice.dataset.reason = reason;
  ui.awayNotice.replaceChildren(
    h('span', { class: 'away-notice-text', testid: 'away-notice-text' }, text),
    h('button', {
      class: 'btn btn--primary btn--small', type: 'button', testid: 'away-notice-online',
      'aria-label': t('console.awayNotice.onlineLabel'),
      onclick: () => {
        if (!S.client?.presence('online')) toast(t('console.notConnected'));
      },
    }, t('console.awayNotice.online')));
  ui.awayNotice.hidden = false;
}

function renderPresence() {
  renderAwayNotice();
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
  ui.agentsGroup.hidden = !(supervises() || S.routing.agents.size > 0);
  renderSupervisor();
  ui.agents.replaceChildren(...S.routing.agentRows().map((a) => h('li', {
    class: 'agent-row', testid: 'agent-row', dataset: { agentId: a.id, status: a.status },
  },
  h('span', { class: 'dot', 'aria-hidden': 'true' }),
  h('span', { class: 'name' }, a.name),
  h('span', { class: 'agent-status', testid: 'agent-status' },
    a.status === 'away' && a.reason ? presenceReasonLabel(a.reason) ?? presenceLabel(a.status) : presenceLabel(a.status)),
  h('span', { class: 'agent-load', testid: 'agent-load', title: Number.isInteger(a.load) ? t('console.loadLabel', { load: a.load, cap: a.cap }) : null },
    formatLoad(a.load, a.cap)))));
}

/** Supervisors and admins: queue length, each waiting chat's wait, and the agents' totals (the list below has each agent). */
function renderSupervisor() {
  const on = Boolean(S.client) && supervises();
  ui.supervisorGroup.hidden = !on;
  if (!on) return;
  const o = overview(S.convs.values(), S.routing.agentRows());
  ui.svQueueLength.textContent = String(o.queueLength);
  ui.svLongestWait.textContent = formatDuration(o.longestWait);
  ui.svOnline.textContent = t('console.sv.onlineCount', { online: o.agents.online, away: o.agents.away });
  ui.svLoad.textContent = `${o.agents.load} / ${o.agents.cap}`;
  ui.supervisorGroup.dataset.queueLength = String(o.queueLength);
  ui.svWaiting.replaceChildren(...o.waiting.map((w) => h('li', {
    class: `sv-waiting-item${w.urgent ? ' sv-waiting-item--urgent' : ''}`, testid: 'sv-waiting-item',
    dataset: { conversationId: w.id, waitingSince: w.since, seconds: String(w.seconds) },
  },
  h('button', { class: 'item-main', type: 'button', onclick: () => openTab(w.id) },
    h('span', { class: 'position' }, w.position ? `#${w.position}` : ''),
    h('span', { class: 'name' }, w.name),
    w.urgent ? h('span', { class: 'badge-urgent' }, t('console.context.urgent')) : null,
    h('span', { class: 'sv-wait', testid: 'sv-wait', title: t('console.sv.waitLabel') }, formatDuration(w.seconds))))));
}

function renderTabs() {
  const waits = replyWaits();
  const next = needsReplyId([...waits].map(([id, since]) => ({ id, since })));
  ui.tabs.replaceChildren(...S.tabs.map((id) => {
    const c = S.convs.get(id);
    const name = visitorName(c) || id;
    const unread = S.unread.get(id) ?? 0;
    const selected = id === S.active;
    const since = waits.get(id);
    return h('div', {
      class: `tab${selected ? ' tab--active' : ''}${id === next ? ' tab--needs-reply' : ''}`, testid: 'chat-tab', role: 'presentation',
      dataset: { conversationId: id, state: c?.state ?? '', waitingSince: since ?? null, needsReply: id === next ? '' : null },
      title: since ? t('console.replyWait', { t: formatWaiting(since, t) }) : null,
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
      class: 'btn btn--ghost', type: 'button', testid: 'transfer', 'aria-haspopup': 'dialog',
      'aria-label': t('console.transferLabel', { name }), onclick: () => openTransfer(id),
    }, t('console.transfer')));
    actions.push(h('button', {
      class: 'btn btn--ghost', type: 'button', testid: 'resolve',
      'aria-label': t('console.resolveLabel', { name }), onclick: () => resolveConversation(id),
    }, icon('check', 16), t('console.resolve')));
  }

  let notice = '';
  if (c.state === 'resolved') notice = t('console.resolvedNote');
  else if (c.state === 'elsewhere') notice = t('console.leftWhileAway');
  else if (c.state === 'assigned' && !mineNow) notice = t('console.takenByOther', { name: c.agent?.name ?? '' });
  else if (c.state !== 'assigned') notice = t('console.readOnly');

  const list = h('ol', {
    class: 'messages', role: 'log', 'aria-live': 'polite', tabindex: '0',
    dataset: { conversationId: id },
  });
  // Messages in seq order, private notes placed among them by time (./timeline.js).
  for (const entry of orderTimeline(S.messages.get(id)?.values() ?? [], S.notes.of(id))) {
    list.append(entry.kind === 'note' ? noteEl(entry.item) : messageEl(entry.item));
  }
  for (const [clientMsgId, p] of S.pendingOut) {
    if (p.conversationId === id) list.append(pendingEl(clientMsgId, p));
  }

  const noting = mineNow && S.noteMode.has(id);
  const input = h('textarea', {
    class: 'reply-input', testid: 'reply-input', rows: '2', maxlength: '4000',
    placeholder: t(noting ? 'console.note.placeholder' : 'console.replyPlaceholder'),
    'aria-label': t(noting ? 'console.note.label' : 'console.replyLabel'),
    role: 'combobox', 'aria-autocomplete': 'list', 'aria-controls': 'canned-list', 'aria-expanded': 'false',
    dataset: { conversationId: id, mode: noting ? 'note' : 'reply' }, disabled: !mineNow,
    onkeydown: (e) => {
      if (e.altKey) return; // Alt+Enter, Alt+↑/↓ are console shortcuts (onShortcut)
      if (cannedKey(e, id, input)) return;
      if (isSendKey(e)) { e.preventDefault(); submitReply(id, input); }
    },
    oninput: () => {
      autoGrow(input, 160);
      S.drafts.set(id, input.value);
      updateCanned(id, input);
      if (!S.noteMode.has(id)) noteTyping(id); // the visitor never sees a note being typed
    },
    onblur: () => { stopTyping(); if (S.canned) closeCanned(); },
  });
  input.value = S.drafts.get(id) ?? '';
  const fileInput = h('input', {
    type: 'file', class: 'file', testid: 'file', accept: IMAGE_TYPES, tabindex: '-1', 'aria-hidden': 'true',
    onchange: () => {
      const file = fileInput.files?.[0];
      fileInput.value = '';
      if (file) uploadImage(id, file);
    },
  });
  const cannedList = h('ul', {
    class: 'canned-list', id: 'canned-list', testid: 'canned-list', role: 'listbox', hidden: true,
    'aria-label': t('console.canned.title'), dataset: { conversationId: id },
  });

  const panel = h('section', {
    class: 'chat', id: 'chat-panel', role: 'tabpanel', 'aria-labelledby': `tab-${id}`,
    testid: 'chat', dataset: { conversationId: id, state: c.state },
  },
  h('header', { class: 'chat-head' },
    h('div', { class: 'chat-title' },
      h('h2', {}, name),
      h('p', { class: 'chat-meta' },
        h('span', { class: `state state--${c.state}` }, t(`console.state.${c.state}`)),
        c.locale ? h('span', { class: 'locale' }, c.locale.toUpperCase()) : null),
      labelsEl(c)),
    h('div', { class: 'chat-actions' }, actions)),
  notice ? h('p', { class: 'notice', role: 'note' }, notice) : null,
  profileEl(t, S.profiles.get(id)),
  feedbackEl(t, S.feedback.summary(id)),
  list,
  h('div', { class: 'typing', testid: 'visitor-typing', hidden: true, 'aria-live': 'polite' }),
  h('form', {
    class: `reply${noting ? ' reply--note' : ''}`, dataset: { mode: noting ? 'note' : 'reply' },
    onsubmit: (e) => { e.preventDefault(); submitReply(id, input); },
  },
    h('div', { class: 'reply-tools' },
      h('button', {
        class: 'tool tool--note', type: 'button', testid: 'note-toggle', disabled: !mineNow,
        'aria-pressed': noting ? 'true' : 'false', title: t('console.note.toggleLabel'),
        'aria-label': t('console.note.toggleLabel'), onclick: () => toggleNoteMode(id),
      }, t('console.note.toggle')),
      h('button', {
        class: 'tool', type: 'button', testid: 'canned-manage', 'aria-haspopup': 'dialog',
        title: t('console.canned.manage'), 'aria-label': t('console.canned.manage'), onclick: () => openCannedManager(),
      }, '/'),
      h('button', {
        class: 'tool', type: 'button', testid: 'attach', disabled: !mineNow || noting,
        title: t('console.attach'), 'aria-label': t('console.attach'), onclick: () => fileInput.click(),
      }, icon('image', 16)),
      fileInput),
    h('div', { class: 'reply-box' }, cannedList, input),
    h('button', {
      class: `btn ${noting ? 'btn--note' : 'btn--primary'}`, type: 'submit', testid: 'reply-send', disabled: !mineNow,
      'aria-label': t(noting ? 'console.note.save' : 'console.send'),
    }, noting ? null : icon('send', 16), t(noting ? 'console.note.save' : 'console.send'))));

  const aside = h('aside', {
    class: 'context', testid: 'context-panel', 'aria-label': t('console.context.title'), dataset: { conversationId: id },
  });
  ui.chatSlot.replaceChildren(panel, aside);
  renderReadMarks();
  renderContext();
  loadContext(id);
  renderTyping();
  renderCanned();
  if (follow) scrollToBottom(list);
  else list.scrollTop = oldList.scrollTop;
  if (hadFocus && !input.disabled) input.focus();
}

/** Whether this agent may label the chat: their own, or any as a supervisor or admin (the server checks again). */
function canLabel(c) {
  return isMine(c) || supervises();
}

/** Label chips in a list row (read only). */
function itemLabels(c) {
  return (c.labels ?? []).length
    ? h('span', { class: 'item-labels' }, c.labels.map((l) => h('span', { class: 'label-chip', testid: 'item-label', dataset: { label: l } }, l)))
    : null;
}

/** The chat header's labels: chips (with × for who may edit) and a box to add one (Enter). */
function labelsEl(c) {
  const editable = canLabel(c) && c.state !== 'resolved';
  const input = editable ? h('input', {
    class: 'label-input', testid: 'label-input', maxlength: '30', placeholder: t('console.labels.add'),
    'aria-label': t('console.labels.addLabel'), list: 'label-suggestions',
    onkeydown: (e) => {
      if (e.key !== 'Enter' || e.isComposing || e.keyCode === 229) return;
      e.preventDefault();
      const value = input.value.trim();
      if (value && S.client.label(c.id, value, true)) input.value = '';
    },
  }) : null;
  // Labels used elsewhere, offered while typing.
  const known = [...new Set([...S.convs.values()].flatMap((x) => x.labels ?? []))].filter((l) => !(c.labels ?? []).includes(l));
  return h('div', { class: 'labels', testid: 'labels', dataset: { conversationId: c.id } },
    (c.labels ?? []).map((l) => h('span', { class: 'label-chip', testid: 'label', dataset: { label: l } }, l,
      editable ? h('button', {
        class: 'label-remove', type: 'button', testid: 'label-remove', 'aria-label': t('console.labels.remove', { label: l }),
        onclick: () => S.client.label(c.id, l, false),
      }, '×') : null)),
    input,
    input ? h('datalist', { id: 'label-suggestions' }, known.map((l) => h('option', { value: l }))) : null);
}

/** What the rows of a chat list are, for timeline.js: messages, notes, and pending replies last. */
function rowsOf(list) {
  return [...list.children].map((li) => {
    if (li.dataset.noteId != null) return { kind: 'note', noteId: li.dataset.noteId, ts: li.dataset.ts };
    if (li.dataset.seq != null) return { kind: 'message', seq: Number(li.dataset.seq), ts: li.dataset.ts };
    return { kind: 'pending' };
  });
}

/** Put a row where the timeline says, keeping the view at the bottom if it was there. */
function insertRow(list, el, entry, follow) {
  const at = insertionIndex(rowsOf(list), entry);
  list.insertBefore(el, list.children[at] ?? null);
  if (follow) scrollToBottom(list);
}

function appendMessage(m) {
  const list = ui.chatSlot.querySelector('.messages');
  if (!list || list.dataset.conversationId !== m.conversationId) return;
  const follow = isNearBottom(list) || m.from?.kind === 'agent';
  if (m.clientMsgId) list.querySelector(`[data-client-msg-id="${CSS.escape(m.clientMsgId)}"]`)?.remove();
  if (list.querySelector(`[data-seq="${m.seq}"]`)) return;
  // Seq order among messages, notes by time, pending replies at the bottom.
  insertRow(list, messageEl(m), { kind: 'message', seq: m.seq, ts: m.ts }, follow);
  renderReadMarks();
}

function appendNote(n) {
  const list = ui.chatSlot.querySelector('.messages');
  if (!n || !list || list.dataset.conversationId !== n.conversationId) return;
  if (list.querySelector(`[data-note-id="${CSS.escape(n.noteId)}"]`)) return;
  const follow = isNearBottom(list) || n.from?.id === S.me?.id;
  insertRow(list, noteEl(n), { kind: 'note', noteId: n.noteId, ts: n.ts }, follow);
}

/** A private note: agents only, never sent to the visitor; no seq. */
function noteEl(n) {
  return h('li', {
    class: 'msg msg--note', testid: 'note', dataset: { noteId: n.noteId, ts: n.ts },
  },
  h('span', { class: 'sender' }, h('span', { class: 'note-label' }, t('console.note.label')), ' ', n.from?.name ?? ''),
  h('div', { class: 'bubble' }, h('span', { class: 'text', testid: 'note-text' }, n.text)),
  h('time', { class: 'meta', datetime: n.ts }, formatTime(n.ts)));
}

function messageEl(m) {
  const kind = m.from?.kind ?? 'system';
  return h('li', {
    class: `msg msg--${kind}`, testid: 'message', dataset: { seq: String(m.seq), kind, ts: m.ts },
  },
  kind === 'system' ? null : h('span', { class: 'sender' }, m.from?.name ?? ''),
  h('div', { class: 'bubble' }, m.attachment?.id ? attachmentImg(m.attachment) : null,
    h('span', { class: 'text', testid: 'text', dataset: { formatted: kind === 'bot' && !m.notice?.code ? '' : null } },
      m.notice?.code ? (noticeText(m.notice, locale) ?? m.text ?? '')
        : kind === 'bot' ? answerNodes(m.text ?? '') : linkify(m.text ?? ''))),
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

/** blob: URLs of images already fetched: the chat view is redrawn often, the images never change. */
const imageUrls = new Map();

/** A conversation image, read with the agent's token (served to participants only). */
function attachmentImg(attachment) {
  const img = h('img', { class: 'chat-image', testid: 'image', alt: t('console.image') });
  const cached = imageUrls.get(attachment.id);
  if (cached) {
    img.src = cached;
    img.dataset.loaded = 'true';
    return img;
  }
  loadImage(img, `/api/attachments/${encodeURIComponent(attachment.id)}`, session.token()).then((ok) => {
    img.dataset.loaded = String(ok);
    if (ok) imageUrls.set(attachment.id, img.src);
  });
  return img;
}

