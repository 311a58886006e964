// @ts-check
// When Gmail or Outlook change their page, the selector tables (providers/*.js) stop matching and
// no banner appears: silence that looks like "nothing signed here". LayoutWatch tells that apart:
// the address says a message is open (Provider.expectsMessage) and, for graceMillis in a row, the
// provider finds none. Then, and when the page reads again, it calls onVerdict(unreadable).
// It is woken by the provider's observer and by address changes, never by polling; one timer
// runs per stretch of missing messages.

// Long enough for a slow webmail to load a conversation after its address changed.
export const graceMillis = 8000;

export class LayoutWatch {
  constructor(provider, onVerdict, { grace = graceMillis, timers = globalThis } = {}) {
    this.provider = provider;
    this.onVerdict = onVerdict;
    this.grace = grace;
    this.timers = timers;
    this.timer = null;
    this.unreadable = false;
  }

  missing() {
    return this.provider.expectsMessage() && !this.provider.hasOpenMessage();
  }

  check() {
    if (!this.missing()) {
      this.clear();
      if (this.unreadable) this.verdict(false);
      return;
    }
    if (this.timer === null && !this.unreadable) {
      this.timer = this.timers.setTimeout(() => {
        this.timer = null;
        if (this.missing()) this.verdict(true);
      }, this.grace);
    }
  }

  verdict(unreadable) {
    this.unreadable = unreadable;
    this.onVerdict(unreadable);
  }

  clear() {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }
}
