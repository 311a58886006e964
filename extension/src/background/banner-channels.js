// @ts-check
// The banner channels of each tab (channels.js), kept in storage.session with the tab's list of
// its recent banners (for the popup and the badge):
//
//   banner:<channel>  → {key, tabId, entry?}  what a banner frame may show: a report's key in the
//                                             report cache (reports.js), or the entry itself
//   t:<tabId>         → [channel, …]          the tab's recent banners, newest first
//
// A tab keeps its last channels only (storage.session is shared and bounded; reports.js).
import { ext } from '../platform.js';
import { showVerdict } from './badge.js';
import { channelFor, channelKey, closeChannels, newChannelId, readChannel } from '../channels.js';
import { cachedReport, write } from '../reports.js';

const area = ext.storage.session;

// A tab keeps its last channels (a long conversation shows many banners at once).
const maxTabChannels = 200;

// openChannel opens a banner channel (channels.js) for the report under key, in tab tabId.
export async function openChannel(key, tabId, entry = null) {
  const id = newChannelId();
  /** @type {{key: string, tabId: number, entry?: object}} */
  const record = { key, tabId };
  if (entry) record.entry = entry; // a result not kept in the report cache (status unavailable)
  const tabKey = `t:${tabId}`;
  const { [tabKey]: recent = [] } = await area.get(tabKey);
  const ids = [id, ...recent];
  // A channel the tab no longer lists is forgotten (its banner was replaced long ago).
  if (ids.length > maxTabChannels) await closeChannels('banner', ids.slice(maxTabChannels));
  await write({ [channelKey('banner', id)]: record, [tabKey]: ids.slice(0, maxTabChannels) });
  showVerdict(tabId, (entry ?? (await cachedReport(key)))?.report);
  return id;
}

// channel gives a banner channel's record (for the background's own use: the popup, the badge).
export function channel(id) {
  return readChannel('banner', id);
}

// tabChannel gives a banner channel's record to a frame in tab tabId, or null for another tab's.
export function tabChannel(id, tabId) {
  return channelFor('banner', id, tabId);
}

export async function tabChannels(tabId) {
  const tabKey = `t:${tabId}`;
  const { [tabKey]: recent = [] } = await area.get(tabKey);
  return recent;
}

export async function forgetTab(tabId) {
  const ids = await tabChannels(tabId);
  await area.remove(`t:${tabId}`);
  await closeChannels('banner', ids);
}
