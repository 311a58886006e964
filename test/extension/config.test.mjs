// Configuration in one place (extension/src/config.js) and the message size in one place
// (message-size.js): both OAuth client ids come from one store, policy before the user's, and
// the compose window and the background agree on how large a message each provider takes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { area } from './browser-stub.mjs';

const local = area();
let managed = {};
globalThis.__BROWSER__ = 'chrome';
globalThis.__DEMO__ = false;
globalThis.chrome = {
  runtime: { id: 'ext', getURL: (p) => `chrome-extension://ext/${p}` },
  storage: { managed: { get: async () => managed }, onChanged: { addListener() {} }, local, session: area() },
};
const { endpoints, saveSigningSettings, signingSettings, loadSettings } = await import('../../extension/src/config.js');
const { fits, largestMessage, estimateSigned } = await import('../../extension/src/message-size.js');

test('both client ids are settings; the identity page sets only its own', async () => {
  local.data.settings = { mark: { word: 'maple', color: '#1565c0' }, outlookClientId: '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b' };
  await saveSigningSettings({ googleClientId: '1234-abc.apps.googleusercontent.com', autoLockMinutes: 20, outlookClientId: '' });
  const e = await endpoints();
  assert.equal(e.googleClientId, '1234-abc.apps.googleusercontent.com');
  assert.equal(e.outlookClientId, '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b', 'the identity page cannot clear the Outlook id');
  assert.deepEqual(await signingSettings(), { googleClientId: '1234-abc.apps.googleusercontent.com', autoLockMinutes: 20 });
  assert.equal(local.data.signingSettings, undefined, 'no second store');
  assert.equal(e.gmailApiBase, 'https://gmail.googleapis.com');
  assert.equal(e.graphBase, 'https://graph.microsoft.com/v1.0');
});

test('a bad client id or auto-lock is refused in words and nothing is kept', async () => {
  const before = structuredClone(local.data.settings);
  await assert.rejects(saveSigningSettings({ googleClientId: 'not-an-id' }), /looks like 1234-abc/);
  await assert.rejects(saveSigningSettings({ autoLockMinutes: 0 }), /between 1 minute and 24 hours/);
  assert.deepEqual(local.data.settings, before);
  assert.equal((await loadSettings()).autoLockMinutes, 20);
});

test('size: Outlook takes about 3 MB of message (4 MB of base64), Gmail 35 MB; the estimate counts base64', () => {
  assert.equal(largestMessage('outlook'), 3 * 1024 * 1024);
  assert.equal(largestMessage('gmail'), 35 * 1024 * 1024);
  assert.equal(fits('outlook', largestMessage('outlook')), true);
  assert.equal(fits('outlook', largestMessage('outlook') + 3), false);
  assert.equal(fits('gmail', largestMessage('gmail') + 1), false);
  assert.equal(estimateSigned({ attachments: [57] }), 8192 + 78);
  assert.equal(estimateSigned({ text: 'x'.repeat(10) }), 8192 + 30);
  assert.equal(estimateSigned({ text: 'ab', html: 'cd', attachments: [57, 58] }), 8192 + 12 + 78 + 156, 'the HTML part counts too');
});
