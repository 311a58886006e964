// Configuration in one place (extension/src/config.js) and the message size in one place
// (message-size.js): both OAuth client ids come from one store, policy before the user's, and
// the compose window and the background agree on how large a message each provider takes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { area } from './browser-stub.mjs';

const local = area();
let managed = {};
const changeListeners = [];
globalThis.__BROWSER__ = 'chrome';
globalThis.__DEMO__ = false;
globalThis.chrome = {
  runtime: { id: 'ext', getURL: (p) => `chrome-extension://ext/${p}` },
  storage: { managed: { get: async () => managed }, onChanged: { addListener: (l) => changeListeners.push(l) }, local, session: area() },
};
const { endpoints, saveSigningSettings, signingSettings, loadSettings, saveSettings } = await import('../../extension/src/config.js');
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

test('the settings are read once, and again after any change: a save here, or one another page made', async () => {
  local.data.settings = { mark: { word: 'maple', color: '#1565c0' }, showUnsignedChip: true };
  for (const l of changeListeners) l({ settings: { newValue: local.data.settings } }, 'local');
  const get = local.get;
  let n = 0;
  local.get = (keys) => { n++; return get(keys); };
  try {
    assert.equal((await loadSettings()).showUnsignedChip, true);
    const s = await loadSettings();
    s.showUnsignedChip = 'changed by a caller';
    assert.equal((await loadSettings()).showUnsignedChip, true, 'a caller changes its own copy only');
    assert.equal(n, 1);
    await saveSettings({ showUnsignedChip: false });
    assert.equal((await loadSettings()).showUnsignedChip, false, 'a save is seen at once');
    local.data.settings = { ...local.data.settings, showUnsignedChip: true };
    for (const l of changeListeners) l({ settings: { newValue: local.data.settings } }, 'local');
    assert.equal((await loadSettings()).showUnsignedChip, true, 'a change another page made is seen');
    for (const l of changeListeners) l({ other: { newValue: 1 } }, 'local');
    const before = n;
    await loadSettings();
    assert.equal(n, before, 'another key changing reads nothing again');
  } finally {
    local.get = get;
  }
});
