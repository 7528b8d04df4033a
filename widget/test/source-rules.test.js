// Static checks over widget/src: no HTML injection sinks fed with data, modules that resolve,
// and a loader that stays a classic script.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

const files = walk(SRC).filter((f) => /\.(js|html)$/.test(f));
const rel = (f) => path.relative(SRC, f);

/**
 * Problems in one source text. innerHTML/outerHTML may only be assigned '' or "" or a
 * template literal without ${…}; the other sinks are banned outright.
 */
export function htmlSinkProblems(text) {
  const problems = [];
  const assign = /\.(innerHTML|outerHTML)\s*(\+?=)(?!=)\s*/g;
  for (let m; (m = assign.exec(text));) {
    const rest = text.slice(assign.lastIndex);
    const literal = /^(''|""|`[^`$]*`)\s*[;,)\n]/.test(rest) && m[2] === '=';
    if (!literal) problems.push(`${m[1]} ${m[2]} ${rest.slice(0, 30).split('\n')[0]}`);
  }
  const banned = [
    /insertAdjacentHTML\s*\(/, /document\.write(ln)?\s*\(/, /\beval\s*\(/, /new\s+Function\s*\(/,
    /createContextualFragment\s*\(/, /parseFromString\s*\(/, /\.srcdoc\s*=/, /set(Timeout|Interval)\s*\(\s*['"`]/,
  ];
  for (const re of banned) if (re.test(text)) problems.push(`banned: ${re}`);
  return problems;
}

test('the sink scanner itself catches what it should', () => {
  assert.deepEqual(htmlSinkProblems("el.innerHTML = '';"), []);
  assert.deepEqual(htmlSinkProblems('el.innerHTML = `<b>static</b>`;'), []);
  assert.equal(htmlSinkProblems('el.innerHTML = text;').length, 1);
  assert.equal(htmlSinkProblems('el.innerHTML = `<b>${text}</b>`;').length, 1);
  assert.equal(htmlSinkProblems("el.innerHTML += '';").length, 1);
  assert.equal(htmlSinkProblems("el.innerHTML = '<b>' + name;").length, 1);
  assert.equal(htmlSinkProblems('el.outerHTML=x').length, 1);
  assert.equal(htmlSinkProblems("el.insertAdjacentHTML('beforeend', '')").length, 1);
  assert.equal(htmlSinkProblems('document.write(x)').length, 1);
  assert.deepEqual(htmlSinkProblems('if (a.innerHTML === b) {}'), []);
});

test('no file under src/ feeds data to an HTML sink (text is never executed as HTML)', () => {
  assert.ok(files.length > 5, 'sources found');
  const found = files.flatMap((f) => htmlSinkProblems(readFileSync(f, 'utf8')).map((p) => `${rel(f)}: ${p}`));
  assert.deepEqual(found, []);
});

/**
 * Calls of the DOM's own child setters (append, replaceChildren, …) that may pass a null: unlike
 * h(), they insert it as the text "null". Looks at each argument outside its nested brackets, so
 * `h('p', {}, x ? y : null)` and `...[…].filter(Boolean)` pass and `a ? b : null` does not.
 */
export function nullChildProblems(text) {
  const problems = [];
  const call = /\.(append|prepend|replaceChildren|before|after|replaceWith)\(/g;
  for (let m; (m = call.exec(text));) {
    let depth = 1;
    let quote = null;
    let top = '';
    let i = call.lastIndex;
    for (; i < text.length && depth > 0; i++) {
      const c = text[i];
      if (quote) {
        if (c === '\\') i++;
        else if (c === quote) quote = null;
        continue;
      }
      if (c === "'" || c === '"' || c === '`') quote = c;
      else if ('([{'.includes(c)) depth++;
      else if (')]}'.includes(c)) depth--;
      else if (depth === 1) top += c;
    }
    if (top.split(',').some((arg) => /[?:]\s*null\b|^\s*null\s*$/.test(arg))) {
      problems.push(`.${m[1]}(${text.slice(call.lastIndex, Math.min(i, call.lastIndex + 60)).split('\n')[0]}`);
    }
  }
  return problems;
}

test('the null-child scanner itself catches what it should', () => {
  assert.equal(nullChildProblems('report.replaceChildren(h(\'p\'), errors.length === 0 ? null : h(\'ul\'))').length, 1);
  assert.equal(nullChildProblems("el.append(linked ? ' ' : null)").length, 1);
  assert.equal(nullChildProblems('el.append(null)').length, 1);
  assert.deepEqual(nullChildProblems("el.replaceChildren(...[a ? h('p') : null].filter(Boolean))"), []);
  assert.deepEqual(nullChildProblems("el.append(h('p', {}, a ? 'x' : null), panel(x ? y : null))"), []);
  assert.deepEqual(nullChildProblems("el.replaceChildren(...(a ? [] : [h('ul')]), 'a ? null')"), []);
});

test('no file under src/ hands a null to append/replaceChildren (it would be drawn as "null")', () => {
  const found = files.filter((f) => f.endsWith('.js'))
    .flatMap((f) => nullChildProblems(readFileSync(f, 'utf8')).map((p) => `${rel(f)}: ${p}`));
  assert.deepEqual(found, []);
});

test('every module import resolves to a file under src/ (no bundler to catch typos)', () => {
  const missing = [];
  for (const f of files.filter((x) => x.endsWith('.js'))) {
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]/g)) {
      const spec = m[1];
      const target = spec.startsWith('/') ? path.join(SRC, spec) : path.resolve(path.dirname(f), spec);
      if (!spec.startsWith('.') && !spec.startsWith('/')) missing.push(`${rel(f)}: bare specifier ${spec}`);
      else if (!existsSync(target)) missing.push(`${rel(f)}: ${spec}`);
    }
  }
  assert.deepEqual(missing, []);
});

test('HTML pages reference files that exist (served from src/ at the same path)', () => {
  const missing = [];
  for (const f of files.filter((x) => x.endsWith('.html'))) {
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(/(?:src|href)="(\/[^"#?]*)"/g)) {
      const url = m[1];
      const candidates = [path.join(SRC, url), path.join(SRC, url, 'index.html'), path.join(SRC, `${url}`.replace(/\/$/, ''), 'index.html')];
      if (!candidates.some((c) => existsSync(c) && statSync(c).isFile())) missing.push(`${rel(f)}: ${url}`);
    }
  }
  assert.deepEqual(missing, []);
});

test('widget.js is a tiny classic script that loads js/visitor/widget.js', () => {
  const text = readFileSync(path.join(SRC, 'widget.js'), 'utf8');
  assert.doesNotMatch(text, /^\s*(import|export)\s/m, 'no static import/export: site owners paste a classic <script>');
  assert.match(text, /document\.currentScript/);
  assert.match(text, /import\(new URL\('js\/visitor\/widget\.js', base\)/);
  assert.ok(existsSync(path.join(SRC, 'js/visitor/widget.js')));
  // It draws the bubble and holds window.Sodam, nothing more: ~2.3 KB gzipped.
  assert.ok(text.length < 6000, `the loader stays tiny (${text.length} characters)`);
  assert.doesNotMatch(text, /window\.__|w\.__/, 'no globals besides Sodam / SodamChat');
  // It must parse as a classic script.
  assert.doesNotThrow(() => new Function(text)); // eslint-disable-line no-new-func
});

test('pages carry the required hooks', () => {
  const demo = readFileSync(path.join(SRC, 'demo/index.html'), 'utf8');
  assert.match(demo, /<html lang="ko">/);
  assert.match(demo, /<script src="\/widget\.js" data-site="demo" async><\/script>/);
  const consoleHtml = readFileSync(path.join(SRC, 'console/index.html'), 'utf8');
  for (const id of ['login-email', 'login-password', 'login-submit', 'login-error', 'queue', 'mine', 'agent-name',
    'presence-select', 'load', 'agents', 'toast']) {
    assert.match(consoleHtml, new RegExp(`data-testid="${id}"`), id);
  }
  const consoleJs = readFileSync(path.join(SRC, 'console/console.js'), 'utf8');
  for (const id of ['queue-item', 'accept', 'chat-tab', 'chat', 'message', 'text', 'reply-input', 'reply-send', 'resolve',
    'offer', 'offer-countdown', 'offer-accept', 'offer-decline', 'alert', 'alert-accept', 'alert-dismiss',
    'agent-row', 'agent-status', 'agent-load']) {
    assert.match(consoleJs, new RegExp(`testid: '${id}'`), id);
  }
  const widgetJs = readFileSync(path.join(SRC, 'js/visitor/widget.js'), 'utf8');
  for (const id of ['launcher', 'panel', 'messages', 'message', 'text', 'suggestion', 'handoff', 'action-handoff',
    'status', 'agent-name', 'input', 'send', 'typing', 'badge', 'banner', 'mute', 'close']) {
    assert.match(widgetJs, new RegExp(`testid: '${id}'`), id);
  }
});
