// The compose frame: what the user writes here is exactly what is signed. It runs as an
// extension page, either in a frame the content script placed over the webmail (compose.html
// #<channel>, prefilled from the webmail's compose window through the background) or on its own.
// A quoted message arrives as plain text and is put into the text field, where the user sees it:
// nothing a received HTML message hides with CSS can enter the signature unseen.
import { ext } from '../platform.js';
import { packBytes } from '../bytes.js';
import { request } from '../request.js';
import { el, t, untrusted, localize } from '../view/dom.js';

const $ = (id) => document.getElementById(id);
const channel = location.hash.slice(1);
// A draft is kept per conversation (or per provider for a new message), so closing the frame
// and writing signed again in the same place brings the text back.
let draftKey = 'composeDraft:new';
const limits = { gmail: 35 * 1024 * 1024, outlook: 3 * 1024 * 1024 };
const files = [];
let context = null;

// framedByUs: a frame is accepted only directly in a webmail tab's top document, where the
// content script puts it, and only with a channel the background gave that tab (checked there).
// ancestorOrigins (Chromium) tells a frame nested deeper, inside a message body say.
function framedByUs() {
  if (window.top === window) return true;
  if (window.parent !== window.top || !channel) return false;
  const ancestors = location.ancestorOrigins;
  return !ancestors || ancestors.length === 1;
}

function quote(text) {
  return text.replace(/\r\n?/g, '\n').split('\n').map((l) => (l.startsWith('>') ? `>${l}` : `> ${l}`)).join('\n');
}

function fields() {
  return { provider: $('provider').value, from: $('from').value, to: $('to').value, cc: $('cc').value, bcc: $('bcc').value, subject: $('subject').value, text: $('text').value };
}

// The draft is kept in storage.local as the user types, and dropped only once the message is sent.
let saving = null;
function storeDraft() {
  clearTimeout(saving);
  return ext.storage.local.set({ [draftKey]: { ...fields(), savedAt: Date.now() } });
}
function saveDraft() {
  clearTimeout(saving);
  saving = setTimeout(storeDraft, 300);
}

function showResult(kind, message) {
  $('result').dataset.kind = kind;
  $('result').textContent = message;
}

function estimate() {
  const attached = files.reduce((n, f) => n + Math.ceil(f.size / 57) * 78, 0);
  return attached + 3 * $('text').value.length + 8192;
}

function showSize() {
  const provider = $('provider').value;
  const n = estimate();
  const mb = (x) => `${(x / 1024 / 1024).toFixed(1)} MB`;
  $('size').textContent = n > limits[provider] ? t('composeTooLarge', mb(n), mb(limits[provider])) : files.length ? t('composeSize', mb(n), mb(limits[provider])) : '';
  $('send').disabled = n > limits[provider] || !context?.identity;
}

function showAttachments() {
  $('attachments').replaceChildren(...files.map((f, i) => el('li', {},
    untrusted(`${f.name} (${Math.ceil(f.size / 1024)} KB) `),
    el('button', { type: 'button', text: '×', 'aria-label': t('composeRemove'), onclick: () => { files.splice(i, 1); showAttachments(); } }))));
  showSize();
}

function fillFrom(addresses, wanted) {
  $('from').replaceChildren(...addresses.map((a) => el('option', { value: a, text: a })));
  const match = addresses.find((a) => wanted && wanted.toLowerCase().includes(a.toLowerCase()));
  if (match) $('from').value = match;
}

function noteFrom() {
  const account = context?.account;
  const differs = account && $('from').value && $('from').value.toLowerCase() !== account.toLowerCase();
  $('from-note').hidden = !differs;
  if (differs) $('from-note').textContent = t('composeFromAlias', account);
}

async function load() {
  context = await request('composeDraft', { channel });
  if (!context) {
    $('refused').hidden = false;
    $('compose').hidden = true;
    return;
  }
  draftKey = `composeDraft:${context.provider || 'any'}:${context.account}:${context.threadId || 'new'}`;
  const { [draftKey]: draft } = await ext.storage.local.get(draftKey);
  const p = context.prefill;
  const start = draft ?? { ...p, text: [p.text, p.quoted ? `\n${quote(p.quoted)}` : ''].filter(Boolean).join('\n') };
  if (context.provider) {
    $('provider').value = context.provider;
    $('provider').disabled = true;
  } else if (draft?.provider) $('provider').value = draft.provider;
  for (const k of ['to', 'cc', 'bcc', 'subject', 'text']) $(k).value = start[k] ?? '';
  $('identity-link').href = ext.runtime.getURL('pages/identity.html');
  $('no-identity').hidden = Boolean(context.identity);
  fillFrom(context.identity?.summary.addresses ?? [], start.from || context.account);
  $('unlock').hidden = !context.identity || context.unlockedUntil > Date.now();
  noteFrom();
  showSize();
}

async function unlock() {
  const passphrase = $('passphrase').value;
  const out = await request('identityUnlock', { passphrase });
  $('passphrase').value = '';
  if (!out.ok) return showResult('error', out.message);
  $('unlock').hidden = true;
  showResult('', t('identityUnlockedUntil', new Date(out.unlockedUntil).toLocaleTimeString()));
  return out;
}

async function send(e) {
  e.preventDefault();
  $('send').disabled = true;
  showResult('', t('composeSending'));
  try {
    if (!$('unlock').hidden && $('passphrase').value) {
      const unlocked = await unlock();
      if (!unlocked?.ok) return;
    }
    await storeDraft(); // whatever happens to this send, the text stays
    const f = fields();
    const attachments = await Promise.all(files.map(async (file) => ({
      name: file.name, type: file.type, data: packBytes(new Uint8Array(await file.arrayBuffer())),
    })));
    const message = { from: f.from, to: f.to, cc: f.cc, bcc: f.bcc, subject: f.subject, text: f.text, attachments };
    const p = context.prefill;
    if (p.inReplyTo) message.inReplyTo = p.inReplyTo;
    if (p.references?.length) message.references = p.references;
    const out = await request('signAndSend', { channel, provider: f.provider, account: context.account, threadId: context.threadId, message });
    if (!out.ok) {
      if (out.kind === 'locked') $('unlock').hidden = false;
      return showResult('error', out.message);
    }
    await ext.storage.local.remove(draftKey);
    clearTimeout(saving);
    showResult('ok', t('composeSent', out.summary.to || out.summary.bcc || ''));
    $('compose').dataset.sent = 'true';
  } catch (err) {
    showResult('error', err.message);
  } finally {
    showSize();
  }
}

function main() {
  localize();
  document.body.hidden = false;
  if (!framedByUs()) {
    $('refused').hidden = false;
    $('compose').remove();
    return;
  }
  $('compose').addEventListener('submit', send);
  $('compose').addEventListener('input', () => { saveDraft(); showSize(); noteFrom(); });
  $('provider').addEventListener('change', showSize);
  $('unlock-button').addEventListener('click', () => unlock().catch((err) => showResult('error', err.message)));
  $('files').addEventListener('change', () => { files.push(...$('files').files); $('files').value = ''; showAttachments(); });
  load().catch((err) => showResult('error', err.message));
}

main();
