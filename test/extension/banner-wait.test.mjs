// A banner frame loaded before its verdict (extension/src/background/banner-channels.js): the
// content script binds the frame's wait id to the verdict's channel, and the frame's question for
// its report waits for that. Neither order of the two loses the verdict, nor does a frame that
// loads again; only a channel of the frame's own tab can be bound, once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { area } from './browser-stub.mjs';

globalThis.__BROWSER__ = 'chrome';
globalThis.__DEMO__ = false;
const session = area();
globalThis.chrome = { runtime: { id: 'ext', getURL: (p) => `chrome-extension://ext/${p}` }, storage: { session }, i18n: { getMessage: () => '' } };
const { bindWait, waitedChannel, forgetTab } = await import('../../extension/src/background/banner-channels.js');
const { newChannelId, writeChannel } = await import('../../extension/src/channels.js');

async function bannerChannel(tabId) {
  const id = newChannelId();
  await writeChannel('banner', id, { key: 'r:a\nm', tabId });
  return id;
}

test('the frame that asks before the verdict gets its channel once it is bound', async () => {
  const [wait, channel] = [newChannelId(), await bannerChannel(5)];
  const asked = waitedChannel(wait, 5);
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(await bindWait(wait, channel, 5), true);
  assert.equal((await asked)?.channel, channel);
});

test('the frame that asks after the binding (another life of the worker) gets it, and again when it loads again', async () => {
  const [wait, channel] = [newChannelId(), await bannerChannel(5)];
  await bindWait(wait, channel, 5);
  assert.equal((await waitedChannel(wait, 5))?.channel ?? null, channel);
  assert.equal((await waitedChannel(wait, 5))?.channel ?? null, channel, 'a frame the page moved loads and asks again');
  assert.equal((await waitedChannel(wait, 6))?.channel ?? null, null, 'a frame in another tab learns nothing');
});

test('only a channel of the tab, once, under a well-formed wait id', async () => {
  const [wait, mine, other] = [newChannelId(), await bannerChannel(5), await bannerChannel(6)];
  await assert.rejects(bindWait(wait, other, 5), /not a channel of this tab/);
  await assert.rejects(bindWait('__proto__', mine, 5), /bad wait id/);
  await assert.rejects(bindWait(wait.toUpperCase(), mine, 5), /bad wait id/);
  await bindWait(wait, mine, 5);
  await assert.rejects(bindWait(wait, await bannerChannel(5), 5), /already bound/, 'a binding is never pointed elsewhere');
  assert.equal((await waitedChannel(wait, 5))?.channel ?? null, mine);
  await assert.rejects(waitedChannel('x', 5), /bad wait id/);
});

test('a closed tab takes its bindings with it', async () => {
  const [wait, channel] = [newChannelId(), await bannerChannel(9)];
  await bindWait(wait, channel, 9);
  await forgetTab(9);
  assert.ok(!Object.keys(session.data).some((k) => k === `w:${wait}` || k === 'tw:9'));
});
