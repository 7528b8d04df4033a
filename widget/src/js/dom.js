// Tiny DOM helpers shared by the visitor widget and the agent console.
//
// Why not innerHTML: every string that reaches the page (visitor, agent, FAQ, server labels)
// goes through textContent / text nodes, so none of it can ever be parsed as HTML.
// test/no-html-sinks.test.js enforces that no file under src/ feeds data to an HTML sink.

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * h('button', {class: 'x', testid: 'send', 'aria-label': '…', onclick: fn}, 'text', childNode)
 * - `text` sets textContent; `testid` sets data-testid; `dataset` merges data-* (null skipped);
 * - `on<event>` adds a listener; `true` becomes an empty attribute; null/false are skipped;
 * - string children become text nodes (never markup).
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value == null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = value;
    else if (key === 'testid') el.dataset.testid = value;
    else if (key === 'dataset') {
      for (const [k, v] of Object.entries(value)) if (v != null) el.dataset[k] = String(v);
    }
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key in el && typeof value !== 'string' && typeof value !== 'number') el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child == null || child === false) continue;
    el.append(typeof child === 'string' || typeof child === 'number' ? String(child) : child);
  }
  return el;
}

// Static icon paths (24×24 viewBox, stroke icons). Data never flows in here.
const ICONS = {
  chat: 'M4 5h16v11H8l-4 4z',
  close: 'M6 6l12 12M18 6L6 18',
  send: 'M4 12l16-8-6 16-3-7z',
  person: 'M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 20c1.5-4 5-5 8-5s6.5 1 8 5',
  check: 'M5 12l5 5 9-10',
  sound: 'M4 9h4l5-4v14l-5-4H4zM16 9a4 4 0 0 1 0 6M18.5 6.5a8 8 0 0 1 0 11',
  muted: 'M4 9h4l5-4v14l-5-4H4zM16 9l5 6M21 9l-5 6',
  image: 'M4 5h16v14H4zM4 16l5-5 5 5 2-2 4 4M15 9h.01',
};

export function icon(name, size = 20) {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', String(size));
  svg.setAttribute('height', String(size));
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const path = document.createElementNS(SVG_NS, 'path');
  path.setAttribute('d', ICONS[name]);
  path.setAttribute('fill', 'none');
  path.setAttribute('stroke', 'currentColor');
  path.setAttribute('stroke-width', '2');
  path.setAttribute('stroke-linecap', 'round');
  path.setAttribute('stroke-linejoin', 'round');
  svg.append(path);
  return svg;
}

/** HH:MM in the viewer's local time; '' for a missing or unparsable timestamp. */
export function formatTime(ts) {
  const d = ts instanceof Date ? ts : new Date(ts);
  if (Number.isNaN(d.getTime())) return '';
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

/** Keep a scrollable list pinned to the newest item, unless the reader scrolled up on purpose. */
export function isNearBottom(el, slack = 48) {
  return el.scrollHeight - el.scrollTop - el.clientHeight <= slack;
}

export function scrollToBottom(el) {
  el.scrollTop = el.scrollHeight;
}

/**
 * Enter sends, Shift+Enter inserts a newline, and Enter that confirms a Korean/Japanese IME
 * composition must NOT send (isComposing; keyCode 229 covers older Safari).
 */
export function isSendKey(event) {
  return event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229;
}

/** Grow a textarea with its content up to `maxPx`, then scroll inside it. */
export function autoGrow(textarea, maxPx = 120) {
  textarea.style.height = 'auto';
  textarea.style.height = `${Math.min(textarea.scrollHeight, maxPx)}px`;
}

/** Storage adapter with a key prefix; falls back to memory when storage is blocked (Safari private mode, disabled cookies). */
export function prefixedStorage(backend, prefix) {
  const memory = new Map();
  return {
    get(k) {
      try { return backend.getItem(prefix + k); } catch { return memory.get(k) ?? null; }
    },
    set(k, v) {
      try { backend.setItem(prefix + k, v); } catch { memory.set(k, v); }
    },
    remove(k) {
      try { backend.removeItem(prefix + k); } catch { /* ignore */ }
      memory.delete(k);
    },
  };
}

/** http(s) URLs in running text; trailing punctuation is left out of the link. */
const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"'`]+/gi;
const TRAILING = /[.,!?;:)\]}'"…]+$/;

/**
 * Text with its http(s) URLs as links, as nodes for append(): strings stay text nodes; a link is
 * an <a> built with DOM APIs (href only after URL parsing says http: or https:), opening in a new
 * tab with rel="noopener noreferrer". Nothing is ever parsed as HTML.
 */
export function linkify(text) {
  const out = [];
  const source = String(text ?? '');
  let last = 0;
  for (const match of source.matchAll(URL_IN_TEXT)) {
    let candidate = match[0];
    const trail = candidate.match(TRAILING);
    if (trail) candidate = candidate.slice(0, -trail[0].length);
    let href = null;
    try {
      const url = new URL(candidate);
      if (url.protocol === 'http:' || url.protocol === 'https:') href = url.href;
    } catch { /* not a URL after all: stays text */ }
    if (!href) continue;
    if (match.index > last) out.push(source.slice(last, match.index));
    const a = document.createElement('a');
    a.href = href;
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
    a.textContent = candidate;
    out.push(a);
    last = match.index + candidate.length;
  }
  if (last < source.length) out.push(source.slice(last));
  return out;
}

/**
 * Shows a conversation image in `img`: fetched with the bearer token (images are served only to
 * the conversation's participants, so a plain src would be refused) and shown from a blob: URL.
 * Only image/* answers are used. Resolves to whether it worked.
 */
export async function loadImage(img, url, token, fetchImpl = globalThis.fetch) {
  try {
    const res = await fetchImpl(url, { headers: { Authorization: `Bearer ${token}` }, credentials: 'omit' });
    if (!res.ok) return false;
    const blob = await res.blob();
    if (!blob.type.startsWith('image/')) return false;
    img.src = URL.createObjectURL(blob);
    return true;
  } catch {
    return false;
  }
}

