/**
 * The sign-in both staff pages share (agent console, admin): the login request, the session kept
 * in sessionStorage (so a closed tab forgets it), and showing the login form.
 */

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

/** Shows the login form (hiding the app) with an optional error, and focuses the first empty field. */
export function showLoginView(ui, message = '') {
  ui.appView.hidden = true;
  ui.loginView.hidden = false;
  ui.loginError.textContent = message;
  ui.loginError.hidden = !message;
  ui.loginSubmit.disabled = false;
  (ui.email.value ? ui.password : ui.email).focus();
}
