// Red team 5: openChannel now binds the frame's wait id in its own read and write
// (background/banner-channels.js, fc3c73d). A conversation opens its messages at once: their
// lookups run side by side, each reads the tab's lists (t:, tw:) and writes them back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { area } from './browser-stub.mjs';

globalThis.__BROWSER__ = 'chrome';
globalThis.__DEMO__ = false;
const session = area();
globalThis.chrome = {
  runtime: { id: 'ext', getURL: (p) => `chrome-extension://ext/${p}` },
  storage: { session, local: area(), managed: { get: async () => ({}) }, onChanged: { addListener() {} } },
  i18n: { getMessage: () => '' },
  action: { setBadgeText: async () => {}, setBadgeBackgroundColor: async () => {}, setTitle: async () => {} },
};
const { openChannel, forgetTab, waitedChannel } = await import('../../extension/src/background/banner-channels.js');
const { newChannelId } = await import('../../extension/src/channels.js');

test('the lookups of a conversation, answered side by side, leave nothing of the tab once it is forgotten', async () => {
  const tabId = 9;
  const entry = { report: { status: 'valid' } };
  const waits = [newChannelId(), newChannelId(), newChannelId()];
  const opened = await Promise.all(waits.map((w, i) => openChannel(`r:a\nm${i}`, tabId, null, entry, { wait: w })));
  assert.ok(opened.every((o) => o.bound));
  // Each frame finds its own channel.
  for (const [i, w] of waits.entries()) assert.equal((await waitedChannel(w, tabId))?.channel, opened[i].id);
  await forgetTab(tabId);
  const left = Object.keys(session.data).filter((k) => k.startsWith('w:') || k.startsWith('banner:'));
  assert.deepEqual(left, [], 'bindings and channels the tab lists lost (read-modify-write of t:/tw:) stay in storage.session for the session');
});
