// @ts-check
// Firefox: the background's event page, and the core it compiled, kept between two messages.
//
// Firefox has no offscreen document to keep a core in (Chrome's kept-core/): its event page is
// unloaded after an idle timeout (extensions.background.idle.timeout, 30 s by default), and the
// next message then waits for a new event page and a new compile of the core (about 200 ms).
// Firefox ESR 153 does not count an open runtime port as activity, nor a request the background
// has not answered yet; it does count each message that arrives on a port. So a webmail tab that
// asked for a verdict holds a port to the background and sends an empty message on it every
// interval, for keepMillis after its last verdict; then it closes the port and the event page
// idles out as before, which lets go of the core's memory (Go's memory never shrinks).
//
// Nothing on the port can make the background act: it takes no arguments, names no request, and
// the background closes a port that went keepMillis without a touch (background/keep-awake.js).

// At most 4 minutes after a tab's last verdict; with Firefox's idle timeout (30 s), whatever the
// core holds is let go within 5 minutes of quiet.
export const keepMillis = 4 * 60 * 1000;
export const keepPortName = 'mailseal-keep';

// The first interval is below Firefox's default idle timeout; should the event page stop all the
// same (a user's shorter timeout), the interval becomes half the time it took, down to minInterval.
export const firstIntervalMillis = 20_000;
const minIntervalMillis = 500;
// A background that stops under a kept port is started again at most this often per verdict.
const maxRestarts = 3;

/**
 * @typedef {{postMessage: (m: any) => void, disconnect: () => void, onDisconnect: {addListener: (f: () => void) => void}, onMessage?: {addListener: (f: (m: any) => void) => void}}} KeepPort
 * @typedef {{set: (f: () => void, ms: number) => any, clear: (t: any) => void}} Timers
 */

/**
 * keepAwake keeps the background awake for keep milliseconds after each touch(), through the
 * ports connect() opens. Messages on the port: 'touch' (a verdict was asked for) or 'ping'.
 * @param {{connect: () => KeepPort, keep?: number, now?: () => number, timers?: Timers}} o
 */
export function keepAwake({ connect, keep = keepMillis, now = () => Date.now(), timers = { set: (f, ms) => setTimeout(f, ms), clear: (t) => clearTimeout(t) } }) {
  /** @type {KeepPort | null} */
  let port = null;
  let until = 0;
  let interval = firstIntervalMillis;
  let lastSent = 0;
  let restarts = 0;
  let pinger = null;
  let ender = null;
  let stopped = false;

  function send(p, m) {
    try {
      p.postMessage(m);
      lastSent = now();
      return true;
    } catch {
      return false; // the port is gone: its onDisconnect says what next
    }
  }

  function ping() {
    pinger = null;
    if (!port) return;
    send(port, 'ping');
    pinger = timers.set(ping, interval);
  }

  function open() {
    let p;
    try {
      p = connect();
    } catch {
      return; // the extension was updated or removed under this copy of the content script
    }
    port = p;
    p.onDisconnect.addListener(() => gone(p));
    // The background tells the idle timeout it learnt from an earlier stop (background/keep-awake.js).
    p.onMessage?.addListener((m) => {
      const idle = Number(m?.idleMillis);
      if (p === port && Number.isFinite(idle) && idle > 0 && idle / 2 < interval) {
        interval = Math.max(minIntervalMillis, Math.floor(idle / 2));
        timers.clear(pinger);
        pinger = timers.set(ping, interval);
      }
    });
    send(p, 'touch');
    pinger = timers.set(ping, interval);
  }

  // gone: the background went away under the port (its event page stopped) or closed it.
  function gone(p) {
    if (p !== port) return;
    port = null;
    timers.clear(pinger);
    pinger = null;
    if (stopped || now() >= until) return;
    // A port closed sooner than twice the shortest interval after a message was not closed by an
    // idle timeout the keeper could beat (the background refused it, reloaded, or was ended):
    // learning from it would have this document send twice a second for the rest of its life.
    const took = now() - lastSent;
    if (took >= 2 * minIntervalMillis) interval = Math.max(minIntervalMillis, Math.min(interval, Math.floor(took / 2)));
    if (restarts++ < maxRestarts) open();
  }

  function end() {
    timers.clear(pinger);
    timers.clear(ender);
    pinger = ender = null;
    const p = port;
    port = null;
    try { p?.disconnect(); } catch { /* already gone */ }
  }

  return {
    /** touch: this tab asked for a verdict now; keep the background for keep ms from now. */
    touch() {
      if (stopped) return;
      until = now() + keep;
      restarts = 0;
      timers.clear(ender);
      ender = timers.set(end, keep);
      if (!port) open();
      else send(port, 'touch');
    },
    /** stop closes the port for good (this copy of the content script is retired). */
    stop() {
      stopped = true;
      end();
    },
    get state() {
      return { open: Boolean(port), interval, until };
    },
  };
}
