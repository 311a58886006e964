// Red team 5: a fetch cancelled by a cache hit (providers/provider.js verdict, fc3c73d) still
// takes a RawFetcher slot and its 100 ms gap when it was queued: a reopened conversation of
// cached messages (after a page reload, `answered` is empty) queues one cancelled fetch per
// message, and the one message that does need its bytes waits behind all of them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RawFetcher } from '../../extension/src/rawfetch.js';

// fetchImpl answers at once, or rejects as fetch does for an aborted signal.
const started = [];
const fetchImpl = async (url, init) => {
  if (init?.signal?.aborted) throw new DOMException('aborted', 'AbortError');
  started.push([url, Date.now()]);
  return new Response(new Uint8Array([1]));
};

test('a queued fetch that was cancelled does not hold back the next one', async () => {
  const fetcher = new RawFetcher({ fetchImpl, gapMillis: 50 });
  const t0 = Date.now();
  const cancels = [];
  // Ten messages of a reopened conversation: each fetch starts with its lookup...
  const early = [];
  for (let i = 0; i < 10; i++) {
    const c = new AbortController();
    cancels.push(c);
    early.push(fetcher.fetchBytes(`cached-${i}`, { signal: c.signal }).catch(() => null));
  }
  // ...and each lookup hits a few ms later: every fetch is cancelled.
  await new Promise((r) => setTimeout(r, 5));
  for (const c of cancels) c.abort();
  // The one message the cache does not have.
  await fetcher.fetchBytes('needed');
  const waited = started.find(([u]) => u === 'needed')[1] - t0;
  await Promise.all(early);
  // 2 fetches went out before the cancel; the 8 cancelled in the queue should cost nothing.
  assert.ok(waited < 200, `the needed fetch started after ${waited} ms, behind cancelled ones (8 x 50 ms gap)`);
});
