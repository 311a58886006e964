// @ts-check
// The background's side of the kept event page (Firefox; keep-awake.js says why): it takes the
// keep ports of its own content scripts in webmail tabs, starts the reading core on each (a port
// that comes right after the event page stopped brings the core back before the next message),
// and closes a port that went keepMillis without a touch. Any other port is closed at once; what
// comes on a kept port is only counted, never acted on.
import { firstIntervalMillis, keepMillis, keepPortName } from '../keep-awake.js';

/**
 * keepPorts answers runtime.onConnect. The idle timeout is learnt from the event page's own
 * suspension (suspending(): the time since the last message it had), kept in store, and told to
 * each new port, so that a tab's keeper sends often enough from its first message on.
 * @param {{isContent: (sender: any) => Promise<boolean>, prepare: () => void, keep?: number, now?: () => number,
 *   store?: {get: () => Promise<number>, set: (ms: number) => Promise<void>}}} o
 */
export function keepPorts({ isContent, prepare, keep = keepMillis, now = () => Date.now(), store = { get: async () => 0, set: async () => {} } }) {
  let open = 0;
  let lastMessage = now();
  let known = 0;
  let stored = false;
  return {
    /**
     * suspending: the event page is about to stop; it went idle-timeout long without a message.
     * Storing is an extension API call, which Firefox counts as activity: the event page then
     * stops one idle timeout later. So it stores once per life at most, and only a figure that
     * differs from the one it knows by more than a quarter; a call on every suspension would
     * keep the event page for ever.
     */
    suspending() {
      const idle = now() - lastMessage;
      // A timeout the first interval already sends within (Firefox's default, 30 s) is not worth
      // the extra timeout a store costs: the memory is then let go keep + one timeout after.
      if (idle > firstIntervalMillis) return Promise.resolve();
      if (stored || (known > 0 && Math.abs(idle - known) <= known / 4)) return Promise.resolve();
      stored = true;
      known = idle;
      return store.set(idle).catch(() => {});
    },
    /** heard: the background had a request (any message counts toward the idle timeout). */
    heard() {
      lastMessage = now();
    },
    /** @param {any} port  a runtime.Port */
    async connect(port) {
      let lastTouch = now();
      let closed = false;
      const close = () => {
        if (closed) return;
        closed = true;
        open--;
        try { port.disconnect(); } catch { /* already gone */ }
      };
      open++;
      port.onDisconnect.addListener(() => { if (!closed) { closed = true; open--; } });
      // The listener is there before the check: a message that comes while it runs still counts
      // as activity, which is all a message here is.
      lastMessage = now();
      port.onMessage.addListener((m) => {
        lastMessage = now();
        if (m === 'touch') lastTouch = now();
        if (now() - lastTouch > keep) close();
      });
      if (port.name !== keepPortName || !(await isContent(port.sender).catch(() => false))) return close();
      if (closed) return;
      prepare();
      const idle = await store.get().catch(() => 0);
      if (idle > 0 && !stored) known = idle;
      if (!closed && idle > 0) try { port.postMessage({ idleMillis: idle }); } catch { /* gone */ }
    },
    /** how many kept ports are open. */
    get open() { return open; },
  };
}
