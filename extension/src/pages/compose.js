// The compose window: what the user writes here is exactly what is signed. It is an extension
// page in a popup window the background opened (compose.html#<channel>) or a tab the user opened
// (compose.html); it is not web-accessible, so no web page can frame it, and it refuses to run
// framed anyway. A reply's quoted message arrives as plain text, read by the background from the
// raw message, and is put into the text field, where the user sees it: nothing a received HTML
// message hides with CSS can enter the signature unseen. Formatting is typed as text and read by
// formatted.js, which alone writes the HTML part; a paste arrives as plain text.
//
// At the top, the identity that will sign, in the words recipients' banner will show. Sending has
// two steps. Ctrl+Enter (or Review) opens the last one, which names the identity and every
// recipient and takes the passphrase when the identity is locked; its button acts only for the
// user's own input after a short delay (send-gate.js), and no shortcut presses it. Esc goes back
// a step, or closes the window (asking first when there is text the user wrote).
import { ext } from '../platform.js';
import { packBytes } from '../bytes.js';
import { request } from '../request.js';
import { el, t, untrusted, localize } from '../view/dom.js';
import { estimateEncrypted, estimateSigned, largestMessage } from '../message-size.js';
import { webmailName, webmailOf } from '../providers/hosts.js';
import { SendGate } from './send-gate.js';
import { RecipientField } from './recipients.js';
import { formatSize } from './size.js';
import { signedAs, signedAsLevel } from './signed-as.js';
import * as formatted from './formatted.js';
import * as encryption from './encryption.js';

const $ = (id) => document.getElementById(id);
const channel = location.hash.slice(1);
const lang = ext.i18n.getUILanguage();
// A draft is kept per conversation (or per provider for a new message) in storage.session: the
// text survives closing the window and writing signed again in the same place, and is gone when
// the browser closes. Content scripts cannot read storage.session (identity.js restricts it).
let draftKey = 'composeDraft:new';
const files = [];
const recipients = {};
let context = null;
let identity = null; // {summary, …} of identityStatus, or null
let gate = null;
let opened = ''; // the fields as the window started, to tell whether the user wrote anything
// Encryption: what the background found for each recipient (by lowercase address) and the
// certificate files the user imported here (kept in this window only, and sent to the background
// with each lookup and with the message).
const found = new Map();
const certFiles = [];
let generation = 0; // of found: a file imported starts a new one
let encryptOn = false;

// --- the background: every request this window makes ---

const background = {
  context: () => request('composeDraft', { channel }),
  status: () => request('identityStatus'),
  unlock: (passphrase) => request('identityUnlock', { passphrase }),
  signAndSend: (provider, message, encrypt) => request('signAndSend', { channel, provider, account: context.account, message, ...encrypt }),
  recipientCertificates: (addresses) => request('recipientCertificates', { channel, addresses, files: certFiles.map((f) => packBytes(f.data)) }),
};

// --- the message ---

function quote(text) {
  return text.replace(/\r\n?/g, '\n').split('\n').map((l) => (l.startsWith('>') ? `>${l}` : `> ${l}`)).join('\n');
}

function fields() {
  return { provider: $('provider').value, from: $('from').value, to: recipients.to.value, cc: recipients.cc.value, bcc: recipients.bcc.value, subject: $('subject').value, text: $('text').value };
}

const written = () => JSON.stringify(fields()) !== opened || files.length > 0;

let saving = null;
// While Encrypt is on nothing of the text is written anywhere: no draft is kept. On means the
// user's choice (encryptOn), not encrypting(): that is false while a recipient just added is
// still looked up, and a draft written then would stay until the next change.
function storeDraft() {
  clearTimeout(saving);
  if (encryptOn) return ext.storage.session.remove(draftKey);
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

// --- what the window shows as the user writes ---

function showIdentity() {
  const s = identity?.summary;
  $('no-identity').hidden = Boolean(s);
  $('signing-as').hidden = !s;
  $('signing-note').hidden = !s || s.trusted;
  if (!s) return;
  $('signing-as-words').replaceChildren(untrusted(signedAs(s, $('from').value)));
  $('signing-as').dataset.level = signedAsLevel(s);
  if (!s.trusted) $('signing-note').textContent = t('composeUntrustedIdentity', s.trustReason ?? '');
}

function showSize() {
  const provider = $('provider').value;
  const m = formatted.message($('text').value);
  const signed = estimateSigned({ text: m.text, html: m.html, attachments: files.map((f) => f.size) });
  const n = encrypting() ? estimateEncrypted(signed, addresses().length) : signed;
  const limit = largestMessage(provider);
  const name = webmailName(provider);
  const over = n > limit;
  $('size').textContent = t(over ? 'composeTooLarge' : 'composeSize', formatSize(n, lang), formatSize(limit, lang), name);
  $('size').dataset.level = over ? 'over' : n > limit * 0.8 ? 'near' : '';
  $('review').disabled = over || !identity;
}

function showAttachments() {
  $('attachments').replaceChildren(...files.map((f, i) => el('li', {},
    untrusted(f.name), el('span', { class: 'size', text: formatSize(f.size, lang) }),
    el('button', { type: 'button', class: 'remove', text: '×', 'aria-label': t('composeRemove', f.name), onclick: () => removeAttachment(i) }))));
  showSize();
}

function removeAttachment(i) {
  files.splice(i, 1);
  showAttachments();
  ($('attachments').querySelectorAll('button.remove')[Math.min(i, files.length - 1)] ?? $('files')).focus();
}

function showRecipients() {
  const bad = ['to', 'cc', 'bcc'].flatMap((k) => recipients[k].invalid.map((r) => r.text));
  $('recipients-error').hidden = bad.length === 0;
  $('recipients-error').textContent = bad.length ? t('composeBadAddresses', bad.join(', ')) : '';
  return bad;
}

// --- encryption: each recipient's certificate, the toggle, imported certificate files ---

// Encrypted when the user turned it on and every recipient has a usable certificate now.
const encrypting = () => encryptOn && encryption.encryptionState(addresses(), found, hasBcc(), ownEncryptable()).available;
// The sender's certificate may be encrypted to (an identity without a summary yet is not refused here: the background checks again).
const ownEncryptable = () => identity?.summary?.canDecrypt !== false;
const hasBcc = () => recipients.bcc.list.some((r) => r.valid);
const addresses = () => encryption.addressesOf(['to', 'cc', 'bcc'].map((k) => recipients[k].list));

// findCertificates asks the background about recipients not looked up yet (all of them after a
// file was imported); a later answer replaces an earlier one, never the other way round.
async function findCertificates(again = false) {
  if (again) {
    found.clear();
    generation++;
  }
  const gen = generation;
  const wanted = addresses().filter((a) => !found.has(a));
  showEncryption();
  if (!wanted.length) return;
  try {
    const out = await background.recipientCertificates(wanted);
    if (gen !== generation) return;
    for (const r of out.recipients) found.set(r.address.toLowerCase(), r);
    showFiles(out.files);
  } catch (err) {
    $('encrypt-state').textContent = err.message;
    return;
  }
  for (const k of ['to', 'cc', 'bcc']) recipients[k].redraw();
  showEncryption();
}

function showEncryption() {
  const list = addresses();
  const state = encryption.encryptionState(list, found, hasBcc(), ownEncryptable());
  const toggle = $('encrypt');
  if (state.missing.length || !list.length || state.bcc || state.ownRefused) encryptOn = false; // a recipient without one, or a Bcc, turns it off
  toggle.checked = encryptOn;
  toggle.disabled = !state.available || document.body.dataset.step !== 'edit';
  $('encrypt-state').textContent = state.ownRefused ? t('composeEncryptOwnKey')
    : !list.length ? t('composeEncryptNoRecipients')
    : state.bcc ? t('composeEncryptBcc')
    : state.pending ? t('composeEncryptChecking')
      : state.available ? t('composeEncryptAvailable') : t('composeEncryptMissing', state.missing.map((r) => r.address).join(', '));
  $('encrypt-missing').replaceChildren(...(state.pending ? [] : state.missing.map((r) => el('li', {}, untrusted(r.address), ': ', encryption.reasonOf(r)))));
  $('encrypt-no-draft').hidden = !encryptOn;
  $('draft-kept').hidden = encryptOn;
  showSize();
}

function showFiles(notes) {
  if (!notes || notes.length !== certFiles.length) return;
  $('cert-files-notes').replaceChildren(...certFiles.map((f, i) => el('li', {}, untrusted(encryption.fileNote(f.name, notes[i], addresses(), t)))));
}

async function importCertificates() {
  for (const file of $('cert-files').files) {
    if (certFiles.length >= 16 || file.size > 256 * 1024) continue;
    certFiles.push({ name: file.name, data: new Uint8Array(await file.arrayBuffer()) });
  }
  $('cert-files').value = '';
  await findCertificates(true);
}

function showPreview() {
  const blocks = formatted.parse($('text').value);
  $('preview').hidden = !formatted.isFormatted(blocks);
  $('preview-body').replaceChildren(...($('preview').hidden ? [] : formatted.preview(blocks, el)));
}

function changed() {
  saveDraft();
  showSize();
  showPreview();
  noteFrom();
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
  context = await background.context();
  if (!context) {
    $('refused').hidden = false;
    $('compose').hidden = true;
    $('signer').hidden = true;
    return;
  }
  identity = context.identity ?? null;
  draftKey = `composeDraft:${context.provider || 'any'}:${context.account}:${context.threadId || 'new'}`;
  const { [draftKey]: draft } = await ext.storage.session.get(draftKey);
  const p = context.prefill;
  const start = draft ?? { ...p, text: p.quoted ? `\n\n${quote(p.quoted)}` : '' };
  showReplyingTo(p.original);
  if (p.error) {
    $('original-note').hidden = false;
    $('original-note').textContent = t('composeOriginalUnread', p.error);
  }
  if (context.provider) {
    $('provider').value = context.provider;
    $('provider').disabled = true;
  } else if (draft?.provider) $('provider').value = draft.provider;
  for (const k of ['to', 'cc', 'bcc']) recipients[k].value = start[k] ?? '';
  for (const k of ['subject', 'text']) $(k).value = start[k] ?? '';
  for (const a of [$('identity-link'), $('change-identity')]) a.href = ext.runtime.getURL('pages/identity.html');
  fillFrom(identity?.summary.addresses ?? [], start.from || context.account);
  opened = JSON.stringify(fields());
  showIdentity();
  showRecipients();
  showPreview();
  noteFrom();
  showSize();
  findCertificates().catch(() => {});
}

// showReplyingTo names the message a reply answers (its From, Subject and Date as the core read
// them from the original), above the text and in the last step: the page chose which message of
// the mailbox that is, so the user sees which one it chose.
function showReplyingTo(original) {
  const said = original && (original.from || original.subject);
  $('replying-to').hidden = !said;
  $('confirm-replying-row').hidden = !said;
  if (!said) return;
  const words = t('composeReplyingTo', original.from || '?', original.subject || t('popupNoSubject'), original.date || '?');
  $('replying-to').replaceChildren(untrusted(words));
  $('confirm-replying').replaceChildren(untrusted(words));
}

// The identity may change on the identity page while this window is open (imported, deleted):
// the window says what will sign whenever it comes back into view.
async function refreshIdentity() {
  if (!context || document.body.dataset.step !== 'edit') return;
  const status = await background.status();
  identity = status.identity ?? null;
  const from = $('from').value;
  fillFrom(identity?.summary.addresses ?? [], from || context.account);
  showIdentity();
  showSize();
}

// --- the two steps ---

function setStep(step) {
  document.body.dataset.step = step;
  $('send').setAttribute('aria-busy', String(step === 'sending'));
  $('edit').disabled = step === 'sending';
  $('send').textContent = t(step === 'sending' ? 'composeSending' : 'composeSend');
}

// review shows the last step: who signs, for whom, and (when locked) the passphrase.
async function review(e) {
  e?.preventDefault();
  for (const k of ['to', 'cc', 'bcc']) recipients[k].commit();
  const f = fields();
  if (showRecipients().length) return showResult('error', t('composeFixAddresses'));
  if (!`${f.to}${f.cc}${f.bcc}`.trim()) return showResult('error', t('composeNoRecipients'));
  // Encrypt on means encrypted or not sent: never signed only because a lookup has not answered.
  if (encryptOn && !encrypting()) return showResult('error', t('composeEncryptNotReady'));
  const status = await background.status();
  identity = status.identity ?? null;
  const s = identity?.summary;
  if (!s) {
    showIdentity();
    return showResult('error', t('composeNoIdentity'));
  }
  const m = formatted.message(f.text);
  const list = (label, v) => (v.trim() ? [el('div', {}, `${label}: `, untrusted(v.trim()))] : []);
  $('confirm-identity').replaceChildren(el('strong', {}, untrusted(signedAs(s, f.from))), el('br'), `${t('identityIssuer')}: `, untrusted(s.issuer));
  $('confirm-from').replaceChildren(untrusted(f.from));
  $('confirm-recipients').replaceChildren(...list(t('composeTo'), f.to), ...list(t('composeCc'), f.cc), ...list(t('composeBcc'), f.bcc));
  $('confirm-encryption').textContent = encryption.confirmation(encrypting(), addresses().length, t);
  $('confirm-subject').replaceChildren(untrusted(f.subject));
  $('confirm-format').textContent = t(m.html ? 'composeFormatHTML' : 'composeFormatPlain');
  $('confirm-attachments').replaceChildren(...(files.length ? files.map((file) => el('div', {}, untrusted(file.name), ` (${formatSize(file.size, lang)})`)) : [t('composeNoAttachments')]));
  $('confirm-via').textContent = `${webmailName(f.provider)} (${webmailOf(f.provider)?.api ?? '?'})`;
  $('unlock').hidden = status.unlockedUntil > Date.now();
  $('passphrase').value = '';
  showResult('', '');
  for (const n of $('compose').elements) n.disabled = true;
  $('confirm').hidden = false;
  setStep('confirm');
  gate.open();
  ($('unlock').hidden ? $('send') : $('passphrase')).focus();
}

function edit() {
  gate.close();
  $('confirm').hidden = true;
  $('passphrase').value = '';
  for (const n of $('compose').elements) n.disabled = false;
  $('provider').disabled = Boolean(context?.provider);
  setStep('edit');
  showEncryption();
  $('text').focus();
}

async function unlock() {
  const passphrase = $('passphrase').value;
  $('passphrase').value = '';
  try {
    await background.unlock(passphrase);
  } catch (err) {
    showResult('error', err.message);
    return false;
  }
  $('unlock').hidden = true;
  return true;
}

async function send(e) {
  e.preventDefault();
  if (document.body.dataset.step !== 'confirm') return;
  if (!gate.allows(e)) return showResult('error', t('composeGateWait'));
  gate.close();
  setStep('sending');
  showResult('', t('composeSending'));
  try {
    if (!$('unlock').hidden) {
      const unlocked = await unlock();
      if (!unlocked) return;
    }
    await storeDraft(); // whatever happens to this send, the text stays (unless encrypted: no draft)
    const f = fields();
    const attachments = await Promise.all(files.map(async (file) => ({
      name: file.name, type: file.type, data: packBytes(new Uint8Array(await file.arrayBuffer())),
    })));
    const message = { from: f.from, to: f.to, cc: f.cc, bcc: f.bcc, subject: f.subject, ...formatted.message(f.text), attachments };
    if (encryptOn && !encrypting()) throw new Error(t('composeEncryptNotReady'));
    const encrypt = encrypting() ? { encrypt: true, recipients: addresses(), files: certFiles.map((c) => packBytes(c.data)) } : {};
    const out = await background.signAndSend(f.provider, message, encrypt).catch((err) => {
      if (err.code === 'locked') $('unlock').hidden = false;
      throw err;
    });
    await ext.storage.session.remove(draftKey);
    clearTimeout(saving);
    showResult('ok', t(out.encrypted ? 'composeSentEncrypted' : 'composeSent', out.summary.to || out.summary.bcc || ''));
    $('confirm').hidden = true;
    setStep('sent');
    document.body.dataset.sent = 'true';
    $('done').hidden = false;
    $('close-window').focus();
  } catch (err) {
    showResult('error', err.message);
  } finally {
    if (document.body.dataset.step === 'sending') {
      setStep('confirm');
      gate.open();
    }
  }
}

// --- the keyboard: Ctrl+Enter, Esc and Tab ---

// closeWindow keeps the text as a draft (a change may still be waiting on saveDraft's timer),
// then closes the window; a sent message's draft is gone already.
async function closeWindow() {
  if (document.body.dataset.step !== 'sent') await storeDraft().catch(() => {});
  window.close();
}

function askClose() {
  $('close-ask-text').textContent = t(encryptOn ? 'composeCloseAskEncrypted' : 'composeCloseAsk');
  $('close-ask').hidden = false;
  $('close-no').focus();
}

function keepWriting() {
  $('close-ask').hidden = true;
  $('text').focus();
}

function escape() {
  const step = document.body.dataset.step;
  if (!$('close-ask').hidden) return keepWriting();
  if (step === 'confirm') return edit();
  if (step === 'sending') return undefined;
  if (step === 'edit' && written()) return askClose();
  return closeWindow();
}

const focusable = 'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])';

/** trapFocus keeps Tab inside the part of the window in use: the question, the last step or the form. */
function trapFocus(e) {
  const step = document.body.dataset.step;
  const region = !$('close-ask').hidden ? $('close-ask') : step === 'confirm' || step === 'sending' ? $('confirm') : document.querySelector('main');
  const items = [...region.querySelectorAll(focusable)].filter((n) => !n.disabled && n.getClientRects().length > 0);
  if (!items.length) return;
  const first = items[0];
  const last = items.at(-1);
  const at = document.activeElement;
  if (!region.contains(at) || (e.shiftKey ? at === first : at === last)) {
    e.preventDefault();
    (e.shiftKey ? last : first).focus();
  }
}

function onKey(e) {
  if (e.key === 'Tab') return trapFocus(e);
  if (e.key === 'Escape') {
    e.preventDefault();
    if (!e.repeat) escape();
  } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
    // Never a send: it opens the last step, and there it does nothing (not even press the
    // focused Sign and send). A held key's repeats do nothing either.
    e.preventDefault();
    if (!e.repeat && document.body.dataset.step === 'edit' && !$('review').disabled) review();
  }
  return undefined;
}

// --- formatting: the toolbar and its shortcuts edit the text, keeping the browser's undo ---

function replaceText(ta, { value, start, end }) {
  const old = ta.value;
  let p = 0;
  while (p < old.length && p < value.length && old[p] === value[p]) p++;
  let s = 0;
  while (s < old.length - p && s < value.length - p && old[old.length - 1 - s] === value[value.length - 1 - s]) s++;
  ta.focus();
  ta.setSelectionRange(p, old.length - s);
  const insert = value.slice(p, value.length - s);
  if (!document.execCommand(insert ? 'insertText' : 'delete', false, insert)) ta.setRangeText(insert);
  if (ta.value !== value) ta.value = value;
  ta.setSelectionRange(start, end);
  ta.dispatchEvent(new Event('input', { bubbles: true }));
}

function format(kind) {
  const ta = $('text');
  const [v, a, b] = [ta.value, ta.selectionStart, ta.selectionEnd];
  const edit = kind === 'bold' ? formatted.toggleMark(v, a, b, '**') : kind === 'italic' ? formatted.toggleMark(v, a, b, '_')
    : kind === 'link' ? formatted.insertLink(v, a, b, t('composeLinkWords')) : formatted.toggleList(v, a, b, kind);
  replaceText(ta, edit);
}

function pastePlain(e) {
  const text = e.clipboardData?.getData('text/plain');
  e.preventDefault(); // whatever else the clipboard holds (HTML, images) never enters the message
  if (!text) return;
  const ta = e.currentTarget;
  const v = ta.value;
  const clean = text.replace(/\r\n?/g, '\n');
  replaceText(ta, { value: v.slice(0, ta.selectionStart) + clean + v.slice(ta.selectionEnd), start: ta.selectionStart + clean.length, end: ta.selectionStart + clean.length });
}

function main() {
  localize();
  document.body.hidden = false;
  if (window.top !== window) {
    $('refused').hidden = false;
    $('compose').remove();
    $('confirm').remove();
    $('signer').remove();
    return;
  }
  gate = new SendGate(window, $('send'));
  const badge = (address) => encryption.badge(found.get(address.toLowerCase()), t);
  for (const k of ['to', 'cc', 'bcc']) recipients[k] = new RecipientField($(k), { el, t, badge, onchange: () => { showRecipients(); storeDraft(); findCertificates().catch(() => {}); } });
  $('encrypt').addEventListener('change', () => { encryptOn = $('encrypt').checked; showEncryption(); storeDraft(); });
  $('cert-files').addEventListener('change', () => { importCertificates().catch((err) => showResult('error', err.message)); });
  $('compose').addEventListener('submit', review);
  $('compose').addEventListener('input', changed);
  $('confirm').addEventListener('submit', (e) => e.preventDefault());
  $('send').addEventListener('click', send);
  $('passphrase').addEventListener('keydown', (e) => { if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey) send(e); });
  $('edit').addEventListener('click', edit);
  $('provider').addEventListener('change', showSize);
  $('from').addEventListener('change', () => { showIdentity(); noteFrom(); saveDraft(); });
  $('files').addEventListener('change', () => { files.push(...$('files').files); $('files').value = ''; showAttachments(); });
  $('text').addEventListener('paste', pastePlain);
  $('text').addEventListener('keydown', (e) => {
    const k = (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey ? e.key.toLowerCase() : '';
    if (k === 'b' || k === 'i') {
      e.preventDefault();
      format(k === 'b' ? 'bold' : 'italic');
    }
  });
  for (const b of document.querySelectorAll('[data-format]')) b.addEventListener('click', () => format(b.dataset.format));
  $('close-yes').addEventListener('click', closeWindow);
  $('close-no').addEventListener('click', keepWriting);
  $('close-window').addEventListener('click', closeWindow);
  document.addEventListener('keydown', onKey);
  window.addEventListener('focus', () => { refreshIdentity().catch(() => {}); });
  load().catch((err) => showResult('error', err.message));
}

main();
