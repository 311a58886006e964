// @ts-check
// The banner channels of each tab (channels.js), kept in storage.session with the tab's list of
// its recent banners (for the popup and the badge):
//
//   banner:<channel>  → {key, tabId, provider?, entry?}
//                                             what a banner frame may show: a report's key in the
//                                             report cache (reports.js), or the entry itself, and
//                                             the webmail of the page that asked for it
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

// The tabs' lists (t:<tabId>, tw:<tabId>) as this life of the background read them once and has
// changed them since: each change is made here, at once, and the whole list written. The lookups
// of a conversation are answered side by side; each reading and writing back a list of its own
// would keep only the last one's channel (and a forgotten tab would leave the others behind).
/** @type {Map<string, Promise<string[]>>} */
const lists = new Map();

function tabList(key) {
  let list = lists.get(key);
  if (!list) {
    list = area.get(key).then((got) => (Array.isArray(got[key]) ? [...got[key]] : []));
    lists.set(key, list);
    list.catch(() => { if (lists.get(key) === list) lists.delete(key); });
  }
  return list;
}

// pushFront puts id first in list, keeping max ids, and gives the ones that fell off its end.
function pushFront(list, id, max = maxTabChannels) {
  list.unshift(id);
  return list.splice(max);
}

/**
 * openChannel opens a banner channel (channels.js) for the report under key, in tab tabId.
 * shown is the entry the toolbar badge follows, when the caller has it in hand already (the
 * report cache is then not read again). wait, the wait id of a banner frame loaded before this
 * verdict (below), is bound to the new channel in the same write, unless it was bound before or
 * is not a wait id: bound says whether it was. provider is the webmail of the page that asked
 * (background/sender.js), which the banner names.
 * @returns {Promise<{id: string, bound: boolean}>}
 */
export async function openChannel(key, tabId, entry = null, shown = entry, { wait = undefined, provider = undefined } = {}) {
  const id = newChannelId();
  /** @type {{key: string, tabId: number, provider?: string, entry?: object}} */
  const record = { key, tabId };
  if (provider) record.provider = provider;
  if (entry) record.entry = entry; // a result not kept in the report cache (status unavailable)
  const tabKey = `t:${tabId}`;
  const waitsKey = `tw:${tabId}`;
  const bindable = typeof wait === 'string' && waitPattern.test(wait);
  const [channels, waits, earlier] = await Promise.all([tabList(tabKey), bindable ? tabList(waitsKey) : [],
    bindable ? area.get(`w:${wait}`).then((got) => got[`w:${wait}`]) : null]);
  // A channel the tab no longer lists is forgotten (its banner was replaced long ago).
  const closed = pushFront(channels, id);
  const items = { [channelKey('banner', id)]: record, [tabKey]: [...channels] };
  const bound = bindable && !earlier && !waits.includes(wait);
  const unbound = bound ? bindItems(items, wait, id, tabId, waits) : [];
  const written = Promise.all([write(items), closeChannels('banner', closed), unbound.length ? area.remove(unbound) : null]);
  // The waiting frame is woken as the writes go, not once they are done: it gets the record and
  // the entry in hand, not its key (a report dropped from the cache meanwhile, reports.js keepText,
  // is still the one its banner shows), and whatever it asks later is read after these writes.
  if (bound) wakeWaiting(wait, { channel: id, tabId, record: shown ? { ...record, entry: shown } : record });
  await written;
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
  return [...(await tabList(`t:${tabId}`))];
}

export async function forgetTab(tabId) {
  const [ids, waits] = await Promise.all([tabList(`t:${tabId}`), tabList(`tw:${tabId}`)]);
  lists.delete(`t:${tabId}`);
  lists.delete(`tw:${tabId}`);
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
  const [{ [key]: earlier }, waits] = await Promise.all([area.get(key), tabList(`tw:${tabId}`)]);
  if (earlier || waits.includes(wait)) throw new RequestError('refused', 'banner: already bound');
  const items = {};
  const unbound = bindItems(items, wait, channelId, tabId, waits);
  await Promise.all([write(items), unbound.length ? area.remove(unbound) : null]);
  wakeWaiting(wait, { channel: channelId, tabId });
  return true;
}

// bindItems adds to items what binds wait to a channel in storage.session: the binding, and the
// tab's list of wait ids (waits, changed here) with it; it gives the bindings that fell off the
// list, to be removed. A binding is kept as long as the tab's channels are: a frame the page
// moved loads again, and asks again.
function bindItems(items, wait, channel, tabId, waits) {
  const fell = pushFront(waits, wait);
  items[`w:${wait}`] = { channel, tabId };
  items[`tw:${tabId}`] = [...waits];
  return fell.map((w) => `w:${w}`);
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
