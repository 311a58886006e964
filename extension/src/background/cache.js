// @ts-check
// Reports and banner channels, kept in storage.session: they survive a worker restart but not the
// browser session, and content scripts cannot read that area (its default access level is
// trusted contexts only).
//
//   r:<account>\n<message id>  → {report, text?}      one verified message, and its text
//   banner:<channel>           → {key, tabId}          what a banner frame may show (channels.js)
//   t:<tabId>                  → [channel, …]          the tab's recent banners (for the popup)
//   textKeys                   → [r:…, …]              the reports that keep their text
//
// The text (the core's report.text) is what the banner shows of opaque-signed content, which the
// webmail cannot show, and what a reply quotes, so that writing a reply needs no second read of
// the original (signing/compose-window.js).
//
// storage.session holds 10 MB in Chromium, shared with the compose window's channels, the
// unlocked session key and the send tokens. Anyone who can mail the user could fill it with
// messages of 1 MB (every later banner, compose window and unlock then failed): so only the
// last few reports with text are kept, a tab keeps its last channels only, and a write that
// finds the area full drops the report cache (it is only a cache) and tries again.
import { ext } from '../platform.js';
import { showVerdict } from './badge.js';
import { channelFor, channelKey, closeChannels, newChannelId, readChannel } from '../channels.js';

const area = ext.storage.session;

// A message's text is kept up to this many characters (at most 1.5 MB as UTF-8); a longer one is
// verified but its opaque content not shown, and a reply to it reads the original again.
const maxKeptText = 1 << 19;
// At most this many reports keep their text.
const maxTextEntries = 3;
// A tab keeps its last channels (a long conversation shows many banners at once).
const maxTabChannels = 200;

// write sets items; when the area is full, the report cache goes and the write is tried again.
async function write(items) {
  try {
    await area.set(items);
  } catch {
    await forgetReports();
    await area.set(items);
  }
}

export function reportKey(account, messageId) {
  return `r:${account}\n${messageId}`;
}

export async function cachedReport(key) {
  const got = await area.get(key);
  return got[key] ?? null;
}

// storeReport keeps a report for this session, and its text (report.text) when it is short enough.
export async function storeReport(key, report, extra = {}) {
  const { signedEntity: _bytes, text, ...plain } = report;
  /** @type {{report: object, text?: {type: string, text: string, source: string}, [k: string]: any}} */
  const entry = { ...extra, report: plain };
  if (text && typeof text.text === 'string' && text.text.length <= maxKeptText) entry.text = text;
  try {
    if (entry.text) await keepText(key);
    await write({ [key]: entry });
  } catch {
    // Still full: the report is shown (on its channel) but not kept.
    Object.defineProperty(entry, 'unkept', { value: true });
  }
  return entry;
}

// forgetReports drops every cached verdict: trust changed, so each may be different now.
export async function forgetReports() {
  const all = await area.get(null);
  await area.remove([...Object.keys(all).filter((k) => k.startsWith('r:')), 'textKeys']);
}

// keepText makes room for one more report with text: the oldest beyond the budget are dropped
// whole (not stripped of their text), so that opening one again verifies it again and its
// banner can still show what was signed.
async function keepText(key) {
  const { textKeys = [] } = await area.get('textKeys');
  const keys = [key, ...textKeys.filter((k) => k !== key)];
  await area.remove(keys.slice(maxTextEntries));
  await area.set({ textKeys: keys.slice(0, maxTextEntries) });
}

/**
 * signedText is the text of an entry's opaque-signed content (what the webmail cannot show), or
 * null: the text of a message the webmail shows itself is kept for replies, not for the banner.
 */
export function signedText(entry) {
  return entry?.report?.opaque && entry.text?.source === 'signed' ? { type: entry.text.type, text: entry.text.text } : null;
}

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
