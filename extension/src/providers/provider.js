// @ts-check
// Provider is what mailseal needs from a webmail, for reading and for writing: recognise its
// pages, notice opened messages, get each one's verdict (from its raw RFC 5322 bytes), say where
// its banner goes, find its compose windows and the mailbox toolbar for "Write signed", and name
// the message a reply answers. gmail.js and outlook.js implement it; each keeps its brittle
// selectors in one table at its top (`selectors`, and `composeSelectors` for writing). Shared
// code (content/main.js, content/compose-button.js) calls these methods and never asks which
// webmail it is on.
//
// An OpenedMessage:
//   account    string  whose mailbox (the report cache is per account and message id)
//   id         string  the provider's message id (Gmail) or a locator key (Outlook)
//   container  Element the message's outer element
//   place(host)        put the banner host above the body, outside the body's container
//   source(signal?)    Promise<{bytes: Uint8Array} | {outlook: locator}>; signal cancels a fetch
//
// composeSelectors, for writing:
//   window     a compose window (new message, reply)
//   body       its editable body; quote: the quoted original inside it (the window is a reply)
//   buttonBar  the window's bar with Send, where Write signed goes
//   toolbar    the mailbox toolbar; toolbarContainer: matches it when the button goes inside it
//              (else beside it)

/**
 * @typedef {{account: string, id: string, container: Element, place: (host: Element) => void,
 *   source: (signal?: AbortSignal) => Promise<{bytes?: Uint8Array, outlook?: object}>, element?: Element, tries?: number,
 *   locator?: object, shownSender?: string | null}} OpenedMessage
 * @typedef {import('../protocol.js').Shown} Shown
 * @typedef {(name: any, args: any) => Promise<any>} Send   request.js request
 */

// How many message ids a page remembers not to fetch at once (Provider.known).
const maxKnown = 1000;

export class Provider {
  /**
   * @param {{document: Document, location: Location|URL, fetcher?: import('../rawfetch.js').RawFetcher,
   *   pack?: (bytes: Uint8Array) => any}} env  pack: how bytes cross to the background (bytes.js packBytes)
   */
  constructor(env) {
    this.document = env.document;
    this.location = env.location;
    this.fetcher = env.fetcher;
    this.pack = env.pack ?? ((bytes) => bytes);
    this.seen = new WeakMap(); // container → message id last reported
    // Raw bytes fetched when the user pointed at the message's row (content/ahead.js): message
    // id → Promise<Uint8Array>, taken by the message's source() when it opens.
    this.ahead = new Map();
    // The messages this page does not fetch at once when they open (message ids, oldest first):
    // those the background's session cache had when the page started (learnCached), and every
    // one asked about since, whose verdict the cache has now (or which was fetched once already).
    // Opened (again), they are fetched only when the background has no verdict for them.
    this.known = new Set();
    /** @type {Promise<unknown>} the background's answer to learnCached */
    this.learning = Promise.resolve();
  }

  /**
   * learnCached asks for the ids of the messages of this page's account that the background's
   * session cache has (ask: request cachedMessages), as the page starts; verdict waits for them.
   * @param {(account: string) => Promise<string[]>} ask
   */
  learnCached(ask) {
    this.learning = ask(this.account).then((list) => { for (const id of Array.isArray(list) ? list : []) if (typeof id === 'string') this.remember(id); }, () => {});
  }

  /** remember notes that message id is not to be fetched at once when it opens (again). */
  remember(id) {
    this.known.delete(id);
    this.known.add(id);
    if (this.known.size > maxKnown) this.known.delete(this.known.values().next().value);
  }

  /**
   * rowMessage names the message a row of the message list opens, for the row at or above el;
   * null when el is in no row (or this webmail's rows name no message).
   * @param {Element} _el
   * @returns {{account: string, id: string, fetch: () => Promise<Uint8Array>} | null}
   */
  rowMessage(_el) { return null; }

  /** takeAhead gives the bytes fetched ahead for message id, once, or null. */
  takeAhead(id) {
    const early = this.ahead.get(id) ?? null;
    this.ahead.delete(id);
    return early;
  }

  /** @returns {Element[]} message containers that are open (their body is in the DOM) */
  candidates() { throw new Error('provider: candidates not implemented'); }

  /** @returns {string} the provider's name, for what is told to the user and the background */
  get name() { throw new Error('provider: name not implemented'); }

  /** @returns {string} whose mailbox this page shows */
  get account() { throw new Error('provider: account not implemented'); }

  /** @returns {Record<string, string>} the compose selectors (see above) */
  get composeSelectors() { throw new Error('provider: composeSelectors not implemented'); }

  /**
   * @param {Element} el  a candidate
   * @returns {OpenedMessage|null} */
  describe(el) { throw new Error('provider: describe not implemented'); }

  /**
   * verdict gets an opened message's verdict from the background: from the session cache when
   * it has one, else the raw bytes fetched here and verified there. A message that could not be
   * fetched is status unavailable, never a verdict.
   * @param {OpenedMessage} opened
   * @param {Send} request
   * @param {string} [wait] the wait id of the banner frame loaded for it, which the background
   *   binds to the verdict's channel as it answers (content/banner-host.js)
   * @returns {Promise<Shown>}
   */
  async verdict(opened, request, wait = undefined) {
    const { account, id } = opened;
    const w = wait ? { wait } : {};
    // A message the session cache does not have, as far as this page knows, is fetched while the
    // background looks, not after (a fetch the lookup makes needless is cancelled).
    const cancel = new AbortController();
    const lookup = request('lookup', { account, messageId: id, ...w });
    lookup.catch(() => {}); // met below, once the page knows what is cached
    let hit;
    let early = null;
    try {
      await this.learning;
      // Once per message: the same message shown twice at once is fetched early once.
      early = this.known.has(id) ? null : opened.source(cancel.signal);
      early?.catch(() => {}); // a failure is met below, or does not matter (cancelled)
      this.remember(id);
      hit = await lookup;
    } finally {
      if (hit !== null) cancel.abort(); // a verdict, or no answer: the fetch is not needed
    }
    if (hit) return hit;
    try {
      const { bytes } = await (early ?? opened.source());
      return await request('verify', { account, messageId: id, raw: this.pack(bytes), ...w });
    } catch (err) {
      // unchecked_fetch: the source could not be had; unchecked_read: it came but could not be read.
      const code = err?.code === 'unavailable' ? 'unchecked_fetch' : 'unchecked_read';
      return request('unavailable', { account, messageId: id, code, reason: String(err?.message ?? err), ...w });
    }
  }

  /** @returns {Element[]} the compose windows open now */
  composeWindows() {
    return [...this.document.querySelectorAll(this.composeSelectors.window)];
  }

  /** @returns {Element|null} the bar of a compose window where Write signed goes */
  composeBar(win) {
    return win.querySelector(this.composeSelectors.buttonBar);
  }

  /** @returns {null | {element: Element, inside: boolean}} the mailbox toolbar, and whether the button goes inside it */
  mailboxToolbar() {
    const element = this.document.querySelector(this.composeSelectors.toolbar);
    return element ? { element, inside: element.matches(this.composeSelectors.toolbarContainer) } : null;
  }

  /**
   * replyReference names the message a compose window answers: the conversation's last opened
   * message when the window holds a quote (a reply), else null (new mail). Only its shape
   * crosses to the background, which reads the original itself.
   * @returns {import('../protocol.js').ReplyReference | null}
   */
  replyReference(win) {
    const s = this.composeSelectors;
    if (!win?.querySelector(s.body)?.querySelector(s.quote)) return null;
    return this.lastMessageReference();
  }

  /** @returns {import('../protocol.js').ReplyReference | null} the open conversation's last message */
  lastMessageReference() { return null; }

  // expectsMessage says whether the page plainly shows an opened message, from what does not
  // depend on the selector table (the address): when it does and hasOpenMessage finds none for a
  // while, the webmail changed its page (content/layout-watch.js).
  expectsMessage() { return false; }

  hasOpenMessage() {
    return this.candidates().some((el) => this.describe(el) !== null);
  }

  // scan reports each open message once per container and id; a container that Gmail or Outlook
  // reuses for another message (its id changes) is reported again. isPlaced tells whether the
  // banner of a container is still in the document (webmails re-render).
  scan(isPlaced = (_el) => true) {
    const out = [];
    for (const el of this.candidates()) {
      const opened = this.describe(el);
      if (!opened) continue;
      if (this.seen.get(el) === opened.id && isPlaced(el)) continue;
      this.seen.set(el, opened.id);
      opened.element = el;
      out.push(opened);
    }
    return out;
  }

  // observe calls onOpened for every message opened now or later, until signal aborts. It wakes on
  // DOM mutations (never polls) and coalesces bursts of them into one scan, at most one per
  // gapMillis: the first change after a quiet spell is scanned at once (a banner waits for no
  // timer), a busy page is scanned no more often than before. onChange runs first at each wake
  // (it may abort the signal).
  observe(signal, onOpened, isPlaced, onChange = () => {}, gapMillis = 15) {
    let scheduled = false;
    let last = -Infinity;
    const run = () => {
      scheduled = false;
      last = performance.now();
      if (!signal.aborted) onChange();
      if (!signal.aborted) for (const opened of this.scan(isPlaced)) onOpened(opened);
    };
    const observer = new this.document.defaultView.MutationObserver(() => {
      if (scheduled) return;
      scheduled = true;
      setTimeout(run, Math.max(0, last + gapMillis - performance.now()));
    });
    observer.observe(this.document.documentElement, { childList: true, subtree: true });
    signal.addEventListener('abort', () => observer.disconnect(), { once: true });
    run();
  }
}
