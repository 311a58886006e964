// @ts-check
// Reports and banner channels, kept in storage.session: they survive a worker restart but not the
// browser session, and content scripts cannot read that area (its default access level is
// trusted contexts only).
//
//   r:<account>\n<message id>  → {report, content?}   one verified message
//   c:<channel>                → {key, tabId}          what a banner frame may show
//   t:<tabId>                  → [channel, …]          the tab's recent banners (for the popup)
//   contentKeys                → [r:…, …]              the reports that keep their signed content
//
// storage.session holds 10 MB in Chromium, shared with the compose window's channels, the
// unlocked session key and the send tokens. Anyone who can mail the user could fill it with
// opaque-signed messages of 1 MB (every later banner, compose window and unlock then failed):
// so only the last few reports with content are kept, a tab keeps its last channels only, and a
// write that finds the area full drops the report cache (it is only a cache) and tries again.
import { ext } from '../platform.js';
import { toBase64 } from '../bytes.js';
import { showVerdict } from './badge.js';

const area = ext.storage.session;

// Opaque-signed content is kept for the content frame up to this size; larger content is
// verified but not shown (storage.session holds 10 MB in all).
const maxKeptContent = 1 << 20;
// At most this many reports keep their signed content (about 1.4 MB each at most, as base64).
const maxContentEntries = 3;
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

// storeReport keeps a report for this session. The signed entity (bytes) is kept only for
// opaque messages, whose content the webmail cannot show.
export async function storeReport(key, report, extra = {}) {
  const { signedEntity, ...plain } = report;
  /** @type {{report: object, content?: string, [k: string]: any}} */
  const entry = { ...extra, report: plain };
  if (plain.opaque && signedEntity && signedEntity.length <= maxKeptContent) entry.content = toBase64(signedEntity);
  try {
    if (entry.content) await keepContent(key);
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
  await area.remove([...Object.keys(all).filter((k) => k.startsWith('r:')), 'contentKeys']);
}

// keepContent makes room for one more report with content: the oldest beyond the budget are
// dropped whole (not stripped of their content), so that opening one again verifies it again and
// its banner can still show what was signed.
async function keepContent(key) {
  const { contentKeys = [] } = await area.get('contentKeys');
  const keys = [key, ...contentKeys.filter((k) => k !== key)];
  await area.remove(keys.slice(maxContentEntries));
  await area.set({ contentKeys: keys.slice(0, maxContentEntries) });
}

export async function openChannel(key, tabId, entry = null) {
  const id = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
  const record = { key, tabId };
  if (entry) record.entry = entry; // a result not kept in the report cache (status unavailable)
  const tabKey = `t:${tabId}`;
  const { [tabKey]: recent = [] } = await area.get(tabKey);
  const ids = [id, ...recent];
  // A channel the tab no longer lists is forgotten (its banner was replaced long ago).
  if (ids.length > maxTabChannels) await area.remove(ids.slice(maxTabChannels).map((old) => `c:${old}`));
  await write({ [`c:${id}`]: record, [tabKey]: ids.slice(0, maxTabChannels) });
  showVerdict(tabId, (entry ?? (await cachedReport(key)))?.report);
  return id;
}

export async function channel(id) {
  if (typeof id !== 'string' || !/^[0-9a-f]{32}$/.test(id)) return null;
  const k = `c:${id}`;
  const got = await area.get(k);
  return got[k] ?? null;
}

export async function tabChannels(tabId) {
  const tabKey = `t:${tabId}`;
  const { [tabKey]: recent = [] } = await area.get(tabKey);
  return recent;
}

export async function forgetTab(tabId) {
  const ids = await tabChannels(tabId);
  await area.remove([`t:${tabId}`, ...ids.map((id) => `c:${id}`)]);
}
