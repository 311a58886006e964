// @ts-check
// The banner channels of each tab (channels.js), kept in storage.session with the tab's list of
// its recent banners (for the popup and the badge):
//
//   banner:<channel>  → {key, tabId, entry?}  what a banner frame may show: a report's key in the
//                                             report cache (reports.js), or the entry itself
//   t:<tabId>         → [channel, …]          the tab's recent banners, newest first
//   w:<wait>          → {channel, tabId}      a banner frame that loaded before its verdict: the
//                                             channel its content script bound to it (bindWait)
//   tw:<tabId>        → [wait, …]             the tab's recent wait ids, newest first
//
// A tab keeps its last channels only (storage.session is shared and bounded; reports.js).
import { ext } from '../platform.js';
import { showVerdict } from './badge.js';
import { channelFor, channelKey, closeChannels, newChannelId, readChannel } from '../channels.js';
import { RequestError } from '../protocol.js';
import { cachedReport, write } from '../reports.js';

const area = ext.storage.session;

// A tab keeps its last channels (a long conversation shows many banners at once).
const maxTabChannels = 200;

/**
 * openChannel opens a banner channel (channels.js) for the report under key, in tab tabId.
 * shown is the entry the toolbar badge follows, when the caller has it in hand already (the
 * report cache is then not read again). wait, the wait id of a banner frame loaded before this
 * verdict (below), is bound to the new channel in the same write, unless it was bound before or
 * is not a wait id: bound says whether it was.
 * @returns {Promise<{id: string, bound: boolean}>}
 */
export async function openChannel(key, tabId, entry = null, shown = entry, wait = undefined) {
  const id = newChannelId();
  /** @type {{key: string, tabId: number, entry?: object}} */
  const record = { key, tabId };
  if (entry) record.entry = entry; // a result not kept in the report cache (status unavailable)
  const tabKey = `t:${tabId}`;
  const waitsKey = `tw:${tabId}`;
  const bindable = typeof wait === 'string' && waitPattern.test(wait);
  const got = await area.get(bindable ? [tabKey, `w:${wait}`, waitsKey] : [tabKey]);
  const ids = [id, ...(got[tabKey] ?? [])];
  // A channel the tab no longer lists is forgotten (its banner was replaced long ago).
  if (ids.length > maxTabChannels) await closeChannels('banner', ids.slice(maxTabChannels));
  const items = { [channelKey('banner', id)]: record, [tabKey]: ids.slice(0, maxTabChannels) };
  const bound = bindable && !got[`w:${wait}`];
  if (bound) Object.assign(items, await waitItems(wait, id, tabId, got[waitsKey] ?? []));
  await write(items);
  if (bound) wakeWaiting(wait, { channel: id, tabId, record });
  showVerdict(tabId, (shown ?? (await cachedReport(key)))?.report);
  return { id, bound: Boolean(bound) };
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
  const { [`tw:${tabId}`]: waits = [] } = await area.get(`tw:${tabId}`);
  await area.remove([`t:${tabId}`, `tw:${tabId}`, ...waits.map((w) => `w:${w}`)]);
  await closeChannels('banner', ids);
}

// A banner frame is loaded while its message is still being fetched and verified
// (content/banner-host.js), under a wait id its content script made, and asks for its report at
// once. The content script binds that id to the verdict's channel when the verdict comes; the frame's
// question waits for it. The binding is kept in storage.session, so that neither order of the two
// requests, nor a worker restart between them, loses the verdict; and only the tab's own content
// script can bind (the page cannot send requests), once per id, to a channel of its own tab.
const waitPattern = /^[0-9a-f]{32}$/;
// wait id → the frame's questions waiting for it. A page can frame banner.html with made-up wait
// ids (it is web-accessible, as with made-up channel ids before): each costs a timer for
// waitMillis, far less than the frame the page made for it.
const waiting = new Map();
// How long a frame waits for its verdict: longer than any verify (content/patience.js).
const waitMillis = 60_000;

function waitKey(wait) {
  if (typeof wait !== 'string' || !waitPattern.test(wait)) throw new RequestError('bad-argument', 'banner: bad wait id');
  return `w:${wait}`;
}

/**
 * bindWait binds a frame's wait id to a channel of tab tabId, once.
 * @returns {Promise<true>}
 */
export async function bindWait(wait, channelId, tabId) {
  const key = waitKey(wait);
  if (!(await tabChannel(channelId, tabId))) throw new RequestError('refused', 'banner: not a channel of this tab');
  const waitsKey = `tw:${tabId}`;
  const { [key]: earlier, [waitsKey]: waits = [] } = await area.get([key, waitsKey]);
  if (earlier) throw new RequestError('refused', 'banner: already bound');
  await write(await waitItems(wait, channelId, tabId, waits));
  wakeWaiting(wait, { channel: channelId, tabId });
  return true;
}

// waitItems are what binds wait to a channel in storage.session: the binding, and the tab's list
// of wait ids with it. A binding is kept as long as the tab's channels are: a frame the page
// moved loads again, and asks again.
async function waitItems(wait, channel, tabId, waits) {
  const ids = [wait, ...waits];
  if (ids.length > maxTabChannels) await area.remove(ids.slice(maxTabChannels).map((w) => `w:${w}`));
  return { [`w:${wait}`]: { channel, tabId }, [`tw:${tabId}`]: ids.slice(0, maxTabChannels) };
}

// wakeWaiting hands the frames waiting for wait their binding: the channel, and its record when
// the channel was opened with it (their report is then not read from storage again).
function wakeWaiting(wait, bound) {
  for (const wake of waiting.get(wait) ?? []) wake(bound);
}

/**
 * waitedChannel gives the binding of wait for a frame in tab tabId, waiting for it: the channel,
 * and its record when the background bound it as it opened the channel; null for none.
 * @returns {Promise<{channel: string, record?: {key: string, tabId: number, entry?: object}} | null>}
 */
export async function waitedChannel(wait, tabId) {
  const key = waitKey(wait);
  let wake, timer;
  const woken = new Promise((resolve) => { wake = resolve; timer = setTimeout(resolve, waitMillis); });
  waiting.set(wait, [...(waiting.get(wait) ?? []), wake]);
  try {
    // Woken by bindWait, the binding comes with the wake (it was written just before); woken by
    // the timer, it is read once more.
    let { [key]: bound } = await area.get(key);
    if (!bound) bound = (await woken) ?? (await area.get(key))[key];
    return bound && bound.tabId === tabId ? { channel: bound.channel, record: bound.record } : null;
  } finally {
    clearTimeout(timer); // bound, or given up on: nothing is left waiting
    const rest = (waiting.get(wait) ?? []).filter((w) => w !== wake);
    if (rest.length) waiting.set(wait, rest);
    else waiting.delete(wait);
  }
}
