// The supervisor view of the console: the queue and every agent at a glance. DOM-free
// (test/console-supervisor.test.js); the console draws it for supervisors and admins.

/** Roles that see the supervisor view (the server sends them every agent's presence). */
export const SUPERVISING_ROLES = Object.freeze(['supervisor', 'admin']);

export function supervisesRole(role) {
  return SUPERVISING_ROLES.includes(role);
}

/** Whole seconds since an ISO time (0 when in the future or unknown). */
export function secondsSince(iso, now = Date.now()) {
  const t = new Date(iso ?? '').getTime();
  return Number.isFinite(t) ? Math.max(0, Math.floor((now - t) / 1000)) : 0;
}

/** A wait as a clock reads: "0:45", "3:05", "1:02:00" (the same in both languages). */
export function formatDuration(seconds) {
  const s = Math.max(0, Math.floor(seconds || 0));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n) => String(n).padStart(2, '0');
  return h ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

/**
 * What the supervisor sees now: the queue in its order with each chat's waiting time, the longest
 * wait, and the agents' totals. `conversations`: the console's known conversations; `agents`: the
 * presence rows `{id, name, status, load, cap}`.
 */
export function overview(conversations, agents, now = Date.now()) {
  const waiting = [...conversations]
    .filter((c) => c?.state === 'queued')
    .map((c) => ({
      id: c.id, name: c.visitor?.name ?? c.id, since: c.waitingSince ?? null, seconds: secondsSince(c.waitingSince, now),
      position: c.queuePosition ?? null, urgent: Boolean(c.urgent), locale: c.locale ?? null,
    }))
    .sort((a, b) => (a.position ?? Infinity) - (b.position ?? Infinity) || b.seconds - a.seconds);
  const rows = [...agents];
  const count = (status) => rows.filter((a) => a.status === status).length;
  const online = rows.filter((a) => a.status === 'online');
  const sum = (list, key) => list.reduce((n, a) => n + (Number.isInteger(a[key]) ? a[key] : 0), 0);
  return {
    queueLength: waiting.length,
    longestWait: waiting.reduce((max, w) => Math.max(max, w.seconds), 0),
    waiting,
    agents: { online: count('online'), away: count('away'), offline: count('offline'), load: sum(online, 'load'), cap: sum(online, 'cap') },
  };
}
