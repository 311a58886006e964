// request.js: requests to the background survive a background that is restarting, and one that
// holds a message without answering (Chrome can, while its service worker stops).
import { test } from 'node:test';
import assert from 'node:assert/strict';

globalThis.__BROWSER__ = 'chrome';
globalThis.__DEMO__ = false;
const behaviours = [];
const sent = [];
globalThis.chrome = {
  runtime: {
    id: 'ext',
    getURL: (p) => `chrome-extension://ext/${p}`,
    sendMessage: async (message) => {
      sent.push(message.request);
      const next = behaviours.shift() ?? 'answer';
      if (next === 'hang') return new Promise(() => {});
      if (next === 'gone') throw new Error('Could not establish connection. Receiving end does not exist.');
      if (next === 'locked') return { error: { code: 'locked', message: 'The identity is locked.' } };
      return { result: { ok: true, attempt: sent.length } };
    },
  },
};

const { request, requestPatiently } = await import('../../extension/src/request.js');

test('request retries a background that is not there yet', async () => {
  sent.length = 0;
  behaviours.push('gone', 'gone');
  assert.deepEqual(await request('contentSettings'), { ok: true, attempt: 3 });
});

test('requestPatiently sends again when an attempt gets no answer', async () => {
  sent.length = 0;
  behaviours.push('hang');
  const out = await requestPatiently('contentSettings', {}, { attemptMillis: 50, totalMillis: 5000 });
  assert.deepEqual(out, { ok: true, attempt: 2 });
});

test('requestPatiently gives up, in words, when the budget is spent', async () => {
  sent.length = 0;
  behaviours.push('hang', 'hang', 'hang', 'hang', 'hang', 'hang');
  await assert.rejects(requestPatiently('contentSettings', {}, { attemptMillis: 30, totalMillis: 400 }), /contentSettings: no answer in 30 ms/);
  behaviours.length = 0;
});

test('a failure answered by the background is a RequestError with its code and sentence, not retried', async () => {
  const { RequestError } = await import('../../extension/src/protocol.js');
  sent.length = 0;
  behaviours.push('locked');
  await assert.rejects(request('identityUnlock', { passphrase: 'x' }),
    (e) => e instanceof RequestError && e.code === 'locked' && e.message === 'The identity is locked.');
  assert.equal(sent.length, 1);
});
