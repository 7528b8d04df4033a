// FAQ answers with a little formatting (docs/admin.md, "Answer formatting"): a blank line starts a
// paragraph, lines starting with "- " are a list, [text](url) is a link. That is all: no HTML, no
// emphasis, no images. parseAnswer() is DOM-free (Node tests it); answerNodes() builds the nodes with
// createElement and text nodes only, never innerHTML, so an answer can never become markup.

import { linkify } from './dom.js';

/** Schemes a [text](url) link may have; anything else (javascript:, data:, vbscript:, relative) stays text. */
const SAFE_SCHEMES = new Set(['http:', 'https:', 'mailto:']);
const LINK = /\[([^\[\]\n]{1,200})\]\(([^()\s]{1,2000})\)/g;
const ITEM = /^\s*- (.*)$/;

/** The href of a link target when its scheme is allowed, else null. */
export function safeHref(target) {
  try {
    const url = new URL(String(target));
    if (!SAFE_SCHEMES.has(url.protocol)) return null;
    if (url.protocol === 'mailto:' && !/^[^@\s]+@[^@\s]+$/.test(decodeURIComponent(url.pathname))) return null;
    return url.href;
  } catch {
    return null;
  }
}

/** One line as pieces: { text } runs and { link: { text, href } } for allowed [text](url) links. */
export function parseInline(line) {
  const out = [];
  let last = 0;
  for (const m of String(line).matchAll(LINK)) {
    const href = safeHref(m[2]);
    if (!href) continue;
    if (m.index > last) out.push({ text: line.slice(last, m.index) });
    out.push({ link: { text: m[1], href } });
    last = m.index + m[0].length;
  }
  if (last < line.length) out.push({ text: line.slice(last) });
  return out;
}

/**
 * The answer as blocks: { p: [lines of pieces] } and { ul: [items of pieces] }. Blank lines end a
 * block; within one, consecutive "- " lines are one list and other lines one paragraph.
 */
export function parseAnswer(text) {
  const blocks = [];
  for (const chunk of String(text ?? '').replace(/\r\n?/g, '\n').split(/\n[ \t]*\n/)) {
    let current = null;
    for (const line of chunk.split('\n')) {
      if (line.trim() === '') continue;
      const item = line.match(ITEM);
      const kind = item ? 'ul' : 'p';
      if (!current || !(kind in current)) {
        current = { [kind]: [] };
        blocks.push(current);
      }
      current[kind].push(parseInline(item ? item[1] : line));
    }
  }
  return blocks;
}

function inlineNodes(pieces) {
  const nodes = [];
  for (const piece of pieces) {
    if (piece.link) {
      const a = document.createElement('a');
      a.href = piece.link.href;
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      a.textContent = piece.link.text;
      nodes.push(a);
    } else {
      nodes.push(...linkify(piece.text));
    }
  }
  return nodes;
}

/**
 * The answer as DOM nodes for append(): <p> per paragraph (lines joined by <br>), <ul><li> per list.
 * Line breaks are kept as "\n" text beside the elements (not rendered under white-space: normal), so
 * the textContent of a plain answer is the answer as written: copy, search and tests see the text.
 */
export function answerNodes(text) {
  const nodes = [];
  for (const block of parseAnswer(text)) {
    if (nodes.length) nodes.push('\n\n');
    if (block.ul) {
      const ul = document.createElement('ul');
      block.ul.forEach((item, i) => {
        if (i > 0) ul.append('\n');
        const li = document.createElement('li');
        li.append(...inlineNodes(item));
        ul.append(li);
      });
      nodes.push(ul);
      continue;
    }
    const p = document.createElement('p');
    block.p.forEach((line, i) => {
      if (i > 0) p.append(document.createElement('br'), '\n');
      p.append(...inlineNodes(line));
    });
    nodes.push(p);
  }
  return nodes;
}
