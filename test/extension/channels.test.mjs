// One channel mechanism for banner frames and compose windows (extension/src/channels.js): a
// random 128-bit id, a record bound to one tab, claimed once when opened without one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { area } from './browser-stub.mjs';

globalThis.__BROWSER__ = 'chrome';
globalThis.__DEMO__ = false;
const session = area();
globalThis.chrome = { runtime: { id: 'ext', getURL: (p) => `chrome-extension://ext/${p}` }, storage: { session } };
const { newChannelId, channelFor, channelKey, readChannel, writeChannel, closeChannels, channelsWhere } = await import('../../extension/src/channels.js');

test('ids are 128 random bits as hex; anything else names no channel', () => {
  const a = newChannelId();
  assert.match(a, /^[0-9a-f]{32}$/);
  assert.notEqual(a, newChannelId());
  for (const bad of ['', 'x', a.toUpperCase(), `${a}0`, crypto.randomUUID(), '__proto__', null, 7]) assert.equal(channelKey('banner', bad), null, String(bad));
});

test('a channel is read only from its own tab', async () => {
  const id = newChannelId();
  await writeChannel('banner', id, { key: 'r:x', tabId: 3 });
  assert.deepEqual(await channelFor('banner', id, 3), { key: 'r:x', tabId: 3 });
  assert.equal(await channelFor('banner', id, 4), null);
  assert.equal(await channelFor('compose', id, 3), null, 'a banner channel is no compose channel');
  assert.equal(await channelFor('banner', newChannelId(), 3), null);
});

test('a channel opened without a tab is claimed by the first tab that asks, and by no other after', async () => {
  const id = newChannelId();
  await writeChannel('compose', id, { provider: 'gmail' });
  assert.equal(await channelFor('compose', id, 41), null, 'without claim, nobody reads it');
  assert.deepEqual(await channelFor('compose', id, 41, { claim: true }), { provider: 'gmail', tabId: 41 });
  assert.equal(await channelFor('compose', id, 42, { claim: true }), null);
  assert.equal((await readChannel('compose', id)).tabId, 41);
});

test('channels are found by their record and closed', async () => {
  const [a, b] = [newChannelId(), newChannelId()];
  await writeChannel('compose', a, { windowId: 7 });
  await writeChannel('compose', b, { windowId: 8 });
  assert.deepEqual(await channelsWhere('compose', (ch) => ch.windowId === 7), [a]);
  await closeChannels('compose', [a, 'not-an-id']);
  assert.equal(await readChannel('compose', a), null);
  assert.deepEqual(await readChannel('compose', b), { windowId: 8 });
});
