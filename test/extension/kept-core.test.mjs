// The kept core's host (extension/src/kept-core/host.js): it answers the reading methods only, and
// lets the core go after its quiet period, telling every connected worker life first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keeper, keptMethods, quietMillis } from '../../extension/src/kept-core/host.js';

// fakeTimers runs a timer only when fire() is called, and says how long it was set for.
function fakeTimers() {
  const t = { pending: null, set: (f, ms) => { t.pending = { f, ms }; return t.pending; }, clear: (x) => { if (t.pending === x) t.pending = null; } };
  t.fire = () => { const p = t.pending; t.pending = null; p?.f(); };
  return t;
}

// port is one end of a worker life's channel: what the host posted, and a way to call it.
function port() {
  const p = { sent: [], postMessage: (m) => p.sent.push(m) };
  p.call = async (id, method, args = []) => {
    p.onmessage({ data: { id, method, args } });
    for (let i = 0; i < 20 && !p.sent.some((m) => m.id === id); i++) await new Promise((r) => setImmediate(r));
    return p.sent.find((m) => m.id === id);
  };
  return p;
}

function fakeLoader() {
  const calls = [];
  const core = { classify: async (der) => { calls.push(['classify', der]); return { level: 'V1' }; }, sign: async () => { calls.push(['sign']); return 'signed'; }, memoryList: async (a) => { calls.push(['memoryList', a]); return []; } };
  return {
    calls,
    loader: {
      stats: { loads: 0, memoryBytes: 0 },
      core: async () => { calls.push(['load']); return core; },
      verify: async (raw, o) => { calls.push(['verify', raw.length, o]); return { status: 'valid' }; },
    },
  };
}

test('the kept core answers the reading methods, and nothing that signs or holds a key', async () => {
  const { loader, calls } = fakeLoader();
  const host = keeper({ loader, onQuiet: () => {}, timers: fakeTimers() });
  const p = port();
  host.connect(p);
  assert.deepEqual((await p.call(1, 'verify', [new Uint8Array(3), { text: true }])).result, { status: 'valid' });
  assert.deepEqual((await p.call(2, 'classify', ['der'])).result, { level: 'V1' });
  for (const [id, m] of [[3, 'sign'], [4, 'importIdentity'], [5, 'unlockIdentity'], [6, 'constructor'], [7, '__proto__']]) {
    assert.equal((await p.call(id, m, [])).error?.code, 'ERR_BAD_ARGUMENT', m);
  }
  assert.equal((await p.call(8, 'memoryList', 'not a list')).error?.code, 'ERR_BAD_ARGUMENT');
  assert.ok(!calls.some(([m]) => m === 'sign'));
  assert.deepEqual(keptMethods.filter((m) => /sign|identity|decrypt/i.test(m)), []);
});

test('after its quiet period the host tells every port, lets the core go, and answers no more', async () => {
  const { loader } = fakeLoader();
  const timers = fakeTimers();
  let quiet = 0;
  const host = keeper({ loader, onQuiet: () => quiet++, timers });
  const [a, b] = [port(), port()];
  host.connect(a);
  host.connect(b);
  await a.call(1, 'verify', [new Uint8Array(1), {}]);
  assert.equal(timers.pending.ms, quietMillis);
  assert.ok(quietMillis <= 5 * 60 * 1000, 'the memory is let go within 5 minutes of quiet');
  timers.fire();
  assert.equal(quiet, 1);
  assert.deepEqual(a.sent.at(-1), { closing: true });
  assert.deepEqual(b.sent.at(-1), { closing: true });
  assert.equal((await b.call(2, 'verify', [new Uint8Array(1), {}])).error?.code, 'ERR_CLOSING');
});

test('a call in flight holds the quiet period off; stats neither loads the core nor counts as a call', async () => {
  const { loader, calls } = fakeLoader();
  const timers = fakeTimers();
  let release;
  loader.verify = () => new Promise((r) => { release = () => r({ status: 'valid' }); });
  const host = keeper({ loader, onQuiet: () => {}, timers });
  const p = port();
  host.connect(p);
  p.onmessage({ data: { id: 1, method: 'verify', args: [new Uint8Array(1), {}] } });
  assert.equal(timers.pending, null, 'no quiet timer while a verify runs');
  release();
  await new Promise((r) => setImmediate(r));
  const set = timers.pending;
  assert.ok(set);
  assert.equal((await p.call(2, 'stats')).result.loads, 0);
  assert.equal(timers.pending, set, 'stats did not restart the quiet period');
  assert.ok(!calls.some(([m]) => m === 'load'));
});
