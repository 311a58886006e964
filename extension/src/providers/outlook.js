// @ts-check
// Outlook on the web (outlook.office.com, outlook.office365.com, outlook.live.com). Experimental:
// see docs/outlook.md for what was found and what is not yet confirmed against live OWA.
//
// OWA has no raw-message URL a content script can fetch with the session, so the raw bytes come
// from Microsoft Graph (GET /me/messages/{id}/$value) in the background, which holds the token.
// This provider only says which message is open: an item id from the URL, or the conversation id
// of the selected row and the message's position in the reading pane (the way Mailvelope's
// outlook-api branch maps conversation view; Graph ids are listed by conversation and sorted by
// receivedDateTime in the background).
//
// Tested on: the demo webmail's Outlook view (demo/public/outlook.js), which reproduces the structure below.
import { Provider } from './provider.js';
import { firstAddress } from './address.js';

export const selectors = Object.freeze({
  // The reading pane. wd-extension-poc src/lib/consts.ts OUTLOOK_MAIL_READ
  // ("[data-app-section='MailReadCompose']").
  readingPane: '[data-app-section="MailReadCompose"]',
  // The message list and its selected row, carrying the conversation id. wd-extension-poc
  // OUTLOOK_MAIL_LIST / data-convid; Mailvelope outlookIntegration.js (branch outlook-api):
  // `#MailList [aria-selected="true"]` → data-convid.
  selectedRow: '[role="listbox"] [aria-selected="true"][data-convid]',
  convIdAttr: 'data-convid',
  // One opened message's body: OWA labels it for screen readers [unverified beyond public
  // extension code; see docs/outlook.md]. Collapsed messages of a conversation have none.
  body: '[aria-label="Message body"]',
});

// Writing: see provider.js for what each names.
export const composeSelectors = Object.freeze({
  // Outlook on the web's compose form: the editable body and the subject box around it.
  // Mailvelope outlookIntegration.js (div[aria-label="Message body"][contenteditable]).
  window: '[data-app-section="ComposeForm"], div[role="main"]:has(input[aria-label="Add a subject"])',
  body: 'div[aria-label^="Message body"][contenteditable="true"]',
  quote: '#divRplyFwdMsg ~ *, #appendonsend ~ *', // OWA marks where the quoted message starts
  buttonBar: '[data-app-section="ComposeForm"] [role="toolbar"], [aria-label="Command toolbar"]',
  toolbar: '[role="toolbar"][aria-label="Ribbon"], [aria-label="New mail"]',
  toolbarContainer: '[role="toolbar"]', // the ribbon holds the button; "New mail" has it beside
});

// OWA deep links: /mail/<folder>/id/<percent-encoded id>; AAQk… is a conversation, AAMk… an item.
const urlId = /\/id\/([^/?#]+)/;

export class Outlook extends Provider {
  get name() { return 'outlook'; }

  get composeSelectors() { return composeSelectors; }

  // The background reads the message through Graph, where the token lives, and checks that its
  // From is the sender the page shows (shownSender).
  verdict(opened, request, wait = undefined) {
    return request('verifyOutlook', { account: opened.account, locator: opened.locator, shownSender: opened.shownSender, ...(wait ? { wait } : {}) });
  }

  // Nothing is fetched here (the background reads Outlook mail): the cache need not be known.
  learnCached() {}

  lastMessageReference() {
    const last = this.candidates().at(-1);
    const locator = last && this.locator(last);
    return locator ? { locator } : null;
  }

  get account() {
    return outlookAccount(this.location.host);
  }

  // A message or conversation is open when the address names it (OWA's deep link).
  expectsMessage() {
    return /^\/mail\//.test(this.location.pathname) && urlId.test(this.location.pathname);
  }

  pane() {
    return this.document.querySelector(selectors.readingPane);
  }

  candidates() {
    const pane = this.pane();
    if (!pane) return [];
    // Bodies inside another body are message content, not OWA's.
    return [...pane.querySelectorAll(selectors.body)].filter((el) => !el.parentElement?.closest(selectors.body));
  }

  // locator says which message a body belongs to, for the background's Graph lookup.
  locator(body) {
    const fromURL = urlId.exec(this.location.pathname)?.[1];
    const id = fromURL ? decodeURIComponent(fromURL) : null;
    const bodies = this.candidates();
    if (id?.startsWith('AAMk') && bodies.length === 1) return { itemId: id };
    const conv = id?.startsWith('AAQk') ? id : this.document.querySelector(selectors.selectedRow)?.getAttribute(selectors.convIdAttr);
    if (!conv) return null;
    // OWA's ids use the EWS base64 alphabet; Graph's REST ids use '-' and '_' (docs/outlook.md).
    return { conversationId: conv.replace(/\//g, '-').replace(/\+/g, '_'), index: bodies.indexOf(body) };
  }

  describe(body) {
    const locator = this.locator(body);
    if (!locator) return null;
    return {
      account: this.account,
      id: locator.itemId ?? `${locator.conversationId}#${locator.index}`,
      container: body.parentElement,
      locator,
      // what the page shows as the sender, to check the fetched message against
      shownSender: shownSender(body.parentElement, body),
      place: (host) => body.before(host),
      source: async () => ({ outlook: locator }),
    };
  }
}

/** outlookAccount names the mailbox of an OWA page by its host (Outlook.account). */
export function outlookAccount(host) {
  return `outlook:${host}`;
}

// The Outlook provider finds the Graph id of an opened message by its position in a conversation
// (docs/outlook.md), which can pick a neighbour when Graph lists a message OWA hides. Before a
// verdict is shown, the address OWA shows above the body must be a From address of the message
// Graph returned (background/handlers.js, verifyOutlook); otherwise the verdict would belong to
// another message.

/** shownSender is the first address in a message's header area: the text of container outside its body element. */
export function shownSender(container, body) {
  let text = '';
  const walker = container.ownerDocument.createTreeWalker(container, 4 /* SHOW_TEXT */);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) if (!body.contains(n)) text += ` ${/** @type {Text} */ (n).data}`;
  return firstAddress(text);
}
