// Privilege separation: every request the background answers names the callers it accepts
// (extension/src/protocol.js), and this table is the whole of it. A request that gains a caller,
// or a new request, fails here until the table says so; every caller not listed is refused by
// allows().
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { register } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const loader = pathToFileURL(join(import.meta.dirname, '..', '..', 'dist', 'wasm', 'loader.js')).href;
register(`data:text/javascript,${encodeURIComponent(`export async function resolve(s, c, next) {
  return s === 'mailseal-core' ? { url: ${JSON.stringify(loader)}, shortCircuit: true } : next(s, c);
}`)}`);

const area = () => ({ get: async () => ({}), set: async () => {}, remove: async () => {}, setAccessLevel: async () => {} });
globalThis.__BROWSER__ = 'chrome';
globalThis.__DEMO__ = false;
globalThis.chrome = {
  runtime: { id: 'ext', getURL: (p) => `chrome-extension://ext/${p}`, onStartup: { addListener() {} } },
  storage: { managed: { get: async () => ({}) }, onChanged: { addListener() {} }, local: area(), session: area() },
};
const { handlers } = await import('../../extension/src/handlers.js');
const { requests } = await import('../../extension/src/protocol.js');
const { allows, callerOf } = await import('../../extension/src/background/sender.js');

const table = {
  contentSettings: ['content'], lookup: ['content'], cachedMessages: ['content'], prepare: ['content'], bindBanner: ['content'], verify: ['content'], verifyOutlook: ['content'], unavailable: ['content'],
  bannerTampered: ['content'], composeOpen: ['content'], layoutProblem: ['content'],
  bannerReport: ['banner.html'], signedContent: ['banner.html'], resize: ['banner.html'],
  tabStatus: ['popup.html'], tabLayout: ['popup.html'], firstRun: ['popup.html', 'first-run.html'],
  getSettings: ['options.html', 'popup.html', 'first-run.html'], connectOutlook: ['options.html', 'popup.html', 'first-run.html'],
  saveSettings: ['options.html', 'first-run.html'], addUserRoots: ['options.html'], removeUserRoot: ['options.html'],
  stats: ['options.html', 'banner.html'],
  composeDraft: ['compose.html'], signAndSend: ['compose.html'],
  // Recipients' certificates (from the sender memory, or a file): only the compose window asks.
  recipientCertificates: ['compose.html'],
  identityStatus: ['identity.html', 'compose.html', 'first-run.html'], identityUnlock: ['identity.html', 'compose.html'], identityLock: ['identity.html', 'compose.html'],
  identityPreview: ['identity.html'], identityImport: ['identity.html'], identityExport: ['identity.html'], identityDelete: ['identity.html'],
  saveSigningSettings: ['identity.html'],
  // The sender memory: listing, pinning, forgetting, export and import only from the options page.
  memoryAccounts: ['options.html'], memoryList: ['options.html'], memoryEdit: ['options.html'],
  memoryExport: ['options.html'], memoryImport: ['options.html'],
  // The decrypt window: opened only from a banner frame, read only by the window itself.
  decryptOpen: ['banner.html'], decryptRead: ['decrypt.html'],
  // Identities kept to decrypt: listed, imported and removed only from the identity page.
  identityKeptList: ['identity.html'], identityKeptImport: ['identity.html'], identityKeptRemove: ['identity.html'],
};

test('every request lists exactly the callers of the table', () => {
  assert.deepEqual(Object.keys(handlers).sort(), Object.keys(table).sort());
  assert.deepEqual(Object.keys(requests).sort(), Object.keys(table).sort());
  for (const [name, from] of Object.entries(table)) assert.deepEqual([...requests[name]].sort(), [...from].sort(), name);
});

test('a caller outside a request\'s list is refused, whatever it asks', async () => {
  const tab = { id: 3 };
  const senders = {
    content: { url: 'https://mail.google.com/mail/u/0/', tab, frameId: 0 },
    'banner.html': { url: 'chrome-extension://ext/pages/banner.html?c=1', tab, frameId: 2 },
    'popup.html': { url: 'chrome-extension://ext/pages/popup.html' },
    'options.html': { url: 'chrome-extension://ext/pages/options.html', tab, frameId: 0 },
    'identity.html': { url: 'chrome-extension://ext/pages/identity.html', tab, frameId: 0 },
    'first-run.html': { url: 'chrome-extension://ext/pages/first-run.html', tab, frameId: 0 },
    'framed first-run': { url: 'chrome-extension://ext/pages/first-run.html', tab, frameId: 2 },
    'compose.html': { url: 'chrome-extension://ext/pages/compose.html#x', tab, frameId: 0 },
    'framed compose': { url: 'chrome-extension://ext/pages/compose.html#x', tab, frameId: 2 },
    'framed identity': { url: 'chrome-extension://ext/pages/identity.html', tab, frameId: 2 },
    'framed options': { url: 'chrome-extension://ext/pages/options.html', tab, frameId: 2 },
    'decrypt.html': { url: 'chrome-extension://ext/pages/decrypt.html#x', tab, frameId: 0 },
    'framed decrypt': { url: 'chrome-extension://ext/pages/decrypt.html#x', tab, frameId: 2 },
  };
  for (const [who, sender] of Object.entries(senders)) {
    const caller = await callerOf({ id: 'ext', ...sender });
    for (const [name, from] of Object.entries(table)) {
      assert.equal(allows(name, caller), from.includes(who), `${who} → ${name}`);
    }
  }
  assert.equal(allows('toString', await callerOf({ id: 'ext', ...senders['options.html'] })), false);
  assert.equal(allows('noSuchRequest', await callerOf({ id: 'ext', ...senders['options.html'] })), false);
});
