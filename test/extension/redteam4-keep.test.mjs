// Red team: Firefox's kept event page (extension/src/keep-awake.js) against ports that close for
// reasons other than the idle timeout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keepAwake, keepMillis, firstIntervalMillis } from '../../extension/src/keep-awake.js';

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
