// @ts-check
// The background's half of each provider, for writing a reply: which shape of message reference
// it accepts from a content script, how it reads the original (the page never hands it over),
// and whose account a tab is. Shared code (signing/compose-window.js) looks a provider up here
// by the name the tab's URL gave (background/sender.js) and never branches on it.
import { RawFetcher } from '../rawfetch.js';
import { rawURLFor } from './gmail.js';
import { rawMessage, resolveMessageId } from './graph.js';
import { firstAddress } from './address.js';

const fetcher = new RawFetcher();
const hexId = /^[0-9a-f]{8,24}$/;

/**
 * @typedef {{
 *   reference: (r: any) => import('../protocol.js').ReplyReference | null,
 *   read: (ref: any, tabURL: string) => Promise<Uint8Array>,
 *   account: (tabTitle: string | undefined) => string,
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
    // The address in the tab's title, as the browser reports it (the page cannot send it).
    account: (tabTitle) => firstAddress(tabTitle) ?? '',
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
    read: async (ref) => rawMessage(await resolveMessageId(ref.locator)),
    account: () => '', // Graph sends as the signed-in account
  },
});
