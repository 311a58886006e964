// The compose window: what the user writes here is exactly what is signed. It is an extension
// page in a popup window the background opened (compose.html#<channel>) or a tab the user opened
// (compose.html); it is not web-accessible, so no web page can frame it, and it refuses to run
// framed anyway. A reply's quoted message arrives as plain text, read by the background from the
// raw message, and is put into the text field, where the user sees it: nothing a received HTML
// message hides with CSS can enter the signature unseen.
//
// Sending has two steps. The last one names the identity that signs and every recipient, takes
// the passphrase when the identity is locked, and its button acts only for the user's own input
// after a short delay (send-gate.js).
import { ext } from '../platform.js';
import { packBytes } from '../bytes.js';
import { request } from '../request.js';
import { el, t, untrusted, localize } from '../view/dom.js';
import { SendGate } from './send-gate.js';
import { estimateSigned, largestMessage } from '../message-size.js';

const $ = (id) => document.getElementById(id);
const channel = location.hash.slice(1);
// A draft is kept per conversation (or per provider for a new message) in storage.session: the
// text survives closing the window and writing signed again in the same place, and is gone when
// the browser closes. Content scripts cannot read storage.session (identity.js restricts it).
let draftKey = 'composeDraft:new';
const files = [];
let context = null;
let gate = null;

function quote(text) {
  return text.replace(/\r\n?/g, '\n').split('\n').map((l) => (l.startsWith('>') ? `>${l}` : `> ${l}`)).join('\n');
}

function fields() {
  return { provider: $('provider').value, from: $('from').value, to: $('to').value, cc: $('cc').value, bcc: $('bcc').value, subject: $('subject').value, text: $('text').value };
}

let saving = null;
function storeDraft() {
  clearTimeout(saving);
  return ext.storage.session.set({ [draftKey]: { ...fields(), savedAt: Date.now() } });
}
function saveDraft() {
  clearTimeout(saving);
  saving = setTimeout(storeDraft, 300);
}

function showResult(kind, message) {
  $('result').dataset.kind = kind;
  $('result').textContent = message;
}

function showSize() {
  const provider = $('provider').value;
  const n = estimateSigned($('text').value.length, files.map((f) => f.size));
  const most = largestMessage(provider);
  const mb = (x) => `${(x / 1024 / 1024).toFixed(1)} MB`;
  $('size').textContent = n > most ? t('composeTooLarge', mb(n), mb(most)) : files.length ? t('composeSize', mb(n), mb(most)) : '';
  $('review').disabled = n > most || !context?.identity;
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
  const { [draftKey]: draft } = await ext.storage.session.get(draftKey);
  const p = context.prefill;
  const start = draft ?? { ...p, text: p.quoted ? `\n\n${quote(p.quoted)}` : '' };
  if (p.error) {
    $('original-note').hidden = false;
    $('original-note').textContent = t('composeOriginalUnread', p.error);
  }
  if (context.provider) {
    $('provider').value = context.provider;
    $('provider').disabled = true;
  } else if (draft?.provider) $('provider').value = draft.provider;
  for (const k of ['to', 'cc', 'bcc', 'subject', 'text']) $(k).value = start[k] ?? '';
  $('identity-link').href = ext.runtime.getURL('pages/identity.html');
  $('no-identity').hidden = Boolean(context.identity);
  fillFrom(context.identity?.summary.addresses ?? [], start.from || context.account);
  noteFrom();
  showSize();
}

function recipients(f) {
  const list = (label, v) => (v.trim() ? [el('div', {}, `${label}: `, untrusted(v.trim()))] : []);
  return [...list(t('composeTo'), f.to), ...list(t('composeCc'), f.cc), ...list(t('composeBcc'), f.bcc)];
}

// review shows the last step: who signs, for whom, and (when locked) the passphrase.
async function review(e) {
  e.preventDefault();
  const f = fields();
  if (!`${f.to}${f.cc}${f.bcc}`.trim()) return showResult('error', t('composeNoRecipients'));
  const status = await request('identityStatus');
  const s = status.identity?.summary;
  if (!s) return showResult('error', t('composeNoIdentity'));
  $('confirm-identity').replaceChildren(untrusted(s.subject), el('br'), untrusted(s.addresses.join(', ')), ` (${s.level}) `, el('br'), `${t('identityIssuer')}: `, untrusted(s.issuer));
  $('confirm-from').replaceChildren(untrusted(f.from));
  $('confirm-recipients').replaceChildren(...recipients(f));
  $('confirm-subject').replaceChildren(untrusted(f.subject));
  $('confirm-via').textContent = f.provider === 'outlook' ? 'Outlook (Microsoft Graph)' : 'Gmail (Gmail API)';
  $('unlock').hidden = status.unlockedUntil > Date.now();
  $('passphrase').value = '';
  showResult('', '');
  for (const n of $('compose').elements) n.disabled = true;
  $('confirm').hidden = false;
  gate.open();
  ($('unlock').hidden ? $('send') : $('passphrase')).focus();
}

function edit() {
  gate.close();
  $('confirm').hidden = true;
  $('passphrase').value = '';
  for (const n of $('compose').elements) n.disabled = false;
  $('provider').disabled = Boolean(context?.provider);
  showSize();
}

async function unlock() {
  const passphrase = $('passphrase').value;
  $('passphrase').value = '';
  try {
    await request('identityUnlock', { passphrase });
  } catch (err) {
    showResult('error', err.message);
    return false;
  }
  $('unlock').hidden = true;
  return true;
}

async function send(e) {
  e.preventDefault();
  if (!gate.allows(e)) return showResult('error', t('composeGateWait'));
  gate.close();
  showResult('', t('composeSending'));
  try {
    if (!$('unlock').hidden) {
      const unlocked = await unlock();
      if (!unlocked) return;
    }
    await storeDraft(); // whatever happens to this send, the text stays
    const f = fields();
    const attachments = await Promise.all(files.map(async (file) => ({
      name: file.name, type: file.type, data: packBytes(new Uint8Array(await file.arrayBuffer())),
    })));
    const message = { from: f.from, to: f.to, cc: f.cc, bcc: f.bcc, subject: f.subject, text: f.text, attachments };
    const out = await request('signAndSend', { channel, provider: f.provider, account: context.account, message }).catch((err) => {
      if (err.code === 'locked') $('unlock').hidden = false;
      throw err;
    });
    await ext.storage.session.remove(draftKey);
    clearTimeout(saving);
    showResult('ok', t('composeSent', out.summary.to || out.summary.bcc || ''));
    $('confirm').hidden = true;
    document.body.dataset.sent = 'true';
  } catch (err) {
    showResult('error', err.message);
  } finally {
    if (document.body.dataset.sent !== 'true' && !$('confirm').hidden) gate.open();
  }
}

function main() {
  localize();
  document.body.hidden = false;
  if (window.top !== window) {
    $('refused').hidden = false;
    $('compose').remove();
    $('confirm').remove();
    return;
  }
  gate = new SendGate(window, $('send'));
  $('compose').addEventListener('submit', review);
  $('compose').addEventListener('input', () => { saveDraft(); showSize(); noteFrom(); });
  $('confirm').addEventListener('submit', (e) => e.preventDefault());
  $('send').addEventListener('click', send);
  $('passphrase').addEventListener('keydown', (e) => { if (e.key === 'Enter') send(e); });
  $('edit').addEventListener('click', edit);
  $('provider').addEventListener('change', showSize);
  $('files').addEventListener('change', () => { files.push(...$('files').files); $('files').value = ''; showAttachments(); });
  load().catch((err) => showResult('error', err.message));
}

main();
