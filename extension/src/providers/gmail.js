// @ts-check
// Gmail (mail.google.com, every /mail/u/<n>/ account).
//
// Raw bytes come from Gmail's "download original" endpoint, fetched by the content script with
// the user's own session, and read as bytes: the "Show original" HTML page folds line ends and
// decodes 8-bit bodies, so it cannot be verified.
//
// Tested on: the demo webmail's Gmail view (demo/public/gmail.js), which reproduces the structure below.
import { Provider } from './provider.js';
import { isAddress } from './address.js';

// Every selector in one table, with where its meaning is documented in public code.
export const selectors = Object.freeze({
  // One opened or collapsed message of a conversation. Mailvelope gmailIntegration.js L169
  // (`[data-message-id]`, strip the leading '#'); FlowCrypt gmail-element-replacer.ts `msgOuter:
  // 'div.adn'`; gmail.js `dom.email` (div.adn).
  message: 'div.adn[data-message-id], div.adn[data-legacy-message-id]',
  // The hex id Gmail's own URLs use. FlowCrypt gmail-element-replacer.ts L629 (data-legacy-message-id).
  legacyIdAttr: 'data-legacy-message-id',
  // "#msg-f:<decimal>": the same id in decimal. Mailvelope gmailIntegration.js; gmail.js.
  permIdAttr: 'data-message-id',
  // The body's container and the body itself (present only while the message is expanded).
  // FlowCrypt `msgInner: 'div.a3s'`; Mailvelope '.a3s.aXjCH, .a3s.aiL'; gmail.js email body '.ii.gt'.
  bodyContainer: 'div.ii.gt',
  body: 'div.a3s',
  // The sender's address. Mailvelope providerSpecific.js ('.gD[email]' in the message header).
  sender: '.gD[email]',
  // A conversation's row in the message list, and the hex id of its last message, on the
  // subject's span (span.bog > span[data-thread-id][data-legacy-thread-id][data-legacy-last-message-id]).
  // gmail.js `dom.inbox_rows` (tr.zA); Simple Gmail Notes and InboxSDK read the same attribute.
  row: 'tr.zA',
  rowLastMessageAttr: 'data-legacy-last-message-id',
});

// Writing: see provider.js for what each names.
export const composeSelectors = Object.freeze({
  // The compose window (new message, reply, pop-out): a dialog holding the subject box.
  // gmail.js `compose` (div.M9, role=dialog) and `dom('subjectbox')` (input[name=subjectbox]).
  window: 'div[role="dialog"]:has(input[name="subjectbox"]), div.M9:has(input[name="subjectbox"])',
  body: 'div[aria-label="Message Body"], div.Am.Al.editable', // gmail.js `dom('body')`; FlowCrypt compose selectors
  quote: '.gmail_quote', // the quoted part of a reply (Gmail's own class, kept in sent mail)
  buttonBar: '.btC', // the compose window's bottom bar with Send; gmail.js `dom('send_button')` sits in it
  toolbar: 'div[gh="mtb"]', // the mailbox toolbar; gmail.js `dom.toolbar` ([gh='mtb'])
  toolbarContainer: '[gh="mtb"]',
  thread: 'h2.hP[data-legacy-thread-id]', // the open conversation; FlowCrypt / gmail.js thread id attribute
  threadIdAttr: 'data-legacy-thread-id',
});

const accountPath = /^\/mail\/u\/(\d+)\//;
// A conversation is open when the address fragment ends in a thread id after a mailbox view:
// #inbox/FMfcgz…, #label/Work/18c5d2a6f1b30001, #search/invoice/FMfcgz…. Lists end in a name, a
// query or a page instead (#inbox, #label/Work, #search/invoice, #inbox/p2).
const threadInHash = /^#(?:(?:label|search|category|advanced-search)\/[^/]+|(?!(?:label|search|category|advanced-search)\/)[^/]+)\/[A-Za-z0-9_-]{16,}$/;

export class Gmail extends Provider {
  get name() { return 'gmail'; }

  get composeSelectors() { return composeSelectors; }

  // accountIndex is the <n> of /mail/u/<n>/ (Gmail's per-account path); 0 when absent.
  get accountIndex() {
    return Number(accountPath.exec(this.location.pathname)?.[1] ?? 0);
  }

  // account names the mailbox: the address in the page title when there is one (Mailvelope reads it
  // the same way), else the account index.
  get account() {
    return gmailAccount(this.document.title, this.location.pathname);
  }

  expectsMessage() {
    return accountPath.test(this.location.pathname) && threadInHash.test(this.location.hash);
  }

  candidates() {
    return [...this.document.querySelectorAll(selectors.message)]
      // A message body can carry markup that looks like a message container; only Gmail's own
      // containers count, and those are never inside a body.
      .filter((el) => !el.parentElement?.closest(`${selectors.body}, ${selectors.bodyContainer}`));
  }

  describe(el) {
    const id = messageId(el);
    const body = el.querySelector(selectors.bodyContainer) ?? el.querySelector(selectors.body);
    if (!id || !body) return null; // collapsed: nothing to put a banner on yet
    const url = this.rawURL(id);
    return {
      account: this.account,
      id,
      container: el,
      place: (host) => body.before(host),
      source: async (signal) => ({ bytes: await this.takeAhead(id)?.catch(() => null) ?? await this.fetcher.fetchBytes(url, { credentials: 'include', signal }) }),
    };
  }

  rowMessage(el) {
    const row = el.closest?.(selectors.row);
    const legacy = row?.querySelector(`[${selectors.rowLastMessageAttr}]`)?.getAttribute(selectors.rowLastMessageAttr) ?? '';
    if (!/^[0-9a-f]{8,24}$/i.test(legacy)) return null;
    const id = legacy.toLowerCase();
    const url = this.rawURL(id);
    return { account: this.account, id, fetch: () => this.fetcher.fetchBytes(url, { credentials: 'include' }) };
  }

  lastMessageReference() {
    const last = [...this.document.querySelectorAll(selectors.message)].at(-1);
    const id = last && messageId(last);
    const threadId = this.document.querySelector(composeSelectors.thread)?.getAttribute(composeSelectors.threadIdAttr) ?? '';
    return id ? { messageId: id, threadId } : null;
  }

  rawURL(legacyId) {
    return rawURLFor(this.location, legacyId);
  }
}

/**
 * titleAccount is the signed-in address in a Gmail page title, lower-cased, or "". Gmail titles a
 * page "<view or subject> - <address> - <product>": the address is the field before the last,
 * never one a subject holds (the sender chose it, and the account picks the sender memory a
 * message is checked against and the account a compose window sends from).
 * @param {string | undefined} title
 */
export function titleAccount(title) {
  const field = String(title ?? '').split(' - ').at(-2)?.trim() ?? '';
  return isAddress(field) ? field.toLowerCase() : '';
}

/** gmailAccount names the mailbox of a page by its title and path (Gmail.account). */
export function gmailAccount(title, pathname) {
  return `gmail:${titleAccount(title) || `u/${Number(accountPath.exec(pathname)?.[1] ?? 0)}`}`;
}

/**
 * rawURLFor is the "download original" address of a message in the Gmail account a page shows.
 * @param {{href: string, pathname: string}} page  the page's location
 */
export function rawURLFor(page, legacyId) {
  const u = new URL(`/mail/u/${Number(accountPath.exec(page.pathname)?.[1] ?? 0)}/`, page.href);
  u.search = `view=att&th=${encodeURIComponent(legacyId)}&attid=0&disp=comp&safe=1&zw`;
  return u.href;
}

// messageId gives the hex legacy id of a message element: from data-legacy-message-id, else by
// converting the decimal of data-message-id ("#msg-f:1788…") to hex.
export function messageId(el) {
  const legacy = el.getAttribute(selectors.legacyIdAttr);
  if (legacy && /^[0-9a-f]{8,24}$/i.test(legacy)) return legacy.toLowerCase();
  const perm = /^#?msg-[af]:(\d{1,25})$/.exec(el.getAttribute(selectors.permIdAttr) ?? '');
  return perm ? BigInt(perm[1]).toString(16) : null;
}
