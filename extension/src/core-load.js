// @ts-check
// Loading the core (the Go verifier compiled to WebAssembly, wasm/) once per context that hosts it,
// with the figures the stats request and `make latency` report. It names no extension API, so that
// a dedicated worker (kept-core/worker.js) can host a core too.
import { loadCore } from 'mailseal-core';

// memory: the live instance's WebAssembly memory. Go's heap grows and never gives memory back, so
// its size is what a loaded core holds until the context hosting it goes away.
let memory = null;

// The loader starts each instance with globalThis.Go (wasm_exec.js); this subclass notes the
// instance's memory and changes nothing else.
const Go = /** @type {any} */ (globalThis).Go;
if (Go) {
  /** @type {any} */ (globalThis).Go = class extends Go {
    run(/** @type {WebAssembly.Instance} */ instance) {
      memory = instance.exports.mem;
      return super.run(instance);
    }
  };
}

/**
 * coreLoader loads the core from url on first use; a failed load is not remembered (the next
 * use tries again).
 * @param {() => string} url
 */
export function coreLoader(url) {
  let loading = null;
  const stats = {
    loads: 0, loadedAt: 0, loadMillis: 0, verifies: 0, firstVerifyMillis: 0,
    get memoryBytes() { return memory?.buffer.byteLength ?? 0; },
  };
  function core() {
    loading ??= (async () => {
      const started = performance.now();
      const c = await loadCore(url());
      stats.loads++;
      stats.loadedAt = Date.now();
      stats.loadMillis = Math.round(performance.now() - started);
      stats.firstVerifyMillis = 0;
      return c;
    })();
    loading.catch(() => { loading = null; });
    return loading;
  }
  // verify runs the core on raw message bytes, timing the first verify of each load.
  async function verify(raw, options) {
    const c = await core();
    const first = stats.firstVerifyMillis === 0;
    const started = performance.now();
    stats.verifies++;
    const report = await c.verify(raw, options);
    if (first) stats.firstVerifyMillis = Math.max(1, Math.round(performance.now() - started));
    return report;
  }
  return { core, verify, stats };
}
