import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loginSession, logOutSession, requestLogin, revokeToken, LOGOUT_TIMEOUT_MS } from '../src/js/login.js';

function memoryStorage() {
  const m = new Map();
  return { getItem: (k) => (m.has(k) ? m.get(k) : null), setItem: (k, v) => m.set(k, String(v)), removeItem: (k) => m.delete(k) };
}

test('a session keeps token and user under its own prefix and forgets both', () => {
  const storage = memoryStorage();
  const console = loginSession('sodam:console', storage);
  const admin = loginSession('sodam:admin', storage);
  console.save('at_1', { id: 'ag_1', role: 'agent' });
  assert.equal(console.token(), 'at_1');
  assert.deepEqual(console.user(), { id: 'ag_1', role: 'agent' });
  assert.equal(admin.token(), null, 'pages do not share a session');
  console.clear();
  assert.equal(console.token(), null);
  assert.equal(console.user(), null);
});

test('a corrupt stored user reads as null instead of throwing', () => {
  const storage = memoryStorage();
  storage.setItem('sodam:admin:user', '{not json');
  assert.equal(loginSession('sodam:admin', storage).user(), null);
});

test('requestLogin posts trimmed credentials and reports success, refusal and network failure', async () => {
  let sent;
  const ok = await requestLogin('  kim@sodam.test ', 'pw', async (url, init) => {
    sent = { url, body: JSON.parse(init.body) };
    return { ok: true, status: 200, json: async () => ({ token: 'at_9', user: { id: 'ag_9' } }) };
  });
  assert.deepEqual(sent, { url: '/api/auth/login', body: { email: 'kim@sodam.test', password: 'pw' } });
  assert.deepEqual(ok, { ok: true, token: 'at_9', user: { id: 'ag_9' } });

  const refused = await requestLogin('a@b.c', 'x', async () => ({ ok: false, status: 401,
    json: async () => ({ code: 'unauthorized', message: 'wrong email or password' }) }));
  assert.deepEqual(refused, { ok: false, status: 401, message: 'wrong email or password' });

  const offline = await requestLogin('a@b.c', 'x', async () => { throw new TypeError('network'); });
  assert.deepEqual(offline, { ok: false, status: 0, message: null });
});

test('logOutSession revokes the token on the server first, then forgets the session', async () => {
  const storage = memoryStorage();
  const session = loginSession('sodam:admin', storage);
  session.save('at_7', { id: 'ag_7', role: 'admin' });
  let sent;
  const revoked = await logOutSession(session, async (url, init) => {
    sent = { url, method: init.method, authorization: init.headers.Authorization, signal: init.signal,
      storedWhileSending: storage.getItem('sodam:admin:token') };
    return { ok: true, status: 200, json: async () => ({ loggedOut: true }) };
  });
  assert.equal(revoked, true);
  assert.equal(sent.url, '/api/account/logout');
  assert.equal(sent.method, 'POST');
  assert.equal(sent.authorization, 'Bearer at_7');
  assert.equal(sent.storedWhileSending, 'at_7', 'the server hears of it before the page forgets it');
  assert.ok(sent.signal instanceof AbortSignal, 'a hung server cannot keep the user logged in');
  assert.ok(LOGOUT_TIMEOUT_MS > 0 && LOGOUT_TIMEOUT_MS <= 10000);
  assert.equal(session.token(), null);
  assert.equal(session.user(), null);
});

test('logOutSession still forgets the session when the network fails or the server refuses', async () => {
  const session = loginSession('sodam:console', memoryStorage());
  session.save('at_1', { id: 'ag_1' });
  assert.equal(await logOutSession(session, async () => { throw new TypeError('network'); }), false);
  assert.equal(session.token(), null);

  session.save('at_2', { id: 'ag_1' });
  assert.equal(await logOutSession(session, async () => ({ ok: false, status: 401, json: async () => null })), false);
  assert.equal(session.token(), null);
});

test('logOutSession without a stored token asks the server nothing', async () => {
  let calls = 0;
  assert.equal(await logOutSession(loginSession('sodam:admin', memoryStorage()), async () => { calls += 1; }), false);
  assert.equal(calls, 0);
});

test('revokeToken posts the logout with the token as bearer and never rejects', async () => {
  const calls = [];
  assert.equal(await revokeToken('tok-1', async (url, init) => {
    calls.push([url, init.method, init.headers.Authorization]);
    return { ok: true, status: 204 };
  }), true);
  assert.deepEqual(calls, [['/api/account/logout', 'POST', 'Bearer tok-1']]);
  assert.equal(await revokeToken('tok-2', async () => { throw new TypeError('offline'); }), false);
});

test('an admin page that refuses a non-admin login revokes the token it will not keep', () => {
  for (const page of ['admin/admin.js', 'admin/access.js']) {
    const source = readFileSync(new URL(`../src/${page}`, import.meta.url), 'utf8');
    assert.match(source, /role !== 'admin'\) \{\s*(\/\/[^\n]*\n\s*)*revokeToken\(result\.token\);/, page);
  }
});

test('every staff page logs out through logOutSession, none posts the logout itself', () => {
  for (const page of ['admin/admin.js', 'admin/access.js', 'console/console.js']) {
    const source = readFileSync(new URL(`../src/${page}`, import.meta.url), 'utf8');
    assert.match(source, /import \{[^}]*\blogOutSession\b[^}]*\} from '\/js\/login\.js'/, page);
    assert.match(source, /ui\.logout\.addEventListener\('click', signOut\)/, `${page}: the button signs out`);
    assert.match(source, /async function signOut\(\) \{[^}]*await logOutSession\(session\);[^}]*logout\(\);/, page);
    assert.doesNotMatch(source, /\/api\/account\/logout/, `${page}: one shared function, no copy`);
  }
  const users = readFileSync(new URL('../src/admin/access.html', import.meta.url), 'utf8');
  assert.match(users, /<button id="logout"[^>]*data-testid="logout"/, '/admin/users has a logout button');
});
