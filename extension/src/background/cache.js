// Reports and banner channels, kept in storage.session: they survive a worker restart but not the
// browser session, and content scripts cannot read that area (its default access level is
// trusted contexts only).
//
//   r:<account>\n<message id>  → {report, content?}   one verified message
//   c:<channel>                → {key, tabId}          what a banner frame may show
//   t:<tabId>                  → [channel, …]          the tab's recent banners (for the popup)
import { ext } from '../platform.js';
import { toBase64 } from '../bytes.js';
import { showVerdict } from './badge.js';

const area = ext.storage.session;

// Opaque-signed content is kept for the content frame up to this size; larger content is
// verified but not shown (storage.session holds 10 MB in all).
const maxKeptContent = 1 << 20;

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
  const entry = { ...extra, report: plain };
  if (plain.opaque && signedEntity && signedEntity.length <= maxKeptContent) entry.content = toBase64(signedEntity);
  try {
    await area.set({ [key]: entry });
  } catch {
    // Quota reached: the report is shown but not kept.
  }
  return entry;
}

// forgetReports drops every cached verdict: trust changed, so each may be different now.
export async function forgetReports() {
  const all = await area.get(null);
  await area.remove(Object.keys(all).filter((k) => k.startsWith('r:')));
}

// openChannel gives a banner frame in tab tabId the right to read the report under key. The id is
// 128 random bits; the frame gets it in its URL from the content script, inside a closed shadow root.
export async function openChannel(key, tabId, entry = null) {
  const id = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
  const record = { key, tabId };
  if (entry) record.entry = entry; // a result not kept in the report cache (status unavailable)
  const tabKey = `t:${tabId}`;
  const { [tabKey]: recent = [] } = await area.get(tabKey);
  await area.set({ [`c:${id}`]: record, [tabKey]: [id, ...recent].slice(0, 20) });
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
