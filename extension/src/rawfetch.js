// @ts-check
// Fetching raw messages from a webmail, politely: a size cap, at most two requests at a time, a
// minimum gap between requests, and an exponential back-off after errors (429 and 5xx are
// retried; other failures are reported). A failure becomes status "unavailable", never a verdict.

import { RequestError } from './protocol.js';

export const maxRawBytes = 25 << 20; // Gmail's and Outlook's own limits on received mail are below this

/** unavailable is the error of a message that could not be read: status "unavailable". */
export function unavailable(message) {
  return new RequestError('unavailable', message);
}

export class RawFetcher {
  #active = 0;
  #waiting = [];
  #lastStart = 0;
  #penaltyUntil = 0;
  #failures = 0;

  constructor({ fetchImpl = (url, init) => globalThis.fetch(url, init), concurrency = 2, gapMillis = 100, tries = 3 } = {}) {
    this.fetchImpl = fetchImpl;
    this.concurrency = concurrency;
    this.gapMillis = gapMillis;
    this.tries = tries;
  }

  /**
   * fetchBytes fetches url's body. A fetch cancelled (init.signal) while it waits for its turn
   * leaves the queue at once, and takes neither a slot nor the gap after it.
   * @returns {Promise<Uint8Array>}
   */
  async fetchBytes(url, init = {}, maxBytes = maxRawBytes) {
    let lastError;
    for (let attempt = 0; attempt < this.tries; attempt++) {
      await this.#slot(init.signal);
      try {
        const res = await this.fetchImpl(url, init);
        if (res.status === 429 || res.status >= 500) { // the server is busy: tried again after a pause
          lastError = unavailable(`the server answered ${res.status}`);
          this.#failed(res.headers.get('retry-after'));
          continue;
        }
        if (!res.ok) throw unavailable(`the server answered ${res.status}`);
        const bytes = await readCapped(res, maxBytes);
        this.#failures = 0;
        return bytes;
      } catch (err) {
        // A refusal (a status, a size) is final; a cancelled request too; a network failure is
        // tried again after a pause.
        if (err instanceof RequestError) throw err;
        if (err?.name === 'AbortError') throw unavailable('the request was cancelled');
        lastError = unavailable(`network error: ${err?.message ?? err}`);
        this.#failed();
      } finally {
        this.#release();
      }
    }
    throw lastError;
  }

  #failed(retryAfter) {
    this.#failures++;
    const seconds = Number(retryAfter);
    const wait = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 250 * 2 ** Math.min(this.#failures, 6);
    this.#penaltyUntil = Date.now() + Math.min(wait, 30_000);
  }

  // #slot waits for a free slot and the gap since the last start; cancelled (signal), it gives
  // back what it took and throws.
  async #slot(signal) {
    const cancelled = () => unavailable('the request was cancelled');
    if (signal?.aborted) throw cancelled();
    if (this.#active >= this.concurrency) {
      await new Promise((resolve, reject) => {
        const turn = () => { signal?.removeEventListener('abort', leave); resolve(undefined); };
        const leave = () => { this.#waiting = this.#waiting.filter((t) => t !== turn); reject(cancelled()); };
        this.#waiting.push(turn);
        signal?.addEventListener('abort', leave, { once: true });
      });
    }
    this.#active++;
    const wait = Math.max(this.#lastStart + this.gapMillis, this.#penaltyUntil) - Date.now();
    if (wait > 0) {
      const gone = await new Promise((resolve) => {
        const timer = setTimeout(() => { signal?.removeEventListener('abort', leave); resolve(false); }, wait);
        const leave = () => { clearTimeout(timer); resolve(true); };
        signal?.addEventListener('abort', leave, { once: true });
      });
      if (gone) {
        this.#release();
        throw cancelled();
      }
    }
    this.#lastStart = Date.now();
  }

  #release() {
    this.#active--;
    this.#waiting.shift()?.();
  }
}

// readCapped reads a response body as bytes, refusing more than maxBytes without reading it all.
// what names the body in the error.
export async function readCapped(res, maxBytes, what = 'the message') {
  const declared = Number(res.headers.get('content-length'));
  if (declared > maxBytes) throw unavailable(`${what} is larger than ${maxBytes} bytes`);
  if (!res.body) return new Uint8Array(await res.arrayBuffer());
  const reader = res.body.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > maxBytes) {
      await reader.cancel();
      throw unavailable(`${what} is larger than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.length; }
  return out;
}
