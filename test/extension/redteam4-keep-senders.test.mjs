// Red team (held): who can hold Firefox's kept event page. The background's runtime.onConnect
// (worker.js, background/keep-awake.js) must close at once, and start no core for, a keep port
// from anything but its own content script in a webmail tab's top frame: the banner frame the
// webmail page holds, a content script in a webmail sub-frame, another extension, an extension
// page with no tab.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aliasCore, area } from './browser-stub.mjs';

aliasCore();
globalThis.__BROWSER__ = 'firefox';
globalThis.__DEMO__ = false;
let connected = null;
const event = () => ({ addListener() {} });
let storageCalls = 0;
const counted = (a) => new Proxy(a, { get: (t, k) => (typeof t[k] === 'function' ? (...x) => { storageCalls++; return t[k](...x); } : t[k]) });
globalThis.browser = {
  runtime: {
    id: 'ext', getURL: (p) => `moz-extension://ext/${p}`,
    onMessage: event(), onInstalled: event(), onStartup: event(), onSuspend: event(),
    onConnect: { addListener(fn) { connected = fn; } },
  },
  storage: { managed: { get: async () => ({}) }, onChanged: event(), local: area(), session: counted(area()) },
  tabs: { onRemoved: event() },
  windows: { onRemoved: event() },
  action: { setBadgeText: async () => {}, setBadgeBackgroundColor: async () => {}, setTitle: async () => {} },
  i18n: { getMessage: () => '' },
};
await import('../../extension/src/worker.js');

function port(sender) {
  const p = { name: 'mailseal-keep', sender, closed: false, disconnect() { p.closed = true; }, postMessage() { p.told = true; } };
  p.onMessage = { addListener() {} };
  p.onDisconnect = { addListener() {} };
  return p;
}

test('redteam (held): a keep port from the banner frame, a sub-frame, another extension or a tabless page is closed at once', async () => {
  const tab = { id: 3 };
  const strangers = {
    'the banner frame in the webmail': { id: 'ext', url: 'moz-extension://ext/pages/banner.html?w=' + 'a'.repeat(32), tab, frameId: 4 },
    'a banner frame alone in a tab': { id: 'ext', url: 'moz-extension://ext/pages/banner.html?c=' + 'a'.repeat(32), tab, frameId: 0 },
    'a content script in a webmail sub-frame': { id: 'ext', url: 'https://mail.google.com/mail/u/0/', tab, frameId: 2 },
    'another extension in the webmail': { id: 'other@ext', url: 'https://mail.google.com/mail/u/0/', tab, frameId: 0 },
    'an extension page without a tab': { id: 'ext', url: 'moz-extension://ext/pages/popup.html' },
    'a web page': { id: 'ext', url: 'https://evil.example/', tab, frameId: 0 },
  };
  const before = storageCalls;
  const ports = Object.entries(strangers).map(([who, sender]) => [who, port(sender)]);
  for (const [, p] of ports) connected(p);
  await new Promise((r) => setTimeout(r, 50));
  for (const [who, p] of ports) {
    assert.equal(p.closed, true, `${who}: kept`);
    assert.equal(p.told, undefined, `${who}: was told the idle timeout`);
  }
  assert.equal(storageCalls, before, 'a refused port made the background read its store');
});
