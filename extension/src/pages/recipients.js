// Recipients as chips: what the user types or pastes into To, Cc or Bcc becomes one chip per
// address, each checked (address.js), a bad one marked and named so that the window can refuse
// to go on. The field's value is the list as the core reads it ("Ann <ann@example.com>, bob@…").
import { isAddress } from '../providers/address.js';

/**
 * splitRecipients cuts a typed list at commas, semicolons and line breaks outside quotes and
 * angle brackets, and reads each piece: {text, address, valid}. A piece is valid when it is an
 * address, or a name and an address in angle brackets.
 */
export function splitRecipients(input) {
  const pieces = [];
  let piece = '';
  let quoted = false;
  let angle = false;
  for (const c of String(input ?? '')) {
    if (c === '"' && !angle) quoted = !quoted;
    else if (c === '<' && !quoted) angle = true;
    else if (c === '>' && !quoted) angle = false;
    if (!quoted && !angle && /[,;\n]/.test(c)) {
      pieces.push(piece);
      piece = '';
    } else piece += c;
  }
  pieces.push(piece);
  return pieces.map((p) => p.trim()).filter(Boolean).map(recipient);
}

function recipient(text) {
  const named = /^((?:"[^"\\]*"|[^"<>]*?))\s*<([^<>]*)>$/.exec(text);
  const address = (named ? named[2] : text).trim();
  return { text, address, valid: isAddress(address) && (!named || !/[\r\n]/.test(named[1])) };
}

/**
 * RecipientField turns an input inside a container into a chip field. Typing a comma, semicolon
 * or Enter, pasting, or leaving the field makes chips of what was typed; Backspace in an empty
 * input takes the last chip back for editing; each chip has a remove button.
 */
export class RecipientField {
  /**
   * @param {HTMLInputElement} input
   * @param {{el: Function, t: Function, onchange: Function, badge?: Function}} ui el and t from
   *   view/dom.js; badge(address) is a few words to show in a valid chip (its certificate's level)
   */
  constructor(input, { el, t, onchange, badge }) {
    this.input = input;
    this.el = el;
    this.t = t;
    this.onchange = onchange;
    this.badge = badge;
    this.list = [];
    this.chips = el('span', { class: 'chips' });
    input.before(this.chips);
    input.addEventListener('keydown', (e) => this.#key(e));
    input.addEventListener('input', () => { if (/[,;\n]/.test(input.value)) this.commit(); });
    input.addEventListener('paste', (e) => {
      e.preventDefault();
      this.input.value += e.clipboardData?.getData('text/plain') ?? '';
      this.commit();
    });
    input.addEventListener('blur', () => this.commit());
    input.closest('.chip-field')?.addEventListener('click', (e) => { if (e.target === e.currentTarget) input.focus(); });
  }

  /** value is the list as typed, the chips and what is still in the input. */
  get value() {
    return [...this.list.map((r) => r.text), this.input.value.trim()].filter(Boolean).join(', ');
  }

  set value(text) {
    this.list = [];
    this.input.value = text ?? '';
    this.commit();
    this.#draw();
  }

  /** invalid lists the recipients that are not addresses, those still being typed included. */
  get invalid() {
    return [...this.list, ...splitRecipients(this.input.value)].filter((r) => !r.valid);
  }

  /** commit makes chips of what is in the input. */
  commit() {
    const added = splitRecipients(this.input.value);
    this.input.value = '';
    // Nothing typed, nothing redrawn: a blur on the way to a chip's remove button must not
    // replace the button under the pointer before its click.
    if (!added.length) return;
    const known = new Set(this.list.map((r) => r.address.toLowerCase()));
    for (const r of added) {
      if (r.valid && known.has(r.address.toLowerCase())) continue;
      known.add(r.address.toLowerCase());
      this.list.push(r);
    }
    this.#draw();
    this.onchange?.();
  }

  remove(i) {
    this.list.splice(i, 1);
    this.#draw();
    this.onchange?.();
    this.input.focus();
  }

  /** redraw draws the chips again, as when what badge says changed. */
  redraw() {
    this.#draw();
  }

  #key(e) {
    const typing = this.input.value;
    // A comma inside a quoted name or an address being typed is part of it: "Doe, Jo" <jo@…>
    const inside = (typing.split('"').length % 2 === 0) || typing.lastIndexOf('<') > typing.lastIndexOf('>');
    if ((e.key === 'Enter' && !e.ctrlKey && !e.metaKey && typing.trim()) || (!inside && (e.key === ',' || e.key === ';'))) {
      e.preventDefault();
      this.commit();
    } else if (e.key === 'Backspace' && this.input.value === '' && this.list.length) {
      e.preventDefault();
      this.input.value = this.list.pop().text;
      this.#draw();
      this.onchange?.();
    }
  }

  #draw() {
    const { el, t } = this;
    this.chips.replaceChildren(...this.list.map((r, i) => el('span', { class: r.valid ? 'chip' : 'chip bad', 'data-valid': String(r.valid), title: r.valid ? null : t('composeBadAddress', r.text) },
      el('bdi', { dir: 'auto', text: r.text }),
      ...(r.valid && this.badge?.(r.address) ? [el('span', { class: 'chip-cert', dir: 'auto', text: this.badge(r.address) })] : []),
      el('button', { type: 'button', class: 'chip-remove', text: '×', 'aria-label': t('composeRemoveRecipient', r.text), onclick: () => this.remove(i) }))));
    this.input.setAttribute('aria-invalid', String(this.invalid.length > 0));
  }
}
