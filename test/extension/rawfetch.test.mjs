import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RawFetcher } from '../../extension/src/rawfetch.js';
import { RequestError } from '../../extension/src/protocol.js';

const ok = (body) => new Response(body, { status: 200 });

test('reads bytes exactly', async () => {
  const f = new RawFetcher({ fetchImpl: async () => ok(new Uint8Array([0, 255, 13, 10])), gapMillis: 0 });
  assert.deepEqual([...(await f.fetchBytes('x'))], [0, 255, 13, 10]);
});

test('refuses more than the cap, declared or streamed', async () => {
  const big = new RawFetcher({ fetchImpl: async () => ok(new Uint8Array(11)), gapMillis: 0 });
  await assert.rejects(big.fetchBytes('x', {}, 10), RequestError);
  const declared = new RawFetcher({ fetchImpl: async () => new Response('a', { headers: { 'content-length': '999' } }), gapMillis: 0 });
  await assert.rejects(declared.fetchBytes('x', {}, 10), /larger than 10/);
});

test('retries 503 with back-off, then gives up as unavailable; 404 is not retried', async () => {
  let calls = 0;
  const f = new RawFetcher({ fetchImpl: async () => { calls++; return new Response('', { status: 503 }); }, gapMillis: 0, tries: 2 });
  await assert.rejects(f.fetchBytes('x'), /answered 503/);
  assert.equal(calls, 2);
  calls = 0;
  const g = new RawFetcher({ fetchImpl: async () => { calls++; return new Response('', { status: 404 }); }, gapMillis: 0 });
  await assert.rejects(g.fetchBytes('x'), /answered 404/);
  assert.equal(calls, 1);
});

test('at most `concurrency` requests at once', async () => {
  let active = 0;
  let peak = 0;
  const f = new RawFetcher({
    concurrency: 2, gapMillis: 0,
    fetchImpl: async () => { active++; peak = Math.max(peak, active); await new Promise((r) => setTimeout(r, 20)); active--; return ok('x'); },
  });
  await Promise.all(Array.from({ length: 6 }, () => f.fetchBytes('x')));
  assert.equal(peak, 2);
});
