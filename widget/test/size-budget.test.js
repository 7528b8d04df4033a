// The loader a site pastes must stay small (issue 6: widget.js ≤ 30 KB gzipped); the rest loads
// lazily when the visitor opens the chat. The lazy part is reported, not limited, here.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../src');
const BUDGET_BYTES = 30 * 1024;

function gzipped(path) {
  return gzipSync(readFileSync(path), { level: 9 }).length;
}

/** Every module the visitor widget imports, transitively (relative imports only: there are no others). */
function moduleGraph(entry) {
  const seen = new Set();
  const todo = [entry];
  while (todo.length) {
    const file = todo.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(/^import [^'"]*['"](\.{1,2}\/[^'"]+)['"]/gm)) {
      todo.push(resolve(dirname(file), m[1]));
    }
  }
  return [...seen];
}

test('the loader widget.js is at most 30 KB gzipped', () => {
  const size = gzipped(resolve(SRC, 'widget.js'));
  assert.ok(size <= BUDGET_BYTES, `widget.js is ${size} bytes gzipped, over the ${BUDGET_BYTES} budget`);
});

test('the lazily loaded widget modules are all found and their size is reported', (t) => {
  const files = moduleGraph(resolve(SRC, 'js/visitor/widget.js'));
  assert.ok(files.length >= 8, `found ${files.length} modules`);
  const total = files.reduce((sum, f) => sum + gzipped(f), 0);
  t.diagnostic(`loader ${gzipped(resolve(SRC, 'widget.js'))} B gzip; lazy modules ${files.length}, ${total} B gzip (each file alone)`);
  assert.ok(total > 0);
});
