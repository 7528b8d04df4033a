// The classic-script loader (src/widget.js) in a fake page: window.Sodam, the queue of calls made
// before the module is there, what is (not) loaded before the visitor opens the chat, globals.
import test from 'node:test';
import assert from 'node:assert/strict';
import vm from 'node:vm';
import { readFileSync } from 'node:fs';

const LOADER = readFileSync(new URL('../src/widget.js', import.meta.url), 'utf8');

function fakeElement(tag) {
  const el = {
    tag, attrs: {}, children: [], listeners: {}, textContent: '', shadowRoot: null, id: '', type: '', className: '',
    setAttribute(k, v) { this.attrs[k] = String(v); },
    getAttribute(k) { return this.attrs[k] ?? null; },
    appendChild(c) { this.children.push(c); return c; },
    addEventListener(type, fn) { (this.listeners[type] ??= []).push(fn); },
    querySelector(sel) { return this.children.find((c) => c.tag === sel) ?? null; },
    attachShadow() { this.shadowRoot = fakeElement('#shadow'); return this.shadowRoot; },
  };
  return el;
}

function fakeStorage(initial = {}) {
  const map = new Map(Object.entries(initial));
  return {
    map,
    writes: 0,
    getItem(k) { return map.has(k) ? map.get(k) : null; },
    setItem(k, v) { this.writes += 1; map.set(k, String(v)); },
    removeItem(k) { this.writes += 1; map.delete(k); },
  };
}

/**
 * Runs the loader in a fresh context. `__import` stands in for import() (vm scripts cannot
 * import without an experimental flag); the test resolves it when it wants the module "loaded".
 */
function page({ attrs = {}, local = {}, session = {}, globals = {}, lang = 'ko', noBody = false } = {}) {
  const warnings = [];
  const imports = [];
  const body = fakeElement('body');
  const script = fakeElement('script');
  script.src = 'https://chat.example.com/widget.js';
  script.attrs = { 'data-site': 'demo', ...attrs };
  const docListeners = {};
  const document = {
    currentScript: script,
    body: noBody ? null : body,
    documentElement: { lang },
    createElement: fakeElement,
    createElementNS: (ns, tag) => fakeElement(tag),
    querySelector: () => script,
    addEventListener(type, fn) { (docListeners[type] ??= []).push(fn); },
  };
  const window = {
    localStorage: fakeStorage(local),
    sessionStorage: fakeStorage(session),
    ...globals,
  };
  const context = vm.createContext({
    window, document, URL, Object, console: { warn: (...a) => warnings.push(a.join(' ')), error: () => {} },
    __import(url) {
      let resolve;
      const p = new Promise((r) => { resolve = r; });
      imports.push({ url, resolve });
      return p;
    },
  });
  const run = () => vm.runInContext(LOADER.replace("import(new URL('js/visitor/widget.js'", "__import(new URL('js/visitor/widget.js'"), context);
  run();
  const before = new Set(Object.keys(globals));
  const domReady = () => {
    document.body = body;
    for (const fn of docListeners.DOMContentLoaded ?? []) fn();
  };
  return {
    window, document, body, warnings, imports, run, domReady,
    newGlobals: () => Object.keys(window).filter((k) => !before.has(k) && k !== 'localStorage' && k !== 'sessionStorage'),
    launcher: () => body.children[0]?.shadowRoot?.children.find((c) => c.tag === 'button'),
  };
}

/** A module stand-in recording what mount() got and every call on the widget API. */
function fakeModule() {
  const calls = [];
  const listeners = [];
  const widget = {
    open: () => calls.push(['open']),
    close: () => calls.push(['close']),
    setLocale: (l) => calls.push(['setLocale', l]),
    on: (type, fn) => {
      const entry = { type, fn, live: true };
      listeners.push(entry);
      calls.push(['on', type]);
      return () => { entry.live = false; };
    },
  };
  const mod = { mountedWith: null, mount(opts) { mod.mountedWith = opts; return widget; } };
  return { mod, calls, listeners };
}

const tick = () => new Promise((r) => setImmediate(r));

test('the loader draws only the bubble: no module, no storage written, until the visitor opens it', () => {
  const p = page();
  assert.equal(p.imports.length, 0, 'the widget module is not loaded');
  assert.equal(p.window.localStorage.writes, 0);
  assert.equal(p.window.sessionStorage.writes, 0);
  const host = p.body.children[0];
  assert.equal(host.id, 'sodam-widget');
  const button = p.launcher();
  assert.equal(button.getAttribute('data-testid'), 'launcher');
  assert.equal(button.getAttribute('aria-label'), '상담 채팅 열기');

  button.listeners.click[0]();
  assert.equal(p.imports.length, 1);
  assert.equal(p.imports[0].url, 'https://chat.example.com/js/visitor/widget.js');
  assert.equal(button.getAttribute('aria-busy'), 'true');
  button.listeners.click[0]();
  assert.equal(p.imports.length, 1, 'loaded once');
});

test('calls made before the module loaded are queued and replayed in order; listeners first', async () => {
  const p = page();
  const api = p.window.Sodam;
  const got = [];
  const offEarly = api.on('open', () => got.push('early'));
  const offDropped = api.on('message', () => got.push('dropped'));
  offDropped(); // unsubscribed before the module arrived: never attached
  api.setLocale('en');
  api.close();
  api.open();
  assert.equal(p.imports.length, 1, 'open() loads the module');
  const { mod, calls, listeners } = fakeModule();
  p.imports[0].resolve(mod);
  await tick();

  assert.deepEqual({ ...mod.mountedWith, host: mod.mountedWith.host === p.body.children[0] },
    { site: 'demo', base: 'https://chat.example.com/', locale: undefined, host: true });
  assert.deepEqual(calls, [['on', 'open'], ['setLocale', 'en'], ['close'], ['open']]);
  assert.deepEqual(listeners.map((l) => l.type), ['open']);

  // Unsubscribing later reaches the real subscription.
  offEarly();
  assert.equal(listeners[0].live, false);

  // After loading, calls go straight through.
  api.close();
  const off = api.on('close', () => {});
  assert.equal(typeof off, 'function');
  assert.deepEqual(calls.slice(4), [['close'], ['on', 'close']]);
});

test('on() before load does not load anything; a failed load can be retried', async () => {
  const p = page();
  p.window.Sodam.on('message', () => {});
  assert.equal(p.imports.length, 0);
  p.window.Sodam.open();
  p.imports[0].resolve(Promise.reject(new Error('offline')));
  await tick();
  p.window.Sodam.open();
  assert.equal(p.imports.length, 2, 'a later open tries again');
  const { mod, calls } = fakeModule();
  p.imports[1].resolve(mod);
  await tick();
  assert.deepEqual(calls, [['on', 'message'], ['open'], ['open']]);
});

test('a returning visitor (stored conversation or unsent messages), a panel left open, or data-eager loads at once', () => {
  assert.equal(page({ local: { 'sodam:demo:conversationId': 'cv_1' } }).imports.length, 1);
  assert.equal(page({ local: { 'sodam:demo:outbox': '[]' } }).imports.length, 1);
  assert.equal(page({ session: { 'sodam:demo:open': '1' } }).imports.length, 1);
  assert.equal(page({ attrs: { 'data-eager': 'true' } }).imports.length, 1);
  assert.equal(page({ local: { 'sodam:other-site:conversationId': 'cv_1' } }).imports.length, 0, 'per site');
  assert.equal(page({ attrs: { 'data-eager': 'false' } }).imports.length, 0);
});

test('window.Sodam is the only global; a foreign Sodam is kept and ours becomes SodamChat with one warning', () => {
  const clean = page();
  assert.deepEqual(clean.newGlobals(), ['Sodam']);
  assert.equal(clean.warnings.length, 0);

  const broken = { broken: true };
  const p = page({ globals: { Sodam: broken } });
  assert.equal(p.window.Sodam, broken, 'not clobbered');
  assert.deepEqual(p.newGlobals(), ['SodamChat']);
  assert.equal(typeof p.window.SodamChat.open, 'function');
  assert.equal(p.warnings.length, 1);
  assert.match(p.warnings[0], /SodamChat/);

  p.run(); // pasted twice
  assert.equal(p.warnings.length, 1, 'warned once');
  assert.equal(p.body.children.length, 1, 'one bubble');
});

test('pasting the tag twice leaves one bubble and one API', () => {
  const p = page();
  const api = p.window.Sodam;
  p.run();
  assert.equal(p.window.Sodam, api);
  assert.equal(p.body.children.length, 1);
});

test('the English page gets an English bubble label', () => {
  assert.equal(page({ lang: 'en' }).launcher().getAttribute('aria-label'), 'Open chat');
  assert.equal(page({ lang: 'en', attrs: { 'data-locale': 'ko' } }).launcher().getAttribute('aria-label'), '상담 채팅 열기');
});

test('a script in <head>: the bubble waits for <body>, and an early open() loads right after it', async () => {
  const p = page({ noBody: true });
  p.window.Sodam.open();
  assert.equal(p.imports.length, 0);
  assert.equal(p.body.children.length, 0);
  p.domReady();
  assert.equal(p.body.children.length, 1, 'one bubble');
  assert.equal(p.imports.length, 1);
  const { mod, calls } = fakeModule();
  p.imports[0].resolve(mod);
  await tick();
  assert.equal(mod.mountedWith.host, p.body.children[0], 'the module takes over that bubble');
  assert.deepEqual(calls, [['open']]);
});
