// The content scripts' patience (extension/src/content/patience.js): a start that fails is tried
// again with growing pauses until it works, and a verdict that never comes is given up on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startPatiently, within, TooLate } from '../../extension/src/content/patience.js';

test('a failed start is tried again, with back-off, until it succeeds', async () => {
  const pauses = [];
  let calls = 0;
  const out = await startPatiently(async () => {
    if (++calls < 9) throw new Error('Receiving end does not exist');
    return 'started';
  }, { first: 1000, max: 60_000, sleep: async (ms) => { pauses.push(ms); }, warn: () => {} });
  assert.equal(out, 'started');
  assert.deepEqual(pauses, [1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000]);
});

test('an aborted start stops trying', async () => {
  const stop = new AbortController();
  let calls = 0;
  await startPatiently(async () => { calls++; throw new Error('busy'); }, { signal: stop.signal, sleep: async () => { if (calls === 3) stop.abort(); }, warn: () => {} });
  assert.equal(calls, 3);
});

test('a verdict that never comes is given up on after the bound; one in time is kept', async () => {
  await assert.rejects(within(new Promise(() => {}), 20), TooLate);
  assert.equal(await within(Promise.resolve('valid'), 20), 'valid');
  await assert.rejects(within(Promise.reject(new Error('refused')), 20), /refused/);
});
