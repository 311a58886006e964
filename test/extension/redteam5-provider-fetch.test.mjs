// Red team 5: the fetch that runs alongside the lookup (providers/provider.js verdict, fc3c73d).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Gmail } from '../../extension/src/providers/gmail.js';
import { RawFetcher } from '../../extension/src/rawfetch.js';
import { dom, gmailThread } from './fixtures.mjs';

function gmail() {
  const { document, location } = dom(gmailThread, 'https://mail.google.com/mail/u/1/#inbox/FMfcgz');
  const sent = [];
  const fetchImpl = async (url, init) => {
    if (init?.signal?.aborted) throw new DOMException('aborted', 'AbortError');
    sent.push([url, Date.now()]);
    return new Response(new Uint8Array([1, 2, 3]));
  };
  return { provider: new Gmail({ document, location, fetcher: new RawFetcher({ fetchImpl }) }), sent };
}

// The background answers a lookup from its session cache in a few ms.
const cachedLookup = async (name) => {
  await new Promise((r) => setTimeout(r, 3));
  return name === 'lookup' ? { channel: 'c', view: { status: 'valid' } } : { channel: 'v', view: { status: 'valid' } };
};

test('a message the background has cached is not fetched from the webmail when it opens', async () => {
  // A reload of the page: it learns what the cache has as it starts (content/main.js), and every
  // lookup hits.
  const { provider, sent } = gmail();
  const [first] = provider.scan();
  provider.learnCached(async () => [first.id]);
  await Promise.all([0, 1, 2, 3].map(() => provider.verdict(first, cachedLookup)));
  assert.equal(sent.length, 0, `${sent.length} requests went to the webmail for a message whose verdict was cached`);
});

test('a message the page shows in several places at once is fetched early once at most', async () => {
  // Cached by another tab after this page started: the page does not know, and one early fetch
  // goes out (cancelled when the lookup hits); its copies ask the cache only.
  const { provider, sent } = gmail();
  const [first] = provider.scan();
  await Promise.all([0, 1, 2, 3].map(() => provider.verdict(first, cachedLookup)));
  assert.ok(sent.length <= 1, `${sent.length} requests went to the webmail for one message`);
});

test('cancelled fetches of cached messages do not delay the fetch of a message that needs one', async () => {
  const { provider, sent } = gmail();
  const [first] = provider.scan();
  // A conversation of 12 cached messages reopened after a reload (or one the page repeats 12 times).
  const cached = Array.from({ length: 12 }, (_, i) => ({ ...first, id: `cached${i}` }));
  await Promise.all(cached.map((o) => provider.verdict(o, cachedLookup)));
  const t0 = Date.now();
  const miss = async (name) => (name === 'lookup' ? null : { channel: 'v', view: { status: 'valid' } });
  await provider.verdict({ ...first, id: 'new1' }, miss);
  const waited = Date.now() - t0;
  assert.ok(waited < 150, `the message that needed its bytes waited ${waited} ms behind cancelled fetches`);
});
