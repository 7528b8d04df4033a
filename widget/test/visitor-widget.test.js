// The visitor module must import cleanly outside a browser (it only touches the DOM in mount()).
import test from 'node:test';
import assert from 'node:assert/strict';
import { wsUrlFor } from '../src/js/visitor/widget.js';

test('wsUrlFor derives ws(s)://…/ws?site= from the script base', () => {
  assert.equal(wsUrlFor('http://localhost:8080/', 'demo'), 'ws://localhost:8080/ws?site=demo');
  assert.equal(wsUrlFor('https://chat.example.com/', 'demo'), 'wss://chat.example.com/ws?site=demo');
  assert.equal(wsUrlFor('https://example.com/sodam/', 'my shop'), 'wss://example.com/sodam/ws?site=my%20shop');
});
