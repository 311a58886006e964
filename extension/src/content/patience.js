// @ts-check
// How long a content script waits, and how it keeps trying. A background that is busy or
// restarting must not leave a webmail tab without mailseal for good (startPatiently), and a
// verify that never answers must not leave a message with a banner that never comes (within).

export class TooLate extends Error {}

// verifyBoundMillis: after this long without a verdict, a message shows "not checked".
export const verifyBoundMillis = 20_000;

/** within settles as promise does, or rejects with TooLate after ms. */
export function within(promise, ms, what = 'mailseal') {
  let timer;
  const late = new Promise((_, reject) => { timer = setTimeout(() => reject(new TooLate(`${what}: no answer in ${ms} ms`)), ms); });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/**
 * startPatiently runs start until it succeeds, pausing between attempts from first up to max
 * milliseconds, doubling; it stops trying only when signal aborts.
 */
export async function startPatiently(start, { first = 1000, signal = /** @type {AbortSignal|undefined} */ (undefined), max = 60_000, sleep = (ms) => new Promise((r) => setTimeout(r, ms)), warn = (e) => console.warn('mailseal: not started yet:', e.message) } = {}) {
  for (let pause = first; !signal?.aborted; pause = Math.min(pause * 2, max)) {
    try {
      return await start();
    } catch (err) {
      warn(err);
      await sleep(pause);
    }
  }
  return undefined;
}
