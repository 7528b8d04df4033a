// Leases in shared storage (localStorage) so that, of several tabs of the same visitor, only one
// does a given thing: re-send one pending message, play the chime for one new message.
//
// Why not the Web Locks API: it cannot say "someone else holds this, try again at T", it does not
// exist in every browser a shop's customers use, and it cannot be tested without a browser.
// localStorage is shared by every tab of the origin and is synchronous, so write-then-read-back
// makes the window for two tabs both believing they own a lease very small; the server's
// clientMsgId dedupe is the backstop if that ever happens.

export const DEFAULT_LEASE_MS = 10000;

function parse(raw) {
  if (!raw) return null;
  try {
    const lease = JSON.parse(raw);
    return lease && typeof lease.owner === 'string' && Number.isFinite(lease.until) ? lease : null;
  } catch {
    return null;
  }
}

function defaultTabId() {
  return `t-${Math.random().toString(36).slice(2, 10)}${Date.now().toString(36)}`;
}

export class TabLock {
  /**
   * @param {object} o
   * @param {{get(k):string|null,set(k,v),remove(k)}} o.storage shared by the tabs (already prefixed per site)
   * @param {string} [o.tabId] this tab; keep it in sessionStorage so a reloaded tab still owns its leases
   * @param {() => number} [o.now]
   * @param {number} [o.leaseMs] how long a lease holds if its owner goes silent (crash, closed tab)
   */
  constructor({ storage, tabId = defaultTabId(), now = () => Date.now(), leaseMs = DEFAULT_LEASE_MS }) {
    this.storage = storage;
    this.tabId = tabId;
    this.now = now;
    this.leaseMs = leaseMs;
    /** Names this tab holds, so they can all be released when the page goes away. */
    this.held = new Set();
  }

  key(name) {
    return `lock:${name}`;
  }

  /**
   * Take (or renew) the lease on `name`. Returns {ok: true} or {ok: false, retryAt} when another
   * tab holds a live lease until `retryAt`.
   */
  acquire(name) {
    const key = this.key(name);
    const t = this.now();
    let current;
    try {
      current = parse(this.storage.get(key));
    } catch {
      return { ok: true }; // no shared storage: this tab is alone
    }
    if (current && current.owner !== this.tabId && current.until > t) return { ok: false, retryAt: current.until };
    try {
      this.storage.set(key, JSON.stringify({ owner: this.tabId, until: t + this.leaseMs }));
      const check = parse(this.storage.get(key));
      if (check && check.owner !== this.tabId) return { ok: false, retryAt: check.until };
    } catch {
      return { ok: true };
    }
    this.held.add(name);
    return { ok: true };
  }

  /** Whether another tab holds a live lease on `name`. */
  heldElsewhere(name) {
    try {
      const current = parse(this.storage.get(this.key(name)));
      return Boolean(current && current.owner !== this.tabId && current.until > this.now());
    } catch {
      return false;
    }
  }

  /** Drop our lease on `name` (or a dead one left by a vanished tab); a live foreign lease stays. */
  release(name) {
    this.held.delete(name);
    try {
      const current = parse(this.storage.get(this.key(name)));
      if (!current) {
        this.storage.remove(this.key(name)); // unparsable leftovers too
        return;
      }
      if (current.owner === this.tabId || current.until <= this.now()) this.storage.remove(this.key(name));
    } catch {
      /* storage gone: nothing to release */
    }
  }

  /** Release everything this tab holds (page hidden for good, client closed). */
  releaseAll() {
    for (const name of [...this.held]) this.release(name);
  }
}
