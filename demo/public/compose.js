// The demo's compose windows: a Gmail-like compose dialog and an Outlook-like compose form, with
// the structure mailseal's "Write signed" button looks for (the composeSelectors of
// extension/src/providers/gmail.js and outlook.js list them and where they are documented). Their own Send does nothing: the demo's
// mail goes out only through the demo send APIs (demo/send-api.mjs), signed by mailseal.
import { el } from './common.js';

const gmail = document.body.classList.contains('gmail');
const app = document.getElementById('app');

function openThread() {
  const h = document.querySelector(gmail ? 'h2.hP' : '[data-app-section="MailReadCompose"] h2, [data-app-section="MailReadCompose"] [role="heading"]');
  const bodies = [...document.querySelectorAll(gmail ? 'div.adn .a3s' : '[data-app-section="MailReadCompose"] [aria-label="Message body"]')];
  const senders = [...document.querySelectorAll(gmail ? 'div.adn .gD[email]' : '[data-app-section="MailReadCompose"] .hdr span:not(.date)')];
  if (!h || !bodies.length) return null;
  const last = senders.at(-1);
  return {
    subject: h.textContent.trim(), quoted: bodies.at(-1).innerText.trim(),
    to: (gmail ? last?.getAttribute('email') : last?.textContent.replace(/[<>]/g, '')) ?? '',
  };
}

function gmailCompose(reply) {
  document.querySelector('.demo-compose')?.remove();
  const body = el('div', { 'aria-label': 'Message Body', role: 'textbox', contenteditable: 'true', class: 'Am Al editable' }, 'Hello,');
  if (reply) body.append(el('div', { class: 'gmail_quote' }, el('div', { text: 'Earlier in this conversation:' }), el('blockquote', { text: reply.quoted })));
  const dialog = el('div', { role: 'dialog', class: 'M9 demo-compose' },
    el('input', { type: 'hidden', name: 'from', value: document.title.match(/[\w.+-]+@[\w.-]+/)?.[0] ?? '' }),
    el('div', { name: 'to' }, el('input', { 'aria-label': 'To recipients', value: reply?.to ?? '' })),
    el('div', { name: 'cc' }, el('input', { 'aria-label': 'Cc recipients' })),
    el('div', { name: 'bcc' }, el('input', { 'aria-label': 'Bcc recipients' })),
    el('input', { name: 'subjectbox', placeholder: 'Subject', value: reply ? `Re: ${reply.subject}` : '' }),
    body,
    el('table', {}, el('tbody', {}, el('tr', { class: 'btC' }, el('td', {},
      el('div', { role: 'button', class: 'T-I aoO', text: 'Send', onclick: () => dialog.remove() }))))));
  document.body.append(dialog);
}

function outlookCompose(reply) {
  document.querySelector('.demo-compose')?.remove();
  const body = el('div', { 'aria-label': 'Message body, press Alt+F10 to exit', role: 'textbox', contenteditable: 'true' }, 'Hello,');
  if (reply) body.append(el('div', { id: 'appendonsend' }), el('div', { text: reply.quoted }));
  const form = el('div', { 'data-app-section': 'ComposeForm', class: 'demo-compose' },
    el('div', { role: 'toolbar', 'aria-label': 'Command toolbar' }, el('button', { type: 'button', text: 'Send', onclick: () => form.remove() })),
    el('div', { 'aria-label': 'From', text: 'demo@mailseal.test' }),
    el('div', { 'aria-label': 'To' }, el('input', { value: reply?.to ?? '' })),
    el('div', { 'aria-label': 'Cc' }, el('input', {})),
    el('input', { 'aria-label': 'Add a subject', value: reply ? `RE: ${reply.subject}` : '' }),
    body);
  document.body.append(form);
}

document.head.append(el('style', { text: `
.demo-compose { position: fixed; right: 16px; bottom: 0; width: 480px; display: grid; gap: 4px; padding: 8px;
  background: #fff; color: #202124; border: 1px solid #999; box-shadow: 0 4px 16px rgba(0,0,0,.3); }
.demo-compose [contenteditable] { min-height: 120px; border: 1px solid #ddd; padding: 4px; }
.demo-toolbar { display: flex; gap: 8px; padding: 8px 24px; border-bottom: 1px solid #ddd; }
.demo-toolbar [role=button] { cursor: pointer; border: 1px solid #ccc; border-radius: 4px; padding: 2px 10px; }` }));

const compose = gmail ? gmailCompose : outlookCompose;
const toolbar = gmail
  ? el('div', { gh: 'mtb', class: 'demo-toolbar' },
    el('div', { gh: 'cm', role: 'button', text: 'Compose', onclick: () => compose(null) }),
    el('div', { role: 'button', class: 'demo-reply', text: 'Reply', onclick: () => compose(openThread()) }))
  : el('div', { role: 'toolbar', 'aria-label': 'Ribbon', class: 'demo-toolbar' },
    el('button', { type: 'button', 'aria-label': 'New mail', text: 'New mail', onclick: () => compose(null) }),
    el('button', { type: 'button', class: 'demo-reply', text: 'Reply', onclick: () => compose(openThread()) }));
app.before(toolbar);
