// @ts-check
// "Write signed" in the webmail: a button in each compose window and in the mailbox toolbar. A
// trusted click on it (a script's click does nothing) asks the background to open mailseal's
// compose window, an extension-owned popup the page can neither see, cover nor click, naming at
// most which message to reply to. Nothing else crosses: the recipients, subject and quoted text
// of a reply are read by the background from the provider's raw message, and what the user
// writes is written in that window (SECURITY.md, "The webmail page").
//
// Tested on: the demo webmail (demo/public/compose.js), which reproduces the structure below.
// The webmail's own elements are found through the provider (Provider.composeWindows,
// composeBar, mailboxToolbar, replyReference in providers/); content/main.js calls decorate at
// each wake of its one observer.
import { ext } from '../platform.js';
import { request } from '../request.js';

const marker = 'data-mailseal-compose';
// The button's own look, inline so the webmail's style sheets neither hide nor restyle it much:
// an outlined button with a seal, in the webmail's font.
const buttonStyle = 'display:inline-flex;align-items:center;gap:4px;margin-inline:8px;padding:2px 10px;' +
  'border:1px solid #1a73e8;border-radius:4px;background:#fff;color:#1a73e8;font:inherit;font-size:13px;' +
  'line-height:20px;cursor:pointer;white-space:nowrap;';

// lockIcon draws a small padlock (SVG built node by node: no markup is parsed in the page).
function lockIcon() {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  for (const [k, v] of Object.entries({ width: '12', height: '14', viewBox: '0 0 12 14', 'aria-hidden': 'true' })) svg.setAttribute(k, v);
  const shackle = document.createElementNS(ns, 'path');
  for (const [k, v] of Object.entries({ d: 'M3 6V4a3 3 0 0 1 6 0v2', fill: 'none', stroke: 'currentColor', 'stroke-width': '1.5' })) shackle.setAttribute(k, v);
  const body = document.createElementNS(ns, 'rect');
  for (const [k, v] of Object.entries({ x: '1', y: '6', width: '10', height: '7.5', rx: '1.5', fill: 'currentColor' })) body.setAttribute(k, v);
  svg.append(shackle, body);
  return svg;
}

function button(label, onclick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.setAttribute(marker, 'button');
  b.style.cssText = buttonStyle;
  b.append(lockIcon(), label);
  b.addEventListener('click', (e) => {
    e.preventDefault();
    e.stopPropagation();
    // Only the user's own click: a click the page made (element.click(), dispatchEvent) is not.
    if (e.isTrusted) onclick();
  });
  return b;
}

async function open(provider, win) {
  // click names this click, so that a request sent again (the background was restarting)
  // opens one window, not two.
  await request('composeOpen', { reply: provider.replyReference(win), click: crypto.randomUUID() });
}

/** decorate puts Write signed in every compose window of the page and beside the mailbox's toolbar. */
export function decorate(provider) {
  const label = ext.i18n.getMessage('composeButton') || 'Write signed';
  for (const win of provider.composeWindows()) {
    const bar = provider.composeBar(win);
    if (bar && !bar.querySelector(`[${marker}]`)) bar.append(button(label, () => open(provider, win).catch(warn)));
  }
  const toolbar = provider.mailboxToolbar();
  if (!toolbar) return;
  // Inside a toolbar, as its last button; beside a single button (Outlook's New mail).
  const { element, inside } = toolbar;
  const present = inside ? element.querySelector(`[${marker}]`) : element.nextElementSibling?.matches(`[${marker}]`);
  if (!present) {
    const b = button(label, () => open(provider, null).catch(warn));
    if (inside) element.append(b);
    else element.after(b);
  }
}

function warn(err) {
  console.warn('mailseal: write signed:', err.message);
}
