// The decrypt window: an encrypted message, decrypted by the core and shown here only. It is an
// extension page in a popup window the background opened (decrypt.html#<channel>) for the message
// of one banner; it is not web-accessible, so no web page can frame it, and it refuses to run
// framed anyway. It names nothing but its channel: the background reads the message from the
// provider itself and answers with the core's report and the decrypted parts, which live in this
// page's memory only (nothing is stored, cached or logged). HTML is shown in a sandboxed frame
// that can reach no network (view/content-frame.js); attachments are saved through blob URLs made
// here and revoked when the window closes.
import { ext } from '../platform.js';
import { unpackBytes } from '../bytes.js';
import { request } from '../request.js';
import { el, t, untrusted, localize } from '../view/dom.js';
import { icons, viewOf } from '../view/verdict.js';
import { headline, warningList } from '../view/headline.js';
import { details } from '../view/details.js';
import { sentenceNode, lines } from '../view/sentences.js';
import { contentFrame } from '../view/content-frame.js';
import { formatSize } from './size.js';

const $ = (id) => document.getElementById(id);
const channel = location.hash.slice(1);
const blobURLs = [];

function setState(state) {
  document.body.dataset.state = state;
  $('loading').hidden = state !== 'loading';
  $('unlock').hidden = state !== 'locked';
  $('result').hidden = state !== 'shown';
}

/** decode reads a text part in its charset (the browser's decoders), UTF-8 when it names none it knows. */
function decode(part) {
  const bytes = unpackBytes(part.data);
  try {
    return new TextDecoder(part.charset || 'utf-8').decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

/** verdictLine says how the message was encrypted and who signed it, in the reader's language. */
function verdictLine(report) {
  const enc = report.encryption ?? {};
  const view = viewOf(report);
  const state = enc.signature === 'inside' && report.status === 'valid' ? 'decryptEncryptedAndSigned'
    : enc.signature === 'outside' ? 'decryptEncryptedThenSigned'
      : report.status === 'unsigned' ? 'decryptEncryptedNotSigned' : 'decryptEncrypted';
  // The core's English banner already starts with the encryption's words: the headline is said
  // from the report's facts instead (banner left out), in every language alike.
  $('verdict').dataset.severity = view.severity;
  return el('span', { class: `summary ${view.kind}` },
    el('span', { class: 'state', text: `${t(state)} · ` }),
    el('span', { class: 'icon', 'aria-hidden': 'true', text: icons[view.severity] }),
    el('span', { class: 'severity', text: t(view.word) }), ' ',
    el('span', { class: 'headline' }, untrusted(headline({ ...report, banner: '' }))));
}

/** addressedLine names whom the signed content was written to: never implied to be the reader. */
function addressedLine(report) {
  const enc = report.encryption ?? {};
  if (enc.signature !== 'inside') return null;
  if (!enc.addressedTo?.length) return el('span', { text: t('decryptAddressedToNobody') });
  const own = enc.addressedTo.some((a) => String(a).toLowerCase() === String(enc.key ?? '').toLowerCase());
  return el('span', {}, t(own ? 'decryptAddressedTo' : 'decryptAddressedToOthers'), ' ', untrusted(enc.addressedTo.join(', ')));
}

function showBody(parts) {
  const shown = parts.filter((p) => !p.attachment);
  const html = shown.find((p) => p.type === 'text/html');
  const text = shown.find((p) => p.type === 'text/plain');
  if (html) return contentFrame(decode(html), t('decryptContent'));
  if (text) return el('pre', { class: 'text-content', dir: 'auto', text: decode(text) });
  return el('p', { class: 'hint', text: t('decryptNoText') });
}

function attachmentItem(part, i) {
  const bytes = unpackBytes(part.data);
  // A blob of a type that cannot run here (octet-stream): saved, never opened in this origin.
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
  blobURLs.push(url);
  const name = part.name || `part-${part.path || i + 1}`;
  return el('li', {}, el('a', { href: url, download: name, class: 'attachment' }, untrusted(name)),
    ' (', untrusted(part.type), `, ${formatSize(bytes.length, ext.i18n.getUILanguage())})`);
}

function showProblem(report) {
  const reasons = lines(report.reasons, report.reasonCodes);
  $('problem').replaceChildren(el('p', { text: t(report.encryption ? 'decryptNotDecrypted' : 'decryptNotEncrypted') }),
    el('ul', {}, reasons.map((r) => el('li', {}, sentenceNode(r.text, r.english)))));
  $('problem').hidden = false;
}

/** messageLine names the message as its header does (not signed: the verdict says what is). */
function messageLine(report) {
  const h = report.header ?? {};
  const from = (h.from ?? []).map((m) => (m.displayName ? `${m.displayName} <${m.address}>` : m.address)).join(', ');
  return el('span', {}, t('decryptMessage'), ' ', untrusted(from), ' · ', untrusted(h.subject ?? ''));
}

function show(answer) {
  const { report } = answer;
  setState('shown');
  $('message').replaceChildren(messageLine(report));
  if (!report.encryption?.decrypted) {
    // A refusal (an encrypted part only, no key for it, damaged, a weak cipher) or a message that
    // is not encrypted: its reason, and no content.
    $('result').hidden = true;
    showProblem(report);
    return;
  }
  $('verdict').replaceChildren(verdictLine(report));
  const warnings = warningList(report);
  if (warnings) $('verdict').after(warnings);
  const addressed = addressedLine(report);
  $('addressed').replaceChildren(...(addressed ? [addressed] : []));
  $('details').append(details(report, { experimental: false, message: null }));
  if (answer.partsError || !answer.parts) {
    $('content').replaceChildren(el('p', { class: 'error', text: t('decryptDamaged') }));
    return;
  }
  $('content').replaceChildren(showBody(answer.parts));
  const attachments = answer.parts.filter((p) => p.attachment);
  $('attachment-list').replaceChildren(...attachments.map(attachmentItem));
  $('attachments').hidden = attachments.length === 0;
}

async function read(passphrase) {
  try {
    show(await request('decryptRead', { channel, ...(passphrase ? { passphrase } : {}) }));
  } catch (err) {
    if (err.code === 'locked') {
      setState('locked');
      $('passphrase').focus();
      return;
    }
    if (passphrase && err.code === 'identity') {
      setState('locked');
      $('unlock-error').textContent = err.message;
      $('unlock-error').hidden = false;
      return;
    }
    setState('shown');
    $('result').hidden = true;
    $('problem').replaceChildren(el('p', { text: err.code === 'setup' ? err.message : t('decryptFailed', err.message) }));
    $('problem').hidden = false;
  }
}

function main() {
  localize();
  if (window.top !== window) {
    $('refused').hidden = false;
    $('loading').hidden = true;
    return;
  }
  $('unlock').addEventListener('submit', (e) => {
    e.preventDefault();
    const passphrase = $('passphrase').value;
    $('passphrase').value = '';
    $('unlock-error').hidden = true;
    setState('loading');
    read(passphrase);
  });
  // What was decrypted goes with the window.
  addEventListener('pagehide', () => { for (const url of blobURLs.splice(0)) URL.revokeObjectURL(url); });
  read('');
}

main();
