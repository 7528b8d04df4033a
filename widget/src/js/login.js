/**
 * The sign-in the staff pages share (agent console, admin, users): the login request, the session
 * kept in sessionStorage (so a closed tab forgets it), logging out, and showing the login form.
 */

/** How long logging out waits for the server before forgetting the session here anyway. */
export const LOGOUT_TIMEOUT_MS = 5000;

/** The stored session of one page, under `<prefix>:token` and `<prefix>:user`. */
export function loginSession(prefix, storage = globalThis.sessionStorage) {
  const tokenKey = `${prefix}:token`;
  const userKey = `${prefix}:user`;
  return {
    token: () => storage.getItem(tokenKey),
    user() {
      try { return JSON.parse(storage.getItem(userKey) || 'null'); } catch { return null; }
    },
    save(token, user) {
      storage.setItem(tokenKey, token);
      storage.setItem(userKey, JSON.stringify(user ?? null));
    },
    clear() {
      storage.removeItem(tokenKey);
      storage.removeItem(userKey);
    },
  };
}

/**
 * POST /api/auth/login. Resolves to `{ ok: true, token, user }`, or `{ ok: false, status, message }`
 * where status 0 means the network failed and `message` is the server's words (if any).
 */
export async function requestLogin(email, password, fetchImpl = globalThis.fetch) {
  let res;
  let body = null;
  try {
    res = await fetchImpl('/api/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ email: email.trim(), password }),
    });
    body = await res.json().catch(() => null);
  } catch {
    return { ok: false, status: 0, message: null };
  }
  if (res.ok && body?.token) return { ok: true, token: body.token, user: body.user ?? null };
  return { ok: false, status: res.status, message: body?.message ?? null };
}

/**
 * Logs the stored session out: first on the server ({@link revokeToken}), because clearing
 * sessionStorage alone leaves the token valid for auth.tokenTtlHours to whoever copied it; then here.
 * Best effort: the session is forgotten here whatever the server answers, when the network fails, and
 * after LOGOUT_TIMEOUT_MS. Resolves to true when the server confirmed that the token is revoked.
 */
export async function logOutSession(session, fetchImpl = globalThis.fetch) {
  const token = session.token();
  const revoked = token ? await revokeToken(token, fetchImpl) : false;
  session.clear();
  return revoked;
}

/**
 * POST /api/account/logout with `token` as bearer: the server forgets the token. Also for a token the
 * page will not keep (an agent who signed in on an admin page). Resolves to true when revoked; never
 * rejects (offline or too slow: the token still expires by itself).
 */
export async function revokeToken(token, fetchImpl = globalThis.fetch) {
  try {
    const res = await fetchImpl('/api/account/logout', {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
      signal: AbortSignal.timeout(LOGOUT_TIMEOUT_MS),
    });
    return res.ok;
  } catch {
    return false;
  }
}

/** Shows the login form (hiding the app) with an optional error, and focuses the first empty field. */
export function showLoginView(ui, message = '') {
  ui.appView.hidden = true;
  ui.loginView.hidden = false;
  ui.loginError.textContent = message;
  ui.loginError.hidden = !message;
  ui.loginSubmit.disabled = false;
  (ui.email.value ? ui.password : ui.email).focus();
}
