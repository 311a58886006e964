// After an install or update: content scripts go into open webmail tabs (background/open-tabs.js),
// and of two copies in one page the newest takes over (content/instance.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';

globalThis.__BROWSER__ = 'chrome';
globalThis.__DEMO__ = false;
const injected = [];
const queried = [];
globalThis.chrome = {
  runtime: {
    id: 'ext',
    getURL: (p) => `chrome-extension://ext/${p}`,
    getManifest: () => ({
      content_scripts: [{ matches: ['https://mail.google.com/mail/*', 'http://127.0.0.1/*'], js: ['content.js'] }],
    }),
  },
  tabs: {
    query: async ({ url }) => { queried.push(url); return [{ id: 4 }, { id: 7 }, { id: 9 }]; },
  },
  scripting: {
    executeScript: async ({ target, files }) => {
      if (target.tabId === 7) throw new Error('Frame with ID 0 was removed.');
      injected.push([target.tabId, files]);
      return [];
    },
  },
};

const { injectIntoOpenTabs } = await import('../../extension/src/background/open-tabs.js');
const { claim, runtimeGone } = await import('../../extension/src/content/instance.js');

test('injects the manifest\'s content scripts, in order, into every open tab they match', async () => {
  const warn = console.warn;
  const warned = [];
  console.warn = (...a) => warned.push(a.join(' '));
  try {
    assert.equal(await injectIntoOpenTabs(), 2);
  } finally {
    console.warn = warn;
  }
  assert.deepEqual(queried, [['https://mail.google.com/mail/*', 'http://127.0.0.1/*']]);
  assert.deepEqual(injected.sort(), [[4, ['content.js']], [9, ['content.js']]]);
  assert.match(warned[0], /tab 7/); // a tab that went away is skipped, not fatal
});

test('the newest copy of a content script stops the one before it', () => {
  const stopped = [];
  claim('banners', () => stopped.push('first'));
  assert.deepEqual(stopped, []);
  claim('banners', () => stopped.push('second'));
  assert.deepEqual(stopped, ['first']);
  claim('other', () => stopped.push('other'));
  assert.deepEqual(stopped, ['first']);
});

test('a copy cut off from its extension knows it', () => {
  assert.equal(runtimeGone(), false);
  delete globalThis.chrome.runtime.id; // what Chrome does to a content script's runtime after an update
  assert.equal(runtimeGone(), true);
  globalThis.chrome.runtime.id = 'ext';
});
