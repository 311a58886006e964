// @ts-check
// The compose window: composing, unlocking and sending happen only in an extension-owned popup
// window (pages/compose.html), never in a frame of the webmail page, so that the page can neither
// hide, cover nor click it. A webmail tab's content script may only ask for the window to open
// (on a trusted click), naming at most the message to reply to; everything the window starts
// with (recipient, subject, quoted text, threading headers, account) is derived here from the
// core's report of the provider's raw message (the one kept since the message was opened, or the
// original read now: providers/originals.js) and from what the browser says about the tab,
// never taken from the page.
//
// A window's channel (channels.js) lives in storage.session (not readable by content scripts),
// bound to the tab of the window it was opened in.
import { ext } from '../platform.js';
import { RequestError } from '../protocol.js';
import { originalReport, originals } from '../providers/originals.js';
import { channelsWhere, closeChannels, newChannelId, writeChannel } from '../channels.js';
import { openWindow, windowChannel } from '../windows.js';

const maxText = 512 * 1024;

function field(v, max = 4096) {
  return typeof v === 'string' ? v.slice(0, max) : '';
}

/** referenceOf keeps only the shape of a message reference from a content script (originals.js). */
export function referenceOf(provider, r) {
  return r && typeof r === 'object' && Object.hasOwn(originals, provider) ? originals[provider].reference(r) : null;
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
  const id = newChannelId();
  const tab = await ext.tabs.get(tabId).catch(() => null);
  if (!Object.hasOwn(originals, provider)) throw new RequestError('refused', 'mailseal: composeOpen: not a webmail');
  const account = originals[provider].sender(tab?.title);
  const cacheAccount = originals[provider].cacheAccount(tab?.title, tabURL);
  const ch = { sourceTab: tabId, provider, account, cacheAccount, tabURL, reference: referenceOf(provider, reference), createdAt: Date.now() };
  await writeChannel('compose', id, ch);
  await openWindow('compose', id, 'compose.html', { width: 760, height: 820 });
  return { opened: true };
}

/**
 * composeChannel gives the channel for the compose window in tab tabId. The id is known only to
 * the background and to the window it opened (it is in that window's URL, never sent to the
 * webmail tab), so the first top-level compose page that asks for it is that window; it claims
 * the channel for its tab if windows.create has not yet said which tab that is, and no other
 * tab can read it or send under it after (channels.js).
 */
export function composeChannel(id, tabId) {
  return windowChannel('compose', id, tabId);
}

/** forgetWindow forgets the channels of a compose window the user closed (its draft stays). */
export async function forgetWindow(windowId) {
  await closeChannels('compose', await channelsWhere('compose', (ch) => ch?.windowId === windowId));
}

/** closeComposeChannel forgets a channel once its message is sent. */
export async function closeComposeChannel(id) {
  await closeChannels('compose', [id]);
}

/**
 * replyPrefill is what a reply starts with, from the core's report of the original: its
 * Reply-To (else From) addresses, subject, text and threading. The Message-ID becomes
 * In-Reply-To and ends References (RFC 5322 §3.6.4), at most 20, so the reply threads in every
 * client; an original without a Message-ID gives neither.
 * @param {{header?: import('mailseal-core').Header, text?: import('mailseal-core').Text}} report
 */
export function replyPrefill(report) {
  const h = report.header ?? {};
  const to = (h.replyTo?.length ? h.replyTo : h.from ?? []).map((m) => String(m.address).toLowerCase());
  const subject = h.subject ?? '';
  const text = report.text;
  const quoted = text?.type === 'text/plain' ? text.text : text ? htmlText(text.text) : '';
  const parent = h.messageId;
  const name = (m) => (m.displayName ? `${m.displayName} <${m.address}>` : String(m.address));
  return {
    // What the reply answers, as the core read the original: the window says it above the text
    // and in the last step, so a page that named another message of the mailbox is seen.
    original: { from: field((h.from ?? []).map(name).join(', '), 1024), subject: field(subject, 1024), date: field(h.date ?? '', 200) },
    to: [...new Set(to)].join(', '),
    subject: field(/^re:/i.test(subject) ? subject : `Re: ${subject}`, 1024),
    quoted: field(quoted.replace(/\r\n?/g, '\n').trim(), maxText),
    ...(parent ? { inReplyTo: parent, references: [...(h.references ?? []), parent].slice(-20) } : {}),
  };
}

// htmlText is a plain-text rendering of an HTML body for quoting: tags dropped, entities read.
// Whatever CSS would have hidden is shown, so nothing enters the signature unseen.
function htmlText(html) {
  return html.replace(/<(style|script)[\s\S]*?<\/\1>/gi, '').replace(/<br\s*\/?>|<\/p>|<\/div>/gi, '\n').replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

/**
 * composeContext is what the window starts with. A reply's original comes from the report
 * cache when the message was opened in this session (with its text), else it is read and the
 * core reads it, here, once (providers/originals.js).
 */
export async function composeContext(id, ch) {
  const base = { provider: ch.provider, account: ch.account, threadId: ch.reference?.threadId ?? '' };
  if (!ch.reference) return { ...base, prefill: {} };
  if (!ch.prefill) {
    let prefill;
    try {
      prefill = replyPrefill(await originalReport(ch.provider, ch.reference, ch.tabURL, ch.cacheAccount));
    } catch (err) {
      prefill = { error: String(err?.message ?? err) };
    }
    ch = { ...ch, prefill };
    await writeChannel('compose', id, ch);
  }
  return { ...base, prefill: ch.prefill };
}
