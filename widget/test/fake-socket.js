// Test doubles for the protocol client: an in-memory WebSocket and a manual clock.
// (node --test also runs this file; it defines no tests, so that is a no-op.)
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const FRAMES_DIR = fileURLToPath(new URL('../../docs/protocol/frames/', import.meta.url));

/** Golden frame by file name without extension, e.g. golden('c2s-send'). */
export function golden(name) {
  return JSON.parse(readFileSync(path.join(FRAMES_DIR, `${name}.json`), 'utf8'));
}

export function goldenNames() {
  return readdirSync(FRAMES_DIR).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5));
}

/**
 * A fresh WebSocket class per test, so instances never leak between tests.
 * The "server" side is driven with serverOpen / serverSend / serverDrop.
 */
export function fakeWebSocketClass() {
  class FakeWebSocket {
    static CONNECTING = 0;
    static OPEN = 1;
    static CLOSING = 2;
    static CLOSED = 3;
    static instances = [];

    constructor(url) {
      this.url = url;
      this.readyState = FakeWebSocket.CONNECTING;
      this.sent = [];
      this.closedByClient = false;
      this.onopen = this.onmessage = this.onerror = this.onclose = null;
      FakeWebSocket.instances.push(this);
    }

    static get last() {
      return FakeWebSocket.instances[FakeWebSocket.instances.length - 1];
    }

    send(data) {
      if (this.readyState !== FakeWebSocket.OPEN) throw new Error('InvalidStateError: socket not open');
      if (typeof data !== 'string') throw new Error('the client must send text frames');
      this.sent.push(data);
    }

    close() {
      if (this.readyState >= FakeWebSocket.CLOSING) return;
      this.closedByClient = true;
      this.readyState = FakeWebSocket.CLOSED;
      this.onclose?.({ code: 1000, wasClean: true });
    }

    /** Frames the client wrote, parsed. */
    get frames() {
      return this.sent.map((s) => JSON.parse(s));
    }

    framesOfType(type) {
      return this.frames.filter((f) => f.type === type);
    }

    serverOpen() {
      this.readyState = FakeWebSocket.OPEN;
      this.onopen?.({});
    }

    serverSend(frame) {
      this.onmessage?.({ data: typeof frame === 'string' ? frame : JSON.stringify(frame) });
    }

    /** Abnormal close, as when the server dies or the network drops. */
    serverDrop(code = 1006) {
      this.readyState = FakeWebSocket.CLOSED;
      this.onerror?.({});
      this.onclose?.({ code, wasClean: false });
    }
  }
  return FakeWebSocket;
}

/** Timers that only fire when the test says so. */
export class FakeClock {
  constructor() {
    this.now = 0;
    this.nextId = 1;
    this.timers = new Map();
    this.setTimeout = (fn, ms) => {
      const id = this.nextId++;
      this.timers.set(id, { fn, at: this.now + ms, ms });
      return id;
    };
    this.clearTimeout = (id) => {
      this.timers.delete(id);
    };
  }

  /** Delays of the timers currently scheduled. */
  pendingDelays() {
    return [...this.timers.values()].map((t) => t.ms);
  }

  /** Advance time, firing due timers in order (including ones scheduled while advancing). */
  advance(ms) {
    const end = this.now + ms;
    for (;;) {
      let next = null;
      for (const [id, t] of this.timers) if (t.at <= end && (!next || t.at < next[1].at)) next = [id, t];
      if (!next) break;
      this.timers.delete(next[0]);
      this.now = next[1].at;
      next[1].fn();
    }
    this.now = end;
  }
}

/** A storage with the {get,set,remove} shape the client expects. */
export function memoryStorage() {
  const map = new Map();
  return {
    map,
    get: (k) => (map.has(k) ? map.get(k) : null),
    set: (k, v) => { map.set(k, String(v)); },
    remove: (k) => { map.delete(k); },
  };
}
