// "Write signed" in the webmail: a button in each compose window and in the mailbox toolbar that
// opens mailseal's compose frame (pages/compose.html, an extension page) over the webmail,
// prefilled from the compose window. The prefill goes to the background, which hands it to the
// frame under a random channel id; the frame never trusts the page, and what is signed is only
// what the user sees in the frame.
//
// Tested on: the demo webmail (demo/public/compose.js), which reproduces the structure below.
import { ext } from '../platform.js';
import { request, requestPatiently } from '../request.js';
import { providerNameFor } from '../providers/hosts.js';
import { Gmail, messageId, selectors as gmailSelectors } from '../providers/gmail.js';
import { Outlook } from '../providers/outlook.js';
import { RawFetcher } from '../rawfetch.js';
import { replyHeadersOf } from '../rawheaders.js';

// Every selector in one table, with where it is documented in public code.
export const composeSelectors = Object.freeze({
  gmail: {
    // The compose window (new message, reply, pop-out): a dialog holding the subject box.
    // gmail.js `compose` (div.M9, role=dialog) and `dom('subjectbox')` (input[name=subjectbox]).
    window: 'div[role="dialog"]:has(input[name="subjectbox"]), div.M9:has(input[name="subjectbox"])',
    from: 'input[name="from"]', // gmail.js compose `from()`
    to: '[name="to"]', cc: '[name="cc"]', bcc: '[name="bcc"]', // gmail.js compose recipients (chips carry `email`)
    subject: 'input[name="subjectbox"]',
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
    from: '[aria-label="From"]',
    to: '[aria-label="To"]', cc: '[aria-label="Cc"]', bcc: '[aria-label="Bcc"]',
    subject: 'input[aria-label="Add a subject"]',
    body: 'div[aria-label^="Message body"][contenteditable="true"]',
    quote: '#divRplyFwdMsg ~ *, #appendonsend ~ *', // OWA marks where the quoted message starts
    buttonBar: '[data-app-section="ComposeForm"] [role="toolbar"], [aria-label="Command toolbar"]',
    toolbar: '[role="toolbar"][aria-label="Ribbon"], [aria-label="New mail"]',
    thread: '[data-app-section="ConversationContainer"][data-convid]',
  },
});

const marker = 'data-mailseal-compose';
const address = /[\w.+-]+@[\w-]+(\.[\w-]+)+/g;

// addresses reads a recipient field: chips with an email attribute, or what was typed.
function addresses(root) {
  if (!root) return '';
  const found = [...root.querySelectorAll('[email]')].map((n) => n.getAttribute('email'));
  const typed = [root, ...root.querySelectorAll('input, textarea')].map((n) => ('value' in n ? n.value : '')).filter(Boolean);
  const text = root.matches('input, textarea') ? '' : root.textContent;
  return [...new Set([...found, ...typed.flatMap((v) => v.split(/[,;]\s*/)), ...(found.length ? [] : text.match(address) ?? [])])].filter(Boolean).join(', ');
}

// plainText reads an element as the user sees it (innerText skips what CSS hides) without
// touching the webmail's DOM; the frame shows the result, so nothing enters unseen either way.
function plainText(n) {
  return n ? (n.innerText ?? n.textContent ?? '').replace(/\u00a0/g, ' ').trim() : '';
}

function prefillFrom(win, s) {
  const q = (sel) => win.querySelector(sel);
  const body = q(s.body);
  const quote = body?.querySelector(s.quote);
  let text = plainText(body);
  const quoted = plainText(quote);
  if (quoted && text.endsWith(quoted)) text = text.slice(0, -quoted.length).trim();
  return {
    from: q(s.from)?.value ?? q(s.from)?.textContent ?? '',
    to: addresses(q(s.to)), cc: addresses(q(s.cc)), bcc: addresses(q(s.bcc)),
    subject: q(s.subject)?.value ?? '', text, quoted,
  };
}

// replyHeaders finds the Message-ID and References of the conversation's last opened message in
// its raw source, which the page does not show, so that the reply threads in every client (the
// Gmail API also wants them besides threadId). Gmail: from the page's session; Outlook: the
// background reads the message through Graph, where the token is.
async function replyHeaders(provider) {
  if (provider === 'outlook') {
    const outlook = new Outlook({ document, location });
    const last = outlook.candidates().at(-1);
    const locator = last && outlook.locator(last);
    return locator ? request('outlookReplyHeaders', { locator }) : {};
  }
  const last = [...document.querySelectorAll(gmailSelectors.message)].at(-1);
  const id = last && messageId(last);
  if (!id) return {};
  const fetcher = new RawFetcher();
  return replyHeadersOf(await fetcher.fetchBytes(new Gmail({ document, location, fetcher }).rawURL(id), { credentials: 'include' }));
}

function accountOf(provider) {
  if (provider === 'gmail') return (document.title.match(address) ?? [''])[0].toLowerCase();
  return '';
}

function threadOf(provider, s) {
  const t = document.querySelector(s.thread);
  if (!t) return '';
  return provider === 'gmail' ? t.getAttribute('data-legacy-thread-id') : '';
}

// openFrame puts the compose frame over the webmail in a closed shadow root, with a close button
// the page cannot press for the user (it cannot reach into the shadow root either).
function openFrame(channel) {
  document.querySelector(`[${marker}="frame"]`)?.remove();
  const host = document.createElement('div');
  host.setAttribute(marker, 'frame');
  host.style.cssText = 'position:fixed;inset:5vh 10vw;z-index:2147483647;';
  const root = host.attachShadow({ mode: 'closed' });
  const frame = document.createElement('iframe');
  frame.src = ext.runtime.getURL(`pages/compose.html#${channel}`);
  frame.title = ext.i18n.getMessage('composeTitle') || 'mailseal';
  frame.style.cssText = 'width:100%;height:100%;border:2px solid #555;border-radius:8px;background:#fff;box-shadow:0 8px 32px rgba(0,0,0,.4);';
  const close = document.createElement('button');
  close.textContent = '×';
  close.setAttribute('aria-label', ext.i18n.getMessage('composeClose') || 'Close');
  close.style.cssText = 'position:absolute;top:6px;inset-inline-end:10px;font-size:20px;cursor:pointer;';
  close.addEventListener('click', () => host.remove());
  root.append(frame, close);
  document.body.append(host);
  return host;
}

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
  b.addEventListener('click', (e) => { e.preventDefault(); e.stopPropagation(); onclick(); });
  return b;
}

async function open(provider, win) {
  const s = composeSelectors[provider];
  const prefill = win ? prefillFrom(win, s) : {};
  const threadId = threadOf(provider, s);
  if (prefill.quoted && (threadId || provider === 'outlook')) {
    Object.assign(prefill, await replyHeaders(provider).catch((err) => { warn(err); return {}; }));
  }
  const { channel } = await request('composeOpen', { provider, account: accountOf(provider), threadId, prefill });
  openFrame(channel);
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

start().catch(warn);
