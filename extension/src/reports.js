// @ts-check
// The report cache: every verified message's report, and the text of the last few, kept in
// storage.session. They survive a worker restart but not the browser session, and content
// scripts cannot read that area (identity.js restricts it to trusted contexts). Reading fills
// it (background/handlers.js); writing a reply reads it (providers/originals.js).
//
//   r:<account>\n<message id>  → {report, text?}      one verified message, and its text
//   textKeys                   → [r:…, …]              the reports that keep their text
//
// The text (the core's report.text) is what the banner shows of opaque-signed content, which the
// webmail cannot show, and what a reply quotes, so that writing a reply needs no second read of
// the original (signing/compose-window.js).
//
// storage.session holds 10 MB in Chromium, shared with the channels, the unlocked session key and
// the send tokens. Anyone who can mail the user could fill it with messages of 1 MB (every later
// banner, compose window and unlock then failed): so only the last few reports with text are
// kept, and a write that finds the area full drops the report cache (it is only a cache) and
// tries again.
import { ext } from './platform.js';

const area = () => ext.storage.session;

// A message's text is kept up to this many characters (at most 1.5 MB as UTF-8); a longer one is
// verified but its opaque content not shown, and a reply to it reads the original again.
const maxKeptText = 1 << 19;
// At most this many reports keep their text.
const maxTextEntries = 3;

// write sets items; when the area is full, the report cache goes and the write is tried again.
export async function write(items) {
  try {
    await area().set(items);
  } catch {
    await forgetReports();
    await area().set(items);
  }
}

export function reportKey(account, messageId) {
  return `r:${account}\n${messageId}`;
}

export async function cachedReport(key) {
  const got = await area().get(key);
  return got[key] ?? null;
}

// storeReport keeps a report for this session, and its text (report.text) when it is short enough.
export async function storeReport(key, report, extra = {}) {
  const { signedEntity: _bytes, text, ...plain } = report;
  /** @type {{report: object, text?: {type: string, text: string, source: string}, [k: string]: any}} */
  const entry = { ...extra, report: plain };
  if (text && typeof text.text === 'string' && text.text.length <= maxKeptText) entry.text = text;
  try {
    await write({ [key]: entry, ...(entry.text ? await keepText(key) : {}) });
  } catch {
    // Still full: the report is shown (on its channel) but not kept.
    Object.defineProperty(entry, 'unkept', { value: true });
  }
  return entry;
}

// forgetReports drops every cached verdict: trust changed, so each may be different now.
export async function forgetReports() {
  const all = await area().get(null);
  await area().remove([...Object.keys(all).filter((k) => k.startsWith('r:')), 'textKeys']);
}

// keepText makes room for one more report with text: the oldest beyond the budget are dropped
// whole (not stripped of their text), so that opening one again verifies it again and its
// banner can still show what was signed. It gives the new list, written with the report.
async function keepText(key) {
  const { textKeys = [] } = await area().get('textKeys');
  const keys = [key, ...textKeys.filter((k) => k !== key)];
  if (keys.length > maxTextEntries) await area().remove(keys.slice(maxTextEntries));
  return { textKeys: keys.slice(0, maxTextEntries) };
}

/**
 * signedText is the text of an entry's opaque-signed content (what the webmail cannot show), or
 * null: the text of a message the webmail shows itself is kept for replies, not for the banner.
 */
export function signedText(entry) {
  return entry?.report?.opaque && entry.text?.source === 'signed' ? { type: entry.text.type, text: entry.text.text } : null;
}
