// The compose window: composing, unlocking and sending happen only in an extension-owned popup
// window (pages/compose.html), never in a frame of the webmail page, so that the page can neither
// hide, cover nor click it. A webmail tab's content script may only ask for the window to open
// (on a trusted click), naming at most the message to reply to; everything the window starts
// with (recipient, subject, quoted text, threading headers, account) is derived here from the
// provider's raw message and from what the browser says about the tab, never taken from the page.
//
// A window's channel lives in storage.session (not readable by content scripts), bound to the
// tab of the window it was opened in.
import { ext } from '../platform.js';
import { RawFetcher } from '../rawfetch.js';
import { Gmail } from '../providers/gmail.js';
import { decodeWords, fieldValues, headerLines, replyHeadersOf } from '../rawheaders.js';
import { fromAddresses } from '../providers/crosscheck.js';
import { findAddresses } from '../address.js';
import { entityText } from '../view/entity-text.js';
import { rawMessage, resolveMessageId } from '../background/graph.js';

const prefix = 'compose:';
const maxText = 512 * 1024;
const fetcher = new RawFetcher();
// Windows being opened: their page can ask for its channel before windows.create has told us
// which tab the window got; composeChannel waits for that answer rather than refuse the page.
const opening = new Map(); // channel id → Promise

function field(v, max = 4096) {
  return typeof v === 'string' ? v.slice(0, max) : '';
}

/**
 * referenceOf keeps only the shape of a message reference from a content script: a Gmail
 * message and thread id (hex), or an Outlook locator. Anything else is dropped.
 */
export function referenceOf(provider, r) {
  if (!r || typeof r !== 'object') return null;
  if (provider === 'gmail') {
    const messageId = /^[0-9a-f]{8,24}$/.test(r.messageId ?? '') ? r.messageId : null;
    const threadId = /^[0-9a-f]{8,24}$/.test(r.threadId ?? '') ? r.threadId : '';
    return messageId ? { messageId, threadId } : null;
  }
  const l = r.locator ?? {};
  const locator = typeof l.itemId === 'string' && l.itemId.length <= 512 ? { itemId: l.itemId }
    : typeof l.conversationId === 'string' && l.conversationId.length <= 512 && Number.isInteger(l.index) && l.index >= 0 && l.index < 1000
      ? { conversationId: l.conversationId, index: l.index } : null;
  return locator ? { locator } : null;
}

/**
 * openComposeWindow opens the compose window for a webmail tab. provider is what the tab's URL
 * says (caller), the account what its title says (the browser's, not the content script's).
 */
export async function openComposeWindow({ tabId, provider, tabURL }, reference, click = '') {
  // A click is sent again when the background was restarting as it came (request.js retries):
  // the same click opens one window.
  const clickKey = /^[0-9a-f-]{36}$/.test(click) ? `composeClick:${click}` : null;
  if (clickKey && (await ext.storage.session.get(clickKey))[clickKey]) return { opened: false };
  if (clickKey) await ext.storage.session.set({ [clickKey]: Date.now() });
  const id = crypto.randomUUID();
  const tab = await ext.tabs.get(tabId).catch(() => null);
  const account = provider === 'gmail' ? (findAddresses(tab?.title)[0] ?? '').toLowerCase() : '';
  const ch = { sourceTab: tabId, provider, account, tabURL, reference: referenceOf(provider, reference), createdAt: Date.now() };
  await ext.storage.session.set({ [prefix + id]: ch });
  const open = (async () => {
    const win = await ext.windows.create({ url: ext.runtime.getURL(`pages/compose.html#${id}`), type: 'popup', width: 760, height: 820, focused: true });
    const windowTab = win.tabs?.[0]?.id ?? (await ext.tabs.query({ windowId: win.id }))[0]?.id;
    const now = await composeChannelNow(id);
    if (now) await ext.storage.session.set({ [prefix + id]: { ...now, windowId: win.id, tabId: now.tabId ?? windowTab } });
  })();
  opening.set(id, open);
  try {
    await open;
  } finally {
    opening.delete(id);
  }
  return { opened: true };
}

async function composeChannelNow(id) {
  const { [prefix + id]: ch } = await ext.storage.session.get(prefix + id);
  return ch ?? null;
}

/**
 * composeChannel gives the channel for the compose window in tab tabId. The id is known only to
 * the background and to the window it opened (it is in that window's URL, never sent to the
 * webmail tab), so the first top-level compose page that asks for it is that window; it claims
 * the channel for its tab if windows.create has not yet said which tab that is, and no other
 * tab can read it or send under it after.
 */
export async function composeChannel(id, tabId) {
  if (typeof id !== 'string' || !/^[0-9a-f-]{36}$/.test(id) || !Number.isInteger(tabId)) return null;
  await opening.get(id)?.catch(() => {});
  const ch = await composeChannelNow(id);
  if (!ch) return null;
  if (ch.tabId === undefined) {
    const claimed = { ...ch, tabId };
    await ext.storage.session.set({ [prefix + id]: claimed });
    return claimed;
  }
  return ch.tabId === tabId ? ch : null;
}

/** forgetWindow forgets the channels of a compose window the user closed (its draft stays). */
export async function forgetWindow(windowId) {
  const all = await ext.storage.session.get(null);
  const gone = Object.keys(all).filter((k) => k.startsWith(prefix) && all[k]?.windowId === windowId);
  if (gone.length) await ext.storage.session.remove(gone);
}

/** closeComposeChannel forgets a channel once its message is sent. */
export async function closeComposeChannel(id) {
  if (typeof id === 'string' && id) await ext.storage.session.remove(prefix + id);
}

/** replyPrefill is what a reply to raw starts with: its sender, subject, text and threading. */
export function replyPrefill(raw) {
  const lines = headerLines(raw);
  const replyTo = fieldValues(lines, 'Reply-To').flatMap(findAddresses);
  const to = replyTo.length ? replyTo : fromAddresses(raw);
  const subject = decodeWords(fieldValues(lines, 'Subject')[0] ?? '');
  const text = entityText(raw);
  const quoted = text?.type === 'text/plain' ? text.text : text ? htmlText(text.text) : '';
  return {
    to: [...new Set(to.map((a) => a.toLowerCase()))].join(', '),
    subject: field(/^re:/i.test(subject) ? subject : `Re: ${subject}`, 1024),
    quoted: field(quoted.replace(/\r\n?/g, '\n').trim(), maxText),
    ...replyHeadersOf(raw),
  };
}

// htmlText is a plain-text rendering of an HTML body for quoting: tags dropped, entities read.
// Whatever CSS would have hidden is shown, so nothing enters the signature unseen.
function htmlText(html) {
  return html.replace(/<(style|script)[\s\S]*?<\/\1>/gi, '').replace(/<br\s*\/?>|<\/p>|<\/div>/gi, '\n').replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

async function originalOf(ch) {
  const r = ch.reference;
  if (ch.provider === 'gmail') {
    const url = new URL(ch.tabURL);
    const gmail = new Gmail({ document: { title: '' }, location: url, fetcher });
    return fetcher.fetchBytes(gmail.rawURL(r.messageId), { credentials: 'include' });
  }
  return rawMessage(await resolveMessageId(r.locator));
}

/** composeContext is what the window starts with; a reply's original is read here, once. */
export async function composeContext(id, ch) {
  const base = { provider: ch.provider, account: ch.account, threadId: ch.reference?.threadId ?? '' };
  if (!ch.reference) return { ...base, prefill: {} };
  if (!ch.prefill) {
    let prefill;
    try {
      prefill = replyPrefill(await originalOf(ch));
    } catch (err) {
      prefill = { error: String(err?.message ?? err) };
    }
    ch = { ...ch, prefill };
    await ext.storage.session.set({ [prefix + id]: ch });
  }
  return { ...base, prefill: ch.prefill };
}
