// "Write signed" in the webmail: a button in each compose window and in the mailbox toolbar. A
// trusted click on it (a script's click does nothing) asks the background to open mailseal's
// compose window, an extension-owned popup the page can neither see, cover nor click, naming at
// most which message to reply to. Nothing else crosses: the recipients, subject and quoted text
// of a reply are read by the background from the provider's raw message, and what the user
// writes is written in that window (SECURITY.md, "The webmail page").
//
// Tested on: the demo webmail (demo/public/compose.js), which reproduces the structure below.
import { ext } from '../platform.js';
import { request, requestPatiently } from '../request.js';
import { providerNameFor } from '../providers/hosts.js';
import { messageId, selectors as gmailSelectors } from '../providers/gmail.js';
import { Outlook } from '../providers/outlook.js';
import { startPatiently } from './patience.js';

// Every selector in one table, with where it is documented in public code.
export const composeSelectors = Object.freeze({
  gmail: {
    // The compose window (new message, reply, pop-out): a dialog holding the subject box.
    // gmail.js `compose` (div.M9, role=dialog) and `dom('subjectbox')` (input[name=subjectbox]).
    window: 'div[role="dialog"]:has(input[name="subjectbox"]), div.M9:has(input[name="subjectbox"])',
    body: 'div[aria-label="Message Body"], div.Am.Al.editable', // gmail.js `dom('body')`; FlowCrypt compose selectors
    quote: '.gmail_quote', // the quoted part of a reply (Gmail's own class, kept in sent mail)
    buttonBar: '.btC', // the compose window's bottom bar with Send; gmail.js `dom('send_button')` sits in it
    toolbar: 'div[gh="mtb"]', // the mailbox toolbar; gmail.js `dom.toolbar` ([gh='mtb'])
    thread: 'h2.hP[data-legacy-thread-id]', // the open conversation; FlowCrypt / gmail.js thread id attribute
  },
  outlook: {
    // Outlook on the web's compose form: the editable body and the subject box around it.
    // Mailvelope outlookIntegration.js (div[aria-label="Message body"][contenteditable]).
    window: '[data-app-section="ComposeForm"], div[role="main"]:has(input[aria-label="Add a subject"])',
    body: 'div[aria-label^="Message body"][contenteditable="true"]',
    quote: '#divRplyFwdMsg ~ *, #appendonsend ~ *', // OWA marks where the quoted message starts
    buttonBar: '[data-app-section="ComposeForm"] [role="toolbar"], [aria-label="Command toolbar"]',
    toolbar: '[role="toolbar"][aria-label="Ribbon"], [aria-label="New mail"]',
    thread: '[data-app-section="ConversationContainer"][data-convid]',
  },
});

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

// replyTo names the message a compose window answers: the conversation's last opened message,
// when the webmail's compose window holds a quote (a reply), else none (new mail).
function replyTo(provider, win) {
  const s = composeSelectors[provider];
  if (!win?.querySelector(s.body)?.querySelector(s.quote)) return null;
  if (provider === 'outlook') {
    const outlook = new Outlook({ document, location });
    const last = outlook.candidates().at(-1);
    const locator = last && outlook.locator(last);
    return locator ? { locator } : null;
  }
  const last = [...document.querySelectorAll(gmailSelectors.message)].at(-1);
  const id = last && messageId(last);
  return id ? { messageId: id, threadId: document.querySelector(s.thread)?.getAttribute('data-legacy-thread-id') ?? '' } : null;
}

async function open(provider, win) {
  // click names this click, so that a request sent again (the background was restarting)
  // opens one window, not two.
  await request('composeOpen', { reply: replyTo(provider, win), click: crypto.randomUUID() });
}

function decorate(provider) {
  const s = composeSelectors[provider];
  const label = ext.i18n.getMessage('composeButton') || 'Write signed';
  for (const win of document.querySelectorAll(s.window)) {
    const bar = win.querySelector(s.buttonBar);
    if (bar && !bar.querySelector(`[${marker}]`)) bar.append(button(label, () => open(provider, win).catch(warn)));
  }
  const toolbar = document.querySelector(s.toolbar);
  if (!toolbar) return;
  // Inside a toolbar, as its last button; beside a single button (Outlook's New mail).
  const inside = toolbar.matches('[role="toolbar"], [gh="mtb"]');
  const present = inside ? toolbar.querySelector(`[${marker}]`) : toolbar.nextElementSibling?.matches(`[${marker}]`);
  if (!present) {
    const b = button(label, () => open(provider, null).catch(warn));
    if (inside) toolbar.append(b);
    else toolbar.after(b);
  }
}

function warn(err) {
  console.warn('mailseal: write signed:', err.message);
}

async function start() {
  const settings = await requestPatiently('contentSettings');
  const provider = providerNameFor(location.href, settings.hosts);
  if (!provider || !settings.providers[provider]) return;
  let queued = false;
  const observer = new MutationObserver(() => {
    if (queued) return;
    queued = true;
    queueMicrotask(() => { queued = false; decorate(provider); });
  });
  observer.observe(document.body, { childList: true, subtree: true });
  decorate(provider);
}

startPatiently(start);
