// @ts-check
// The kept core's side (Chrome): a core that outlives the background's service worker, so that the
// first message after Chrome stopped the idle worker (30 s) waits for no compile and no start of
// the Go program. It runs in a dedicated worker (worker.js) of an offscreen document
// (pages/kept-core.js); each life of the service worker connects to it with a MessagePort of its
// own (client.js). Nothing else can reach it: the document listens to nothing but its own
// extension's service worker, and the ports are passed only between the three of them.
//
// It answers the reading requests only: verify, the sender memory, classify, and the certificates
// the memory holds for the compose window's recipients (recipientCertificates: the memory is here).
// Signing, encrypting and decrypting keep to the background's own core, so a private key is never
// held here, nor for longer than today.
//
// Go's memory never shrinks, so the core is not kept for ever: after quietMillis without a call
// the host says so on every port and goes (its document closes, which ends the worker and its
// memory).

export const keptMethods = Object.freeze(['verify', 'classify', 'memoryLoad', 'memoryExport', 'memoryList', 'memoryEdit', 'recipientCertificates']);

// At most 4 minutes of quiet: whatever the core holds is let go within 5 minutes of the last call.
export const quietMillis = 4 * 60 * 1000;

/**
 * keeper serves calls on the ports it is given, with the core of loader (core-load.js), until
 * quietMillis pass without a call; then it sends {closing: true} on every port and calls onQuiet.
 * A call is {id, method, args}; its answer {id, result} or {id, error: {message, code}}.
 * @param {{loader: {core: () => Promise<any>, verify: (raw: any, o: any) => Promise<any>, stats: object},
 *   onQuiet: () => void, quiet?: number, timers?: {set: (f: () => void, ms: number) => any, clear: (t: any) => void}}} o
 */
export function keeper({ loader, onQuiet, quiet = quietMillis, timers = { set: (f, ms) => setTimeout(f, ms), clear: (t) => clearTimeout(t) } }) {
  const ports = new Set();
  let inFlight = 0;
  let timer = null;
  let closed = false;

  function rest() {
    timers.clear(timer);
    timer = null;
    if (inFlight > 0 || closed) return;
    timer = timers.set(() => {
      closed = true;
      for (const p of ports) p.postMessage({ closing: true });
      onQuiet();
    }, quiet);
  }

  async function run(method, args) {
    // stats tells what the core holds and neither loads it nor counts as a call.
    if (method === 'stats') return { ...loader.stats, memoryBytes: loader.stats.memoryBytes };
    // prepare starts the core while the message is still being fetched.
    if (method === 'prepare') return Boolean(await loader.core());
    if (!keptMethods.includes(method) || !Array.isArray(args)) throw Object.assign(new Error(`kept core: no method ${String(method).slice(0, 40)}`), { code: 'ERR_BAD_ARGUMENT' });
    if (method === 'verify') return loader.verify(args[0], args[1]);
    return (await loader.core())[method](...args);
  }

  async function answer(port, data) {
    const { id, method, args } = data ?? {};
    const counted = method !== 'stats';
    if (closed) {
      port.postMessage({ id, error: { message: 'kept core: closing', code: 'ERR_CLOSING' } });
      return;
    }
    if (counted) { inFlight++; timers.clear(timer); }
    try {
      port.postMessage({ id, result: await run(method, args) });
    } catch (err) {
      port.postMessage({ id, error: { message: String(err?.message ?? err), code: String(err?.code ?? '') } });
    } finally {
      if (counted) { inFlight--; rest(); }
    }
  }

  return {
    /** @param {MessagePort} port */
    connect(port) {
      ports.add(port);
      port.onmessage = (e) => { answer(port, e.data); };
      if (closed) port.postMessage({ closing: true });
      else rest();
    },
  };
}
