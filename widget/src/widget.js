/*! Sodam chat widget loader. Paste on any page:
 *  <script src="https://chat.example.com/widget.js" data-site="demo" async></script>
 * Optional: data-locale="ko|en" (default: from <html lang>).
 * This is a classic script on purpose (site owners paste it as is); the real widget is an ES
 * module loaded from the same host, so this file stays tiny and rarely changes.
 */
(function () {
  'use strict';
  var script = document.currentScript ||
    document.querySelector('script[data-site][src*="widget.js"]');
  if (!script || !script.src) return;
  if (window.__sodamWidgetLoaded) return; // pasted twice: one widget is enough
  window.__sodamWidgetLoaded = true;

  var site = script.getAttribute('data-site') || 'demo';
  var locale = script.getAttribute('data-locale') || undefined;
  var base = new URL('./', script.src).href; // directory of widget.js = the Sodam server

  import(new URL('js/visitor/widget.js', base).href)
    .then(function (mod) { mod.mount({ site: site, base: base, locale: locale }); })
    .catch(function (err) { console.error('[sodam] widget failed to load', err); });
})();
