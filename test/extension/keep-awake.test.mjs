// Firefox's kept event page (extension/src/keep-awake.js, background/keep-awake.js): a webmail tab
// keeps the background for at most keepMillis after its last verdict, with a message on a port
// often enough that the event page's idle timeout never passes; then it lets go. The background
// takes such ports only from its own content scripts and does nothing but count what comes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keepAwake, keepMillis, keepPortName, firstIntervalMillis } from '../../extension/src/keep-awake.js';
import { keepPorts } from '../../extension/src/background/keep-awake.js';

// clock is a fake time with timers that run only when advance() passes them.
function clock() {
  const c = { t: 0, timers: new Set() };
  c.now = () => c.t;
  c.set = (f, ms) => { const x = { f, at: c.t + ms }; c.timers.add(x); return x; };
  c.clear = (x) => { c.timers.delete(x); };
  c.advance = (ms) => {
    const end = c.t + ms;
    for (;;) {
      const next = [...c.timers].filter((x) => x.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      c.timers.delete(next);
      c.t = next.at;
      next.f();
    }
    c.t = end;
  };
  return c;
}

// background is a fake event page with Firefox's idle timeout: it stops when idle ms pass with no
// message on any port, which disconnects them all.
function background(c, idle) {
  const b = { starts: 0, ports: [], alive: false, timer: null, messages: [] };
  const rest = () => {
    c.clear(b.timer);
    b.timer = c.set(() => {
      b.alive = false;
      for (const p of b.ports.splice(0)) p.fireDisconnect();
    }, idle);
  };
  b.connect = () => {
    if (!b.alive) { b.alive = true; b.starts++; }
    const listeners = [];
    const p = {
      open: true,
      postMessage(m) { if (!p.open) throw new Error('port closed'); b.messages.push(m); rest(); },
      disconnect() { p.open = false; b.ports = b.ports.filter((x) => x !== p); },
      onDisconnect: { addListener: (f) => listeners.push(f) },
      fireDisconnect() { p.open = false; for (const f of listeners) f(); },
    };
    b.ports.push(p);
    rest();
    return p;
  };
  return b;
}

test('a tab keeps the background awake for keepMillis after its last verdict, then lets go', () => {
  const c = clock();
  const bg = background(c, 30_000); // Firefox's default idle timeout
  const k = keepAwake({ connect: bg.connect, now: c.now, timers: c });
  k.touch();
  assert.equal(bg.starts, 1);
  c.advance(keepMillis - 1000);
  assert.ok(bg.alive, 'the event page idled out while kept');
  assert.equal(bg.starts, 1, 'the event page was started again');
  k.touch(); // another verdict: four more minutes
  c.advance(keepMillis - 1000);
  assert.ok(bg.alive && bg.starts === 1);
  c.advance(1000);
  assert.equal(k.state.open, false, 'the port outlived the keep period');
  c.advance(30_000);
  assert.equal(bg.alive, false, 'the event page did not idle out after the keep period');
  assert.equal(c.timers.size, 0, 'a timer was left behind');
  // Let go within 5 minutes of the last verdict: keepMillis plus the default idle timeout.
  assert.ok(keepMillis + 30_000 <= 5 * 60 * 1000);
  assert.ok(bg.messages.every((m) => m === 'touch' || m === 'ping'));
});

test('without the keeper the same background idles out (the fake is a fair one)', () => {
  const c = clock();
  const bg = background(c, 30_000);
  bg.connect().disconnect();
  c.advance(31_000);
  assert.equal(bg.alive, false);
});

test('a shorter idle timeout than the first interval is learnt from one stop', () => {
  const c = clock();
  const bg = background(c, 2000); // the e2e tests' timeout
  const k = keepAwake({ connect: bg.connect, now: c.now, timers: c });
  k.touch();
  c.advance(firstIntervalMillis);
  // The event page stopped 2 s after the touch; the keeper opened a new port (starting it again,
  // and so its core) and now sends every second.
  assert.equal(bg.starts, 2);
  assert.equal(k.state.interval, 1000);
  c.advance(keepMillis - firstIntervalMillis - 1);
  assert.equal(bg.starts, 2, 'the event page stopped again under the learnt interval');
  c.advance(1 + 2000);
  assert.equal(bg.alive, false);
  assert.equal(c.timers.size, 0);
});

test('a background that keeps stopping is started again at most three times per verdict', () => {
  const c = clock();
  const bg = background(c, 0); // stops at once, whatever comes
  const k = keepAwake({ connect: bg.connect, now: c.now, timers: c });
  k.touch();
  c.advance(keepMillis);
  assert.ok(bg.starts <= 4, `started ${bg.starts} times`);
  assert.equal(k.state.open, false);
});

test('a retired content script, or one cut off from the extension, holds nothing', () => {
  const c = clock();
  const bg = background(c, 30_000);
  const k = keepAwake({ connect: bg.connect, now: c.now, timers: c });
  k.touch();
  k.stop();
  assert.equal(bg.ports.length, 0);
  k.touch();
  assert.equal(bg.starts, 1);
  assert.equal(c.timers.size, 1, 'only the fake background\'s own idle timer is left');
  const gone = keepAwake({ connect: () => { throw new Error('Extension context invalidated.'); }, now: c.now, timers: c });
  assert.doesNotThrow(() => gone.touch());
  assert.equal(gone.state.open, false);
});

// port is a runtime.Port as the background sees one.
function port(name, sender) {
  const p = { name, sender, disconnected: false, onMessage: null, gone: null };
  p.onMessage = { addListener: (f) => { p.message = f; } };
  p.onDisconnect = { addListener: (f) => { p.gone = f; } };
  p.disconnect = () => { p.disconnected = true; };
  return p;
}

test('the background takes keep ports only from its content scripts, and only prepares its core', async () => {
  const c = clock();
  let prepared = 0;
  const senders = [];
  const bg = keepPorts({ isContent: async (s) => { senders.push(s); return s?.content === true; }, prepare: () => { prepared++; }, now: c.now });
  const ours = port(keepPortName, { content: true });
  await bg.connect(ours);
  assert.equal(ours.disconnected, false);
  assert.equal(prepared, 1);
  // Another name, or a sender that is not our content script in a webmail tab (an extension
  // page, a frame, another extension): closed at once, no core started.
  for (const p of [port('other', { content: true }), port(keepPortName, { content: false }), port(keepPortName, undefined)]) {
    await bg.connect(p);
    assert.equal(p.disconnected, true, JSON.stringify([p.name, p.sender]));
  }
  assert.equal(prepared, 1);
  assert.equal(bg.open, 1);
  // Whatever comes is only counted: a request on the port is not one.
  ours.message({ request: 'identityExport', args: {} });
  ours.message('ping');
  assert.equal(ours.disconnected, false);
  assert.equal(prepared, 1);
  ours.gone();
  assert.equal(bg.open, 0);
});

test('the background closes a port that went keepMillis without a touch', async () => {
  const c = clock();
  const bg = keepPorts({ isContent: async () => true, prepare: () => {}, now: c.now });
  const p = port(keepPortName, {});
  await bg.connect(p);
  for (let t = 0; t < keepMillis; t += 20_000) { c.advance(20_000); p.message('ping'); }
  assert.equal(p.disconnected, false);
  c.advance(20_000);
  p.message('ping');
  assert.equal(p.disconnected, true, 'pings alone kept the background past the keep period');
  assert.equal(bg.open, 0);
  // A touch keeps it for another keepMillis.
  const q = port(keepPortName, {});
  await bg.connect(q);
  c.advance(keepMillis - 1);
  q.message('touch');
  c.advance(keepMillis - 1);
  q.message('ping');
  assert.equal(q.disconnected, false);
});

test('the idle timeout the background learnt from its last stop sets a new tab\'s interval at once', async () => {
  const c = clock();
  let stored = 0;
  const store = { get: async () => stored, set: async (ms) => { stored = ms; } };
  const bg = keepPorts({ isContent: async () => true, prepare: () => {}, now: c.now, store });
  bg.heard();
  c.advance(2000);
  await bg.suspending(); // Firefox stops the event page 2 s after its last message
  assert.equal(stored, 2000);
  // A new port is told; the keeper sends every second from then on, with no stop to learn from.
  const p = port(keepPortName, {});
  p.postMessage = (m) => { p.told = m; };
  await bg.connect(p);
  assert.deepEqual(p.told, { idleMillis: 2000 });
  let tell = null;
  const sent = [];
  const k = keepAwake({
    connect: () => ({ postMessage: (m) => sent.push([c.t, m]), disconnect() {}, onDisconnect: { addListener() {} }, onMessage: { addListener: (f) => { tell = f; } } }),
    now: c.now, timers: c,
  });
  k.touch();
  tell(p.told);
  assert.equal(k.state.interval, 1000);
  c.advance(3000);
  assert.deepEqual(sent, [[2000, 'touch'], [3000, 'ping'], [4000, 'ping'], [5000, 'ping']]);
  // What the port says is a number or nothing: a longer one, or one that is not a number, changes nothing.
  tell({ idleMillis: 60_000 });
  tell({ idleMillis: 'x' });
  tell(null);
  assert.equal(k.state.interval, 1000);
  k.stop();
});

test('the background stores the idle timeout at most once per life (storing counts as activity)', async () => {
  const c = clock();
  const sets = [];
  let stored = 0;
  const store = { get: async () => stored, set: async (ms) => { sets.push(ms); stored = ms; } };
  const life = () => keepPorts({ isContent: async () => true, prepare: () => {}, now: c.now, store });
  let bg = life();
  c.advance(2000);
  await bg.suspending();
  // Firefox counted the store as activity and suspends again an idle timeout later: no store now,
  // else the event page would never stop.
  c.advance(4000);
  await bg.suspending();
  assert.deepEqual(sets, [2000]);
  // The next life knows the figure from its first port and stores nothing like it again.
  bg = life();
  const p = port(keepPortName, {});
  p.postMessage = () => {};
  await bg.connect(p);
  c.advance(2100);
  await bg.suspending();
  assert.deepEqual(sets, [2000]);
});

test('the default idle timeout (30 s) is not stored: the first interval sends within it, and a store would cost one more timeout', async () => {
  const c = clock();
  const sets = [];
  const bg = keepPorts({ isContent: async () => true, prepare: () => {}, now: c.now, store: { get: async () => 0, set: async (ms) => { sets.push(ms); } } });
  bg.heard();
  c.advance(30_000);
  await bg.suspending();
  assert.deepEqual(sets, []);
});

// Red team: ports that close for reasons other than the idle timeout.
// A port the background closes after closeAfter ms (or never), counting what is sent on it.
function ports(c, closeAfter) {
  const b = { sent: 0, opened: 0 };
  b.connect = () => {
    b.opened++;
    const listeners = [];
    const p = {
      open: true,
      postMessage() { if (!p.open) throw new Error('port closed'); b.sent++; },
      disconnect() { p.open = false; },
      onDisconnect: { addListener: (f) => listeners.push(f) },
    };
    const after = closeAfter(b.opened);
    if (after !== null) c.set(() => { if (p.open) { p.open = false; for (const f of listeners) f(); } }, after);
    return p;
  };
  return b;
}

test('redteam: a port closed at once (refused, or the event page ended for another cause) does not make a tab send twice a second', () => {
  const c = clock();
  // The first port is closed 10 ms after the touch (a background that refused it, reloaded or
  // was ended by the browser); the next one is kept, by a background with the default timeout.
  const bg = ports(c, (n) => (n === 1 ? 10 : null));
  const k = keepAwake({ connect: bg.connect, now: c.now, timers: c });
  k.touch();
  c.advance(keepMillis);
  assert.equal(bg.opened, 2);
  assert.equal(k.state.interval, firstIntervalMillis, `learnt an interval of ${k.state.interval} ms from a port closed 10 ms after a message`);
  assert.ok(bg.sent <= keepMillis / firstIntervalMillis + 3, `${bg.sent} messages in 4 minutes`);
});

test('redteam (held): a port that the idle timeout closes still teaches the interval', () => {
  const c = clock();
  const bg = ports(c, (n) => (n === 1 ? 2000 : null)); // stopped 2 s after the touch: the e2e timeout
  const k = keepAwake({ connect: bg.connect, now: c.now, timers: c });
  k.touch();
  c.advance(3000);
  assert.equal(k.state.interval, 1000);
  k.stop();
});
