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
//
// The background also holds the last reports it read or wrote (`held`), so that a reopened
// message's lookup, its banner's report and its badge do not each ask the browser for the same
// entry (a storage.session read is a round trip to the browser process, 1–4 ms in Chromium).
// storage.session stays what is true: an entry is held only once written there, and a removal
// there, from here or from any other page of the extension, lets go of it here.
import { ext } from './platform.js';

const area = () => ext.storage.session;

const maxHeld = 64;
/** @type {Map<string, object>} key → entry, least recently used first */
const held = new Map();
// Counts the removals: a read or write that started before one does not hold its entry.
let removals = 0;
// Counts the times the whole cache went (trust changed): a verdict computed before is shown, but
// not kept (cacheGeneration, storeReport).
let generation = 0;

/** cacheGeneration is what storeReport is given by a verify, taken before it starts. */
export function cacheGeneration() {
  return generation;
}

function hold(key, entry) {
  held.delete(key);
  held.set(key, entry);
  if (held.size > maxHeld) held.delete(held.keys().next().value);
}

function letGo(keys) {
  removals++;
  for (const k of keys) held.delete(k);
}

ext.storage?.onChanged?.addListener((changes, areaName) => {
  if (areaName !== 'session') return;
  const removed = Object.keys(changes).filter((k) => changes[k].newValue === undefined);
  if (removed.includes('textKeys')) textKeys = null;
  const reports = removed.filter((k) => k.startsWith('r:'));
  if (reports.length) letGo(reports);
});

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
    await dropReports();
    await area().set(items);
  }
}

export function reportKey(account, messageId) {
  return `r:${account}\n${messageId}`;
}

export async function cachedReport(key) {
  const known = held.get(key);
  if (known) {
    hold(key, known);
    return known;
  }
  const before = removals;
  const { [key]: entry = null } = await area().get(key);
  if (entry && before === removals) hold(key, entry);
  return entry;
}

// At most this many message ids are given by cachedMessages.
const maxListed = 2000;

/**
 * cachedMessages gives the ids of the messages of account whose report is in the cache (at most
 * maxListed of them): a page that starts then knows which messages it need not fetch at once.
 * @returns {Promise<string[]>}
 */
export async function cachedMessages(account) {
  const prefix = reportKey(account, '');
  const keys = area().getKeys ? await area().getKeys() : Object.keys(await area().get(null));
  return keys.filter((k) => k.startsWith(prefix)).slice(0, maxListed).map((k) => k.slice(prefix.length));
}

/**
 * storeReport keeps a report for this session, and its text (report.text) when it is short
 * enough. since is cacheGeneration() as the verify started: a report computed under trust that
 * has changed since is not kept (unkept: it is shown on its channel only).
 */
export async function storeReport(key, report, extra = {}, since = generation) {
  const { signedEntity: _bytes, text, ...plain } = report;
  /** @type {{report: object, text?: {type: string, text: string, source: string}, [k: string]: any}} */
  const entry = { ...extra, report: plain };
  if (text && typeof text.text === 'string' && text.text.length <= maxKeptText) entry.text = text;
  const unkept = () => Object.defineProperty(entry, 'unkept', { value: true });
  if (since !== generation) return unkept();
  try {
    const { kept = {}, dropped = [] } = entry.text ? await keepText(key) : {};
    const before = removals;
    // The dropped reports go as the new one is written, not before (one round trip, not two).
    await Promise.all([write({ [key]: entry, ...kept }), dropped.length ? area().remove(dropped) : null]);
    if (since !== generation) {
      // Trust changed while it was written: it goes with the others.
      await area().remove(key);
      return unkept();
    }
    if (before === removals) hold(key, entry);
  } catch {
    // Still full: the report is shown (on its channel) but not kept.
    unkept();
  }
  return entry;
}

// forgetReports drops every cached verdict: trust changed, so each may be different now (and a
// verify running now keeps nothing).
export async function forgetReports() {
  generation++;
  await dropReports();
}

// dropReports drops the report cache (trust changed, or the area is full).
async function dropReports() {
  const all = await area().get(null);
  const keys = Object.keys(all).filter((k) => k.startsWith('r:'));
  letGo([...held.keys()]);
  textKeys = null; // read again: a write that meets a full area writes its list after this
  await area().remove([...keys, 'textKeys']);
  letGo([...held.keys()]); // read while they were being removed
}

// The list of reports that keep their text, as this background last read or wrote it (null: not
// read yet in this life of the background).
/** @type {string[] | null} */
let textKeys = null;

// keepText makes room for one more report with text: the oldest beyond the budget are dropped
// whole (not stripped of their text), so that opening one again verifies it again and its
// banner can still show what was signed. It gives the new list (kept), to be written with the
// report, and the reports to remove (dropped).
async function keepText(key) {
  textKeys ??= (await area().get('textKeys')).textKeys ?? [];
  const keys = [key, ...textKeys.filter((k) => k !== key)];
  textKeys = keys.slice(0, maxTextEntries);
  const dropped = keys.slice(maxTextEntries);
  letGo(dropped);
  return { kept: { textKeys }, dropped };
}

/**
 * signedText is the text of an entry's opaque-signed content (what the webmail cannot show), or
 * null: the text of a message the webmail shows itself is kept for replies, not for the banner.
 */
export function signedText(entry) {
  return entry?.report?.opaque && entry.text?.source === 'signed' ? { type: entry.text.type, text: entry.text.text } : null;
}
