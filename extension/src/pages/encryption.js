// Encrypt in the compose window: available only when every recipient (To, Cc) has a usable
// certificate and there is no Bcc (an encrypted message names every certificate it is encrypted
// to, in clear, so To and Cc would learn who was in Bcc), from the sender memory or a file the user imported here; the background finds and
// the core validates them (recipientCertificates), this module only says what was found. Each
// recipient's chip shows the level of the certificate mail will be encrypted to, or is named with
// the reason it has none.
import { say } from '../view/sentences.js';

/**
 * @typedef {{address: string, usable: boolean, source: string, level: string, shown: string, why: object | null, reason: string}} RecipientShown
 */

const key = (address) => String(address ?? '').trim().toLowerCase();

/** addressesOf lists the distinct valid addresses of the three fields' recipients, in order. */
export function addressesOf(lists) {
  const out = [];
  for (const r of lists.flat()) {
    if (r.valid && !out.includes(key(r.address))) out.push(key(r.address));
  }
  return out;
}

/**
 * encryptionState says whether Encrypt may be on for addresses, given what the background found
 * (found: RecipientShown by lowercase address; a missing entry is one not looked up yet).
 * Bcc recipients make it unavailable whatever their certificates: every recipient of an encrypted
 * message can read whose certificates it is encrypted to. So does a sender's own certificate that
 * may not be encrypted to (the sent copy is encrypted to it too, or the sender could not read it).
 * @param {string[]} addresses
 * @param {Map<string, RecipientShown>} found
 * @param {boolean} [bcc]  the message has Bcc recipients
 * @param {boolean} [own]  the sender's own certificate may be encrypted to (its summary's canDecrypt)
 * @returns {{available: boolean, pending: boolean, missing: RecipientShown[], bcc: boolean, ownRefused: boolean}}
 */
export function encryptionState(addresses, found, bcc = false, own = true) {
  const pending = addresses.some((a) => !found.has(a));
  const missing = addresses.map((a) => found.get(a)).filter((r) => r && !r.usable);
  return { available: own && addresses.length > 0 && !pending && missing.length === 0 && !bcc, pending, missing, bcc, ownRefused: !own };
}

/**
 * badge is what a recipient's chip shows beside the address: the level of the certificate mail
 * will be encrypted to and the identity its CA validated ("V3 · Example Bank Ltd (GB)"), or ''.
 * @param {RecipientShown | undefined} r  @param {Function} t  view/dom.js t
 */
export function badge(r, t) {
  if (!r?.usable) return '';
  if (!r.level || r.level === 'V1' || !r.shown) return t('composeRecipientV1');
  return `${r.level} · ${r.shown}`;
}

/** reasonOf is why a recipient has no usable certificate, in the reader's language. */
export function reasonOf(r) {
  return say(r.why, r.reason);
}

/** confirmation is the last step's line on encryption: to how many, or signed only. */
export function confirmation(encrypt, recipients, t) {
  if (!encrypt) return t('composeNotEncrypted');
  return recipients === 1 ? t('composeEncryptedToOne') : t('composeEncryptedTo', String(recipients));
}

/**
 * fileNote says what an imported file holds for this message: whose certificate, or why it is
 * of no use (unreadable, or for nobody among the recipients).
 * @param {string} name  @param {{addresses: string[], why: object | null, reason: string}} f
 * @param {string[]} addresses the recipients  @param {Function} t
 */
export function fileNote(name, f, addresses, t) {
  if (f.why) return t('composeCertificateFileBad', name, say(f.why, f.reason));
  if (!f.addresses.length) return t('composeCertificateFileNoAddress', name);
  const ours = f.addresses.filter((a) => addresses.includes(key(a)));
  return ours.length ? t('composeCertificateFileFor', name, ours.join(', ')) : t('composeCertificateFileOther', name, f.addresses.join(', '));
}
