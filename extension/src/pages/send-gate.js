// SendGate keeps a button inert until the user has certainly seen what it does: it opens a short
// delay after the step it belongs to appears (and again whenever the window gains or loses
// focus), and then needs a fresh pointer-down or key press of the user's own inside this window.
// A click that began before that (the second half of a double click that opened the window under
// the cursor) or that a script made does nothing, and neither does a held key: its repeats (an
// Enter that submitted the form and stayed down onto the focused Send) are not a fresh press.
export const sendDelayMillis = 800;

export class SendGate {
  #enableAt = Infinity;
  #armed = false;
  #timer = 0;

  /** @param {Window} win @param {HTMLElement} button */
  constructor(win, button, delayMillis = sendDelayMillis) {
    this.win = win;
    this.button = button;
    this.delayMillis = delayMillis;
    const input = (e) => { if (e.isTrusted && !e.repeat && this.win.performance.now() >= this.#enableAt) this.#arm(); };
    win.addEventListener('pointerdown', input, true);
    win.addEventListener('keydown', input, true);
    for (const ev of ['focus', 'blur']) win.addEventListener(ev, () => { if (this.#enableAt !== Infinity) this.open(); });
    win.document.addEventListener('visibilitychange', () => { if (this.#enableAt !== Infinity) this.open(); });
    this.close();
  }

  /** open starts the delay: the step with the button has just appeared. */
  open() {
    this.#armed = false;
    this.#enableAt = this.win.performance.now() + this.delayMillis;
    this.#show('waiting');
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => { if (!this.#armed) this.#show('ready'); }, this.delayMillis);
  }

  /** close makes the button inert until the next open(). */
  close() {
    this.#armed = false;
    this.#enableAt = Infinity;
    clearTimeout(this.#timer);
    this.#show('closed');
  }

  /** allows says whether an event (the button's click, Enter in a field) may act. */
  allows(e) {
    return Boolean(e?.isTrusted) && !e.repeat && this.#armed;
  }

  #arm() {
    this.#armed = true;
    this.#show('armed');
  }

  #show(state) {
    this.button.dataset.gate = state;
    this.button.setAttribute('aria-disabled', String(state === 'waiting' || state === 'closed'));
  }
}
