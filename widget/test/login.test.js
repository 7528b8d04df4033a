import test from 'node:test';
import assert from 'node:assert/strict';
import { loginSession, requestLogin } from '../src/js/login.js';

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
