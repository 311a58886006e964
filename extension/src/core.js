// @ts-check
// The core: the Go verifier compiled to WebAssembly (wasm/), loaded once per worker life.
// A Chrome service worker or a Firefox event page may be stopped at any time; the next request
// after a restart loads the module again, and the report cache (reports.js) means messages already
// verified in this browser session are not verified twice.
import { loadCore } from 'mailseal-core';
import { ext } from './platform.js';

let loading = null;
export const coreStats = { loads: 0, loadedAt: 0, loadMillis: 0, verifies: 0 };

export function core() {
  loading ??= (async () => {
    const started = performance.now();
    const c = await loadCore(ext.runtime.getURL('core.wasm'));
    coreStats.loads++;
    coreStats.loadedAt = Date.now();
    coreStats.loadMillis = Math.round(performance.now() - started);
    return c;
  })();
  // A failed load is not remembered: the next request tries again.
  loading.catch(() => { loading = null; });
  return loading;
}

// verify runs the core on raw message bytes with the trust options of background/trust.js.
export async function verify(raw, options) {
  const c = await core();
  coreStats.verifies++;
  return c.verify(raw, options);
}

export async function coreVersion() {
  return (await core()).version();
}
