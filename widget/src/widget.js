/*! Sodam chat widget loader. Paste on any page:
 *  <script src="https://chat.example.com/widget.js" data-site="demo" async></script>
 * Optional: data-locale="ko|en" (default: from <html lang>); data-eager="true" connects at once.
 * This is a classic script on purpose (site owners paste it as is). It only draws the chat bubble
 * and defines window.Sodam; the real widget (an ES module from the same host) is loaded, and the
 * socket and localStorage used, when the visitor opens the chat — or at once for a returning
 * visitor with a stored conversation, or with data-eager="true".
 */
(function () {
  'use strict';
  var w = window, d = document;
  var script = document.currentScript || d.querySelector('script[data-site][src*="widget.js"]');
  if (!script || !script.src) return;
  function ours(o) { return !!(o && o.__sodam); }
  if (ours(w.Sodam) || ours(w.SodamChat)) return; // pasted twice: one widget is enough

  var site = script.getAttribute('data-site') || 'demo';
  var locale = script.getAttribute('data-locale') || undefined;
  var eager = script.getAttribute('data-eager') === 'true';
  var base = new URL('./', script.src).href; // directory of widget.js = the Sodam server
  var key = 'sodam:' + site + ':';
  var queue = [], subs = [], impl = null, loading = false, host = null, early = false;

  function call(name, args) {
    if (impl) return impl[name].apply(impl, args);
    queue.push([name, args]);
  }
  var api = {
    open: function () { call('open', []); load(); },
    close: function () { call('close', []); },
    setLocale: function (l) { call('setLocale', [l]); },
    identify: function (p) { call('identify', [p]); },
    on: function (type, fn) {
      if (impl) return impl.on(type, fn);
      var sub = { type: type, fn: fn, off: null, dead: false };
      subs.push(sub);
      return function () { sub.dead = true; if (sub.off) sub.off(); };
    },
  };
  Object.defineProperty(api, '__sodam', { value: true });
  if (w.Sodam === undefined) w.Sodam = api;
  else {
    w.SodamChat = api;
    console.warn('[sodam] window.Sodam belongs to something else; the chat API is window.SodamChat');
  }

  function stored(area, k) {
    try { return w[area].getItem(key + k); } catch (e) { return null; }
  }

  function load() {
    if (!host) { early = true; return; } // open() before <body>: load once the bubble is there
    if (loading) return;
    loading = true;
    host.shadowRoot.querySelector('button').setAttribute('aria-busy', 'true');
    import(new URL('js/visitor/widget.js', base).href)
      .then(function (mod) {
        var widget = mod.mount({ site: site, base: base, locale: locale, host: host });
        subs.forEach(function (s) { if (!s.dead) s.off = widget.on(s.type, s.fn); });
        impl = widget;
        queue.splice(0).forEach(function (c) { widget[c[0]].apply(widget, c[1]); });
      })
      .catch(function (err) { loading = false; console.error('[sodam] widget failed to load', err); });
  }

  function bubble() {
    // The same launcher the module draws (styles.js), so nothing moves when it takes over.
    host = d.createElement('div');
    host.id = 'sodam-widget';
    var shadow = host.attachShadow({ mode: 'open' });
    var style = d.createElement('style');
    style.textContent = ':host{all:initial!important;display:block!important}' +
      'button{all:initial;position:fixed;right:20px;bottom:20px;z-index:2147483000;display:grid;' +
      'place-items:center;width:58px;height:58px;border-radius:50%;background:#0f766e;color:#fff;cursor:pointer;' +
      'box-shadow:0 8px 24px rgba(15,118,110,.35),0 2px 6px rgba(0,0,0,.15)}' +
      'button[aria-busy]{opacity:.8;cursor:progress}' +
      '@media (max-width:479.98px){button{right:calc(16px + env(safe-area-inset-right,0px));' +
      'bottom:calc(16px + env(safe-area-inset-bottom,0px))}}';
    var b = d.createElement('button');
    b.type = 'button';
    b.setAttribute('data-testid', 'launcher');
    b.setAttribute('aria-expanded', 'false');
    var ko = (locale || d.documentElement.lang || '').toLowerCase().indexOf('ko') === 0;
    b.setAttribute('aria-label', ko ? '상담 채팅 열기' : 'Open chat');
    var ns = 'http://www.w3.org/2000/svg', svg = d.createElementNS(ns, 'svg'), path = d.createElementNS(ns, 'path');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('width', '26');
    svg.setAttribute('height', '26');
    svg.setAttribute('aria-hidden', 'true');
    path.setAttribute('d', 'M4 5h16v11H8l-4 4z');
    path.setAttribute('fill', 'none');
    path.setAttribute('stroke', 'currentColor');
    path.setAttribute('stroke-width', '2');
    path.setAttribute('stroke-linejoin', 'round');
    svg.appendChild(path);
    b.appendChild(svg);
    b.addEventListener('click', api.open);
    shadow.appendChild(style);
    shadow.appendChild(b);
    d.body.appendChild(host);
    // A returning visitor (stored conversation or unsent messages), a panel left open before a
    // reload, or a site that asks: load now, so the badge and history are there.
    if (early || eager || stored('localStorage', 'conversationId') || stored('localStorage', 'outbox') ||
        stored('sessionStorage', 'open')) load();
  }

  if (d.body) bubble();
  else d.addEventListener('DOMContentLoaded', bubble);
})();
