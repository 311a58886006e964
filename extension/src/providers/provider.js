// Provider is what mailseal needs from a webmail: recognise its pages, notice opened messages,
// say how to get each one's raw RFC 5322 bytes, and where its banner goes. gmail.js and outlook.js
// implement it; each keeps its brittle selectors in one table at its top.
//
// An OpenedMessage:
//   account    string  whose mailbox (the report cache is per account and message id)
//   id         string  the provider's message id (Gmail) or a locator key (Outlook)
//   container  Element the message's outer element
//   place(host)        put the banner host above the body, outside the body's container
//   source()           Promise<{bytes: Uint8Array} | {outlook: locator}>

export class Provider {
  /** @param {{document: Document, location: Location|URL, fetcher?: import('../rawfetch.js').RawFetcher}} env */
  constructor(env) {
    this.document = env.document;
    this.location = env.location;
    this.fetcher = env.fetcher;
    this.seen = new WeakMap(); // container → message id last reported
  }

  /** @returns {Element[]} message containers that are open (their body is in the DOM) */
  candidates() { throw new Error('provider: candidates not implemented'); }

  /** @returns {import('./provider.js').OpenedMessage|null} */
  describe() { throw new Error('provider: describe not implemented'); }

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
  scan(isPlaced = () => true) {
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
  // DOM mutations (never polls) and coalesces bursts of them into one scan; onChange runs first at
  // each wake (it may abort the signal).
  observe(signal, onOpened, isPlaced, onChange = () => {}) {
    let scheduled = false;
    const run = () => {
      scheduled = false;
      if (!signal.aborted) onChange();
      if (!signal.aborted) for (const opened of this.scan(isPlaced)) onOpened(opened);
    };
    const observer = new this.document.defaultView.MutationObserver(() => {
      if (scheduled) return;
      scheduled = true;
      setTimeout(run, 15);
    });
    observer.observe(this.document.documentElement, { childList: true, subtree: true });
    signal.addEventListener('abort', () => observer.disconnect(), { once: true });
    run();
  }
}
