// @ts-check
// The background's side of the kept event page (Firefox; keep-awake.js says why): it takes the
// keep ports of its own content scripts in webmail tabs, starts the reading core on each (a port
// that comes right after the event page stopped brings the core back before the next message),
// and closes a port that went keepMillis without a touch. Any other port is closed at once; what
// comes on a kept port is only counted, never acted on.
import { keepMillis, keepPortName } from '../keep-awake.js';

/**
 * keepPorts answers runtime.onConnect.
 * @param {{isContent: (sender: any) => Promise<boolean>, prepare: () => void, keep?: number, now?: () => number}} o
 */
export function keepPorts({ isContent, prepare, keep = keepMillis, now = () => Date.now() }) {
  let open = 0;
  return {
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
      port.onMessage.addListener((m) => {
        if (m === 'touch') lastTouch = now();
        if (now() - lastTouch > keep) close();
      });
      if (port.name !== keepPortName || !(await isContent(port.sender).catch(() => false))) return close();
      if (!closed) prepare();
    },
    /** how many kept ports are open (the stats request). */
    get open() { return open; },
  };
}
