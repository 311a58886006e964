// Red team: the compose window's account comes from the webmail tab's title, which for an open
// conversation begins with the subject a sender chose.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aliasCore, area } from './browser-stub.mjs';

aliasCore();

const session = area();
globalThis.__BROWSER__ = 'chrome';
globalThis.__DEMO__ = false;
let title = '';
globalThis.chrome = {
  runtime: { id: 'ext', getURL: (p) => `chrome-extension://ext/${p}`, onStartup: { addListener() {} } },
  storage: { managed: { get: async () => ({}) }, onChanged: { addListener() {} }, local: area(), session },
  identity: { getRedirectURL: () => 'https://ext.chromiumapp.org/', launchWebAuthFlow: async () => { throw new Error('no sign-in in tests'); } },
  tabs: { get: async (id) => ({ id, title }), query: async () => [] },
  windows: { onRemoved: { addListener() {} }, opened: [], async create(o) { this.opened.push(o); return { id: 90 + this.opened.length, tabs: [{ id: 40 + this.opened.length }] }; } },
};

const { signingHandlers } = await import('../../extension/src/signing/handlers.js');

test("a subject holding an address does not become the account a compose window sends from", async () => {
  const content = { kind: 'content', tabId: 4, provider: 'gmail', url: 'https://mail.google.com/mail/u/1/#inbox' };
  for (const [t, want] of [
    ['Your invoice from billing@bank.example - a@example.com - Gmail', 'a@example.com'],
    ['x@evil.example - y@evil.example - Gmail - A@Example.com - Gmail', 'a@example.com'],
    ['Inbox (3) - a@example.com - Gmail', 'a@example.com'],
  ]) {
    title = t;
    chrome.windows.opened.length = 0;
    await signingHandlers.composeOpen({}, content);
    const channel = chrome.windows.opened[0].url.split('#')[1];
    const got = await signingHandlers.composeDraft({ channel }, { kind: 'page', page: 'compose.html', url: chrome.windows.opened[0].url, tabId: 41 });
    assert.equal(got.account, want, t);
  }
});
