// @ts-check
// Building DOM from untrusted strings: everything goes in as text (never HTML), and every string
// that came from a certificate or a message is wrapped in <bdi> so that its direction cannot
// reorder the words around it (a right-to-left override in a subject stays inside its <bdi>).
import { ext } from '../platform.js';

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) node.append(c instanceof Node ? c : String(c));
  return node;
}

// untrusted wraps text from a certificate or a message.
export function untrusted(text) {
  return el('bdi', { dir: 'auto', class: 'untrusted', text: String(text ?? '') });
}

// t is chrome.i18n with a fallback to the key, so a missing string shows, not vanishes.
export function t(key, ...subs) {
  return ext.i18n.getMessage(key, subs.map(String)) || key;
}

// sentence is the message key with each substitution set as untrusted text: a name quoted inside
// a translated sentence keeps its direction to itself, as a whole untrusted line would not.
export function sentence(key, ...subs) {
  const marked = t(key, ...subs.map((_, i) => `\u0001${i}\u0001`));
  return el('span', {}, marked.split('\u0001').map((piece, i) => (i % 2 ? untrusted(subs[Number(piece)]) : piece)));
}

export function localize(root = document) {
  for (const n of root.querySelectorAll('[data-i18n]')) n.textContent = t(n.getAttribute('data-i18n'));
  for (const n of root.querySelectorAll('[data-i18n-label]')) n.setAttribute('aria-label', t(n.getAttribute('data-i18n-label')));
  document.documentElement.lang = ext.i18n.getUILanguage();
}

// mark draws the user's security mark: a swatch of their colour and their word.
export function mark(m) {
  return el('span', { class: 'mark', title: t('markTitle') },
    el('span', { class: 'swatch', style: `background:${/^#[0-9a-f]{6}$/i.test(m?.color ?? '') ? m.color : '#888'}` }),
    el('span', { class: 'mark-word', text: m?.word ?? '' }));
}
