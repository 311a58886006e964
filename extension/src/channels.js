// @ts-check
// Channels: how the background gives one of its pages what it may show or do, and nothing else.
// A channel is a record in storage.session (which content scripts cannot read) under a random
// 128-bit id that only the background and the page it opened know: the banner frame finds it in
// its URL, which sits behind a closed shadow root; the compose window in its own window's URL.
// A channel belongs to one tab: only a page in that tab can read it. A compose window is created
// before the browser says which tab it got, so its channel may be opened without a tab and is
// then claimed by the first page that asks (`claim`), and by no other after.
//
//   banner:<id>   → {key, tabId, entry?}  what a banner frame shows (background/banner-channels.js)
//   compose:<id>  → {provider, account, reference, tabId?, windowId?, prefill?, …}
//                                          what a compose window starts with (signing/compose-window.js)
//   decrypt:<id>  → {provider, messageId, tabURL, sourceTab, tabId?, windowId?}
//                                          which message a decrypt window reads (decrypt/window.js)
import { ext } from './platform.js';

/** @typedef {'banner'|'compose'|'decrypt'} ChannelKind */

const idPattern = /^[0-9a-f]{32}$/;

/** newChannelId is a random 128-bit id, as hex. */
export function newChannelId() {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** channelKey is where a channel lives in storage.session; null for an id of the wrong form. */
export function channelKey(/** @type {ChannelKind} */ kind, id) {
  return typeof id === 'string' && idPattern.test(id) ? `${kind}:${id}` : null;
}

/** readChannel gives a channel's record, whoever asks (the background's own use). */
export async function readChannel(/** @type {ChannelKind} */ kind, id) {
  const key = channelKey(kind, id);
  if (!key) return null;
  const { [key]: record } = await ext.storage.session.get(key);
  return record ?? null;
}

/**
 * channelFor gives a channel's record to a page in tab tabId, or null when the channel is
 * another tab's. With claim, a channel not yet bound to a tab becomes this tab's.
 */
export async function channelFor(/** @type {ChannelKind} */ kind, id, tabId, { claim = false } = {}) {
  if (!Number.isInteger(tabId)) return null;
  const record = await readChannel(kind, id);
  if (!record) return null;
  if (record.tabId === undefined && claim) {
    const claimed = { ...record, tabId };
    await ext.storage.session.set({ [channelKey(kind, id)]: claimed });
    return claimed;
  }
  return record.tabId === tabId ? record : null;
}

/** writeChannel stores a channel's record (a new one, or one the background changed). */
export async function writeChannel(/** @type {ChannelKind} */ kind, id, record) {
  const key = channelKey(kind, id);
  if (!key) throw new Error('channels: bad id');
  await ext.storage.session.set({ [key]: record });
}

/** closeChannels forgets channels. */
export async function closeChannels(/** @type {ChannelKind} */ kind, ids) {
  const keys = ids.map((id) => channelKey(kind, id)).filter(Boolean);
  if (keys.length) await ext.storage.session.remove(keys);
}

/** channelsWhere gives the ids of a kind's channels whose record satisfies keep. */
export async function channelsWhere(/** @type {ChannelKind} */ kind, keep) {
  const all = await ext.storage.session.get(null);
  const prefix = `${kind}:`;
  return Object.keys(all).filter((k) => k.startsWith(prefix) && keep(all[k])).map((k) => k.slice(prefix.length));
}
