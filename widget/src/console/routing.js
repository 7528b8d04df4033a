// Routing state of the agent console: offers made to this agent, presence (own and, for admins,
// everyone's) and supervisor alerts. No DOM here, so test/console-routing.test.js can drive it;
// console.js renders what this holds. Frame shapes: docs/protocol.md "Routing".

/** How long past `expiresAt` an offer stays on screen if the server's `offer_withdrawn` never comes (lost socket). */
export const OFFER_GRACE_MS = 5000;

/** Order of the supervisor list: who can take chats first. */
const STATUS_ORDER = { online: 0, away: 1, offline: 2 };

/** Whole seconds until `expiresAt` (rounded up, never negative); 0 for an unparsable time. */
export function secondsLeft(expiresAt, now = Date.now()) {
  const at = Date.parse(expiresAt);
  if (!Number.isFinite(at)) return 0;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

/** "2 / 3" — an agent's open chats and limit; '' until both are known. */
export function formatLoad(load, cap) {
  return Number.isInteger(load) && Number.isInteger(cap) ? `${load} / ${cap}` : '';
}

const WITHDRAW_REASONS = new Set(['timeout', 'declined', 'taken', 'presence']);

/** i18n key of the toast for an `offer_withdrawn` reason (unknown reasons get a neutral one). */
export function withdrawnKey(reason) {
  return WITHDRAW_REASONS.has(reason) ? `console.withdrawn.${reason}` : 'console.withdrawn.other';
}

/** The person a conversation is about, for labels. */
export function visitorLabel(conversation, fallbackId = '') {
  return conversation?.visitor?.name || conversation?.visitor?.id || conversation?.id || fallbackId || '';
}

export class RoutingState {
  /** @param {{id?:string, role?:string}|null} me the logged-in agent (login answer, then welcome) */
  constructor(me = null) {
    this.me = me;
    /** conversationId → {conversationId, expiresAt, conversation} */
    this.offers = new Map();
    /** The server's last word on our own presence: {status, load, cap, reason} or null. */
    this.self = null;
    /** agentId → {id, name, status, load, cap}: other agents (admins only). */
    this.agents = new Map();
    /** conversationId → alert frame (admins only). */
    this.alerts = new Map();
    /**
     * Chats this agent declined and was not offered again since. The server holds them back from this
     * agent for a cool-off (routing.declineCooldownSeconds) while they stay queued, so the queue list
     * marks them: otherwise a chat in the list that never comes as an offer looks like a fault.
     */
    this.declined = new Set();
  }

  get isAdmin() {
    return this.me?.role === 'admin';
  }

  setMe(me) {
    this.me = me;
    // An admin learns their own frames apart from the others': never list oneself.
    if (me?.id) this.agents.delete(me.id);
  }

  // ---- offers -------------------------------------------------------------------------------

  /** An `offer` frame. Returns true when it is new (sound, notification), false for a repeat or junk. */
  offer(frame) {
    const id = frame?.conversationId;
    if (typeof id !== 'string') return false;
    const isNew = !this.offers.has(id);
    this.offers.set(id, { conversationId: id, expiresAt: frame.expiresAt, conversation: frame.conversation ?? { id } });
    this.declined.delete(id);
    return isNew;
  }

  /**
   * An `offer_withdrawn` frame. Returns the offer it removed, or null if we had none (already gone).
   * `declined` also comes when another tab of ours declined it: this tab marks it too.
   */
  withdraw(frame) {
    if (frame?.reason === 'declined' && typeof frame.conversationId === 'string') this.declined.add(frame.conversationId);
    return this.drop(frame?.conversationId);
  }

  /** We declined an offer: forget it and mark the chat as declined by us. Returns the offer, or null. */
  decline(conversationId) {
    if (typeof conversationId === 'string') this.declined.add(conversationId);
    return this.drop(conversationId);
  }

  /** Forget an offer locally (we accepted or declined it). Returns it, or null. */
  drop(conversationId) {
    const offer = this.offers.get(conversationId) ?? null;
    this.offers.delete(conversationId);
    return offer;
  }

  /** Offers, the one expiring first on top. */
  sortedOffers() {
    return [...this.offers.values()].sort((a, b) => (Date.parse(a.expiresAt) || 0) - (Date.parse(b.expiresAt) || 0));
  }

  /** Remove offers more than `graceMs` past their expiry (their withdrawal was lost). Returns the removed ids. */
  prune(now = Date.now(), graceMs = OFFER_GRACE_MS) {
    const gone = [];
    for (const [id, offer] of this.offers) {
      const at = Date.parse(offer.expiresAt);
      if (!Number.isFinite(at) || now > at + graceMs) gone.push(id);
    }
    for (const id of gone) this.offers.delete(id);
    return gone;
  }

  /**
   * A conversation changed (conversation push or status). Once it is no longer queued, neither
   * an offer nor an "unplaced" alert about it means anything. Returns whether something was removed.
   */
  conversationChanged(conversation) {
    if (!conversation?.id || conversation.state === 'queued' || conversation.state == null) return false;
    const hadOffer = this.offers.delete(conversation.id);
    const hadAlert = this.alerts.delete(conversation.id);
    const wasDeclined = this.declined.delete(conversation.id);
    return hadOffer || hadAlert || wasDeclined;
  }

  // ---- presence -----------------------------------------------------------------------------

  /**
   * A `presence` frame. 'self' when it is about the logged-in agent, 'other' when stored in the
   * supervisor list, null when malformed.
   *
   * `reason` ('missed_offers': the server set the agent away after offers ran out unanswered) comes
   * on the frame of that change and on every presence frame after it while the status lasts (also the
   * one a console gets when it connects: a reload, a second tab). A server of the version before sent
   * it on the first frame only, so a frame without it keeps it for as long as the status stays the same.
   */
  presence(frame) {
    const agent = frame?.agent;
    if (!agent?.id || typeof frame.status !== 'string') return null;
    const isSelf = this.me?.id != null && agent.id === this.me.id;
    const before = isSelf ? this.self : this.agents.get(agent.id);
    const reason = typeof frame.reason === 'string' ? frame.reason
      : before?.status === frame.status ? before.reason ?? null : null;
    const entry = { status: frame.status, load: frame.load, cap: frame.cap, reason };
    if (isSelf) {
      this.self = entry;
      return 'self';
    }
    // Only admins are sent other agents' presence (the server decides; we do not second-guess it).
    this.agents.set(agent.id, { id: agent.id, name: agent.name ?? agent.id, ...entry });
    return 'other';
  }

  /** Our own status as the server last said it ('online' for a connecting agent until it says). */
  get status() {
    return this.self?.status ?? 'online';
  }

  /**
   * Why the server set us away, while we still are: 'missed_offers', or null (online, or away by our
   * own choice). The console shows a notice with the way back online until the status changes.
   */
  get awayReason() {
    return this.self && this.self.status !== 'online' ? this.self.reason ?? null : null;
  }

  /** The supervisor list: online first, then away, then offline; by name within each. */
  agentRows() {
    return [...this.agents.values()].sort((a, b) =>
      (STATUS_ORDER[a.status] ?? 3) - (STATUS_ORDER[b.status] ?? 3) || String(a.name).localeCompare(String(b.name)));
  }

  // ---- alerts -------------------------------------------------------------------------------

  /** An `alert` frame (the server sends them to admins only). Returns true when it is new. */
  alert(frame) {
    const id = frame?.conversationId;
    if (typeof id !== 'string') return false;
    const isNew = !this.alerts.has(id);
    this.alerts.set(id, frame);
    return isNew;
  }

  dismissAlert(conversationId) {
    return this.alerts.delete(conversationId);
  }

  /** Forget everything that belonged to the old session (logout). */
  clear() {
    this.offers.clear();
    this.agents.clear();
    this.alerts.clear();
    this.declined.clear();
    this.self = null;
  }
}

/**
 * The agent's words for a refusal, chosen by its code (and what was refused), in the console's
 * language: never the server's English message. `self` is RoutingState.self ({load, cap}), so an
 * accept refused at the chat limit says so.
 */
export function errorReason(t, code, { action = null, self = null } = {}) {
  if (action === 'accept' && code === 'conflict') {
    return Number.isFinite(self?.cap) && self.cap > 0 && self.load >= self.cap
      ? t('console.reason.accept.limit', { cap: self.cap })
      : t('console.reason.accept.conflict');
  }
  const keys = action ? [`console.reason.${action}.${code}`, `console.reason.${code}`] : [`console.reason.${code}`];
  for (const key of keys) {
    const text = t(key);
    if (text !== key) return text;
  }
  return t('error.generic');
}

/** Order of the greyed-out transfer targets: who may be free soonest first. */
const UNAVAILABLE_ORDER = { at_limit: 0, away: 1, offline: 2, pending: 3 };

/**
 * The transfer dialog's agents from the server's `colleagues` answer (docs/protocol.md "Who can take
 * it"): those a transfer would go to now first, least busy first, pickable; then the others, greyed,
 * each with why not (at limit, away, offline, invited), so the agent sees the colleague they had in mind
 * is there but cannot take it, instead of wondering where they went. Disabled accounts are left out: they
 * are nobody's colleague any more. Returns [{id, name, pickable, reason, state, load, cap, teams}].
 */
export function transferTargets(colleagues) {
  const byName = (a, b) => a.name.localeCompare(b.name, 'ko') || a.id.localeCompare(b.id);
  const rows = (Array.isArray(colleagues) ? colleagues : [])
    .filter((c) => c && typeof c.id === 'string' && c.reason !== 'disabled')
    .map((c) => ({
      id: c.id,
      name: String(c.name || c.id),
      pickable: c.available === true,
      reason: c.available === true ? null : String(c.reason ?? 'offline'),
      state: String(c.state ?? 'offline'),
      load: c.load,
      cap: c.cap,
      teams: Array.isArray(c.teams) ? c.teams : [],
    }));
  const free = rows.filter((r) => r.pickable)
    .sort((a, b) => ((a.load ?? 0) - (b.load ?? 0)) || byName(a, b));
  const rank = (r) => UNAVAILABLE_ORDER[r.reason] ?? 4;
  const busy = rows.filter((r) => !r.pickable).sort((a, b) => (rank(a) - rank(b)) || byName(a, b));
  return [...free, ...busy];
}
