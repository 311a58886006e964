// @ts-check
// The background's half of each provider, for writing a reply: which shape of message reference
// it accepts from a content script, how it reads the original (the page never hands it over),
// and whose account a tab is. Shared code (signing/compose-window.js) looks a provider up here
// by the name the tab's URL gave (background/sender.js) and never branches on it.
import { RawFetcher } from '../rawfetch.js';
import { gmailAccount, rawURLFor, titleAccount } from './gmail.js';
import { outlookAccount } from './outlook.js';
import { rawMessage, resolveMessageId } from './graph.js';
import { cachedReport, reportKey } from '../reports.js';
import { verifyOptions } from '../config.js';
import { verify } from '../core.js';

const fetcher = new RawFetcher();
const hexId = /^[0-9a-f]{8,24}$/;

/**
 * @typedef {{
 *   reference: (r: any) => import('../protocol.js').ReplyReference | null,
 *   byId: (messageId: string) => any,
 *   read: (ref: any, tabURL: string) => Promise<Uint8Array>,
 *   messageId: (ref: any) => Promise<string>,
 *   sender: (tabTitle: string | undefined) => string,
 *   cacheAccount: (tabTitle: string | undefined, tabURL: string) => string,
 * }} Original
 * @type {Readonly<Record<string, Original>>}
 */
export const originals = Object.freeze({
  gmail: {
    // A Gmail message and thread id (hex); anything else is dropped.
    reference(r) {
      const messageId = hexId.test(r?.messageId ?? '') ? r.messageId : null;
      const threadId = hexId.test(r?.threadId ?? '') ? r.threadId : '';
      return messageId ? { messageId, threadId } : null;
    },
    // Gmail's "download original" with the user's session, in the account the tab shows.
    read: (ref, tabURL) => fetcher.fetchBytes(rawURLFor(new URL(tabURL), ref.messageId), { credentials: 'include' }),
    // A message named by the id its reports are kept under (reports.js): Gmail's hex id.
    byId(messageId) { return this.reference({ messageId }); },
    messageId: async (ref) => ref.messageId,
    // The address in the tab's title, as the browser reports it (the page cannot send it).
    sender: (tabTitle) => titleAccount(tabTitle),
    // The account the content script of that tab names its reports by (Gmail.account).
    cacheAccount: (tabTitle, tabURL) => gmailAccount(tabTitle, new URL(tabURL).pathname),
  },
  outlook: {
    // An Outlook locator: an item id, or a conversation id and a position.
    reference(r) {
      const l = r?.locator ?? {};
      const locator = typeof l.itemId === 'string' && l.itemId.length <= 512 ? { itemId: l.itemId }
        : typeof l.conversationId === 'string' && l.conversationId.length <= 512 && Number.isInteger(l.index) && l.index >= 0 && l.index < 1000
          ? { conversationId: l.conversationId, index: l.index } : null;
      return locator ? { locator } : null;
    },
    // A message named by the id its reports are kept under: Graph's own id, read as it is.
    byId: (messageId) => (typeof messageId === 'string' && messageId && messageId.length <= 512 ? { messageId } : null),
    read: async (ref) => rawMessage(ref.messageId ?? await resolveMessageId(ref.locator)),
    messageId: (ref) => resolveMessageId(ref.locator),
    sender: () => '', // Graph sends as the signed-in account
    cacheAccount: (_title, tabURL) => outlookAccount(new URL(tabURL).host),
  },
});

/**
 * originalReport is the core's report of the message a reply answers, with its text: the one
 * kept since the message was opened when there is one, else read from the provider and verified
 * again (the core reads its header and text).
 */
export async function originalReport(provider, ref, tabURL, cacheAccount) {
  const o = originals[provider];
  const entry = cacheAccount ? await cachedReport(reportKey(cacheAccount, await o.messageId(ref))) : null;
  if (entry?.text) return { ...entry.report, text: entry.text };
  const raw = await o.read(ref, tabURL);
  return verify(raw, { ...(await verifyOptions()), text: true });
}
