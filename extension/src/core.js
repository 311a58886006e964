// @ts-check
// The core: the Go verifier compiled to WebAssembly (wasm/). The background loads its own once per
// worker life, for signing and wherever no kept core can be had. Reading (verify, the sender
// memory) uses the kept core in Chrome (kept-core/), which outlives a stopped service worker; in
// Firefox, the background's own, which webmail tabs keep with the event page (keep-awake.js). The report cache (reports.js) means messages already verified in
// this browser session are not verified twice.
import { coreLoader } from './core-load.js';
import { BROWSER, ext } from './platform.js';
import { keptCore, keptStats, available } from './kept-core/client.js';

const local = coreLoader(() => ext.runtime.getURL('core.wasm'));
export const core = local.core;
export const coreStats = local.stats;

let keptFailed = false;

/** readingCore is the core that verifies and keeps the sender memories. */
export async function readingCore() {
  if (BROWSER === 'chrome' && !keptFailed && available()) {
    try {
      return await keptCore();
    } catch (err) {
      // This life of the worker uses its own core; the next tries the kept one again.
      keptFailed = true;
      console.warn('mailseal: no kept core, verifying in the background:', err.message);
    }
  }
  return local.core();
}

// closedUnder says whether err is Chrome's kept core closing under a call after its quiet period:
// the call was answered as closing, or it reached the next kept core, which has no sender memory
// loaded yet (the memory was loaded into the one that closed).
const closedUnder = (err) => err?.code === 'ERR_CLOSING' || /no memory loaded/.test(String(err?.message));

/**
 * acrossClose runs run(), a verify with the sender memory loaded first (background/memory.js
 * ready() loads it into whichever core it is given), again when the kept core closed under it: at
 * most `tries` times in all, a little later each time, so a verify that meets the close gets the
 * next core with the memory loaded again instead of failing. Any other error is thrown at once.
 * @template T
 * @param {() => Promise<T>} run
 */
export async function acrossClose(run, tries = 4, waitMillis = 25) {
  for (let i = 1; ; i++) {
    try {
      return await run();
    } catch (err) {
      if (i >= tries || !closedUnder(err)) throw err;
      await new Promise((r) => setTimeout(r, waitMillis * 2 ** (i - 1)));
    }
  }
}

/** prepareReading starts the reading core without waiting for it. */
export function prepareReading() {
  readingCore().then((c) => c.prepare?.()).catch(() => {}); // a failed load is retried, and reported, by the verify itself
}

// verify runs the reading core on raw message bytes with the trust options of background/trust.js.
export async function verify(raw, options) {
  const c = await readingCore();
  return c.prepare ? c.verify(raw, options) : local.verify(raw, options);
}

export async function coreVersion() {
  return (await core()).version();
}

/** readingStats: what the kept core holds (null when there is none, or in Firefox). */
export async function readingStats() {
  return BROWSER === 'chrome' && available() ? keptStats().catch(() => null) : null;
}
