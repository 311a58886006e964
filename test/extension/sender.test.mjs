// Who may talk to the background (extension/src/background/sender.js), with a stub of the
// browser API: only this extension's content scripts in a webmail tab's top frame, and its pages.
import { test } from 'node:test';
import assert from 'node:assert/strict';

globalThis.__BROWSER__ = 'chrome';
globalThis.__DEMO__ = false;
globalThis.chrome = {
  runtime: { id: 'ext', getURL: (p) => `chrome-extension://ext/${p}` },
  storage: { managed: { get: async () => ({}) }, onChanged: { addListener() {} }, local: { get: async () => ({}) } },
};
const { callerOf } = await import('../../extension/src/background/sender.js');

const tab = { id: 7 };

test('our content script in a webmail tab', async () => {
  assert.deepEqual(await callerOf({ id: 'ext', url: 'https://mail.google.com/mail/u/0/#inbox', tab, frameId: 0 }),
    { kind: 'content', tabId: 7, frameId: 0, url: 'https://mail.google.com/mail/u/0/#inbox', provider: 'gmail', incognito: false });
  assert.equal((await callerOf({ id: 'ext', url: 'https://outlook.office.com/mail/', tab, frameId: 0 })).kind, 'content');
  // A private window's tab says so: the sender memory learns nothing there.
  assert.equal((await callerOf({ id: 'ext', url: 'https://mail.google.com/mail/u/0/', tab: { id: 8, incognito: true }, frameId: 0 })).incognito, true);
});

test('our pages: the banner framed, every other page only at the top of its tab or window', async () => {
  const pageOf = async (s) => (await callerOf({ id: 'ext', ...s }))?.page;
  assert.equal(await pageOf({ url: 'chrome-extension://ext/pages/banner.html?c=1', tab, frameId: 3 }), 'banner.html');
  assert.equal(await pageOf({ url: 'chrome-extension://ext/pages/popup.html' }), 'popup.html'); // the toolbar popup has no tab
  assert.equal(await pageOf({ url: 'chrome-extension://ext/pages/compose.html#c', tab: { id: 9 }, frameId: 0 }), 'compose.html');
  assert.equal(await pageOf({ url: 'chrome-extension://ext/pages/options.html', tab, frameId: 0 }), 'options.html');
  // Framed in a web page (or a page a banner frame navigated itself to): no page at all.
  for (const p of ['compose.html#c', 'identity.html', 'options.html', 'popup.html']) {
    assert.equal(await pageOf({ url: `chrome-extension://ext/pages/${p}`, tab, frameId: 5 }), null, p);
  }
  assert.equal(await pageOf({ url: 'chrome-extension://ext/pages/banner.html?c=1', tab, frameId: 0 }), null, 'a banner alone in a tab');
  assert.equal(await pageOf({ url: 'chrome-extension://ext/background.js' }), null);
});

test('everyone else is nobody', async () => {
  const nobody = [
    { id: 'other', url: 'https://mail.google.com/mail/u/0/', tab, frameId: 0 }, // another extension
    { id: 'ext', url: 'https://mail.google.com/mail/u/0/', tab, frameId: 2 }, // a subframe
    { id: 'ext', url: 'https://evil.example/', tab, frameId: 0 }, // not a webmail
    { id: 'ext', url: 'http://127.0.0.1:8701/mail/u/0/', tab, frameId: 0 }, // demo host, production build
    { id: 'ext', url: 'chrome-extension://other/pages/banner.html', tab, frameId: 1 },
    { id: 'ext', url: 'https://mail.google.com/mail/u/0/', frameId: 0 }, // no tab
    null,
  ];
  for (const s of nobody) assert.equal(await callerOf(s), null, JSON.stringify(s));
});
