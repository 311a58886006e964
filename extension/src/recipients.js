// @ts-check
// The certificates the compose window encrypts to: for each recipient, the one the sender memory
// kept from their last validly signed mail in the webmail account the window was opened from, or
// one the user imported from a file in the window. The core (recipientCertificates) validates
// either like a signer's, so a certificate is never trusted for where it came from. The window
// asks (`recipientCertificates`) to show each recipient's level or why they have none; sending
// encrypted (signing/handlers.js) asks again here, never taking a certificate from the page.
import { core } from './core.js';
import { unpackBytes } from './bytes.js';
import { verifyOptions } from './config.js';
import { checkAccount, ready } from './background/memory.js';
import { RequestError } from './protocol.js';

const maxAddresses = 100;
const maxFiles = 16;
const maxFileBytes = 256 << 10;

/** addressList checks the page's list of addresses: strings, at most 100. */
export function addressList(v) {
  if (!Array.isArray(v) || v.length > maxAddresses || !v.every((a) => typeof a === 'string' && a.length > 0 && a.length <= 320)) {
    throw new RequestError('bad-argument', 'request: bad addresses');
  }
  return [...new Set(v.map((a) => a.trim().toLowerCase()))];
}

/** certificateFiles unpacks the files the user imported: at most 16, 256 KB each. */
export function certificateFiles(v) {
  const files = (v ?? []).map(unpackBytes);
  if (!Array.isArray(v) || files.length > maxFiles || files.some((f) => f.length > maxFileBytes)) {
    throw new RequestError('bad-argument', 'request: bad certificate files');
  }
  return files;
}

/**
 * findRecipients is the core's answer for addresses, with the memory of account (the channel's
 * webmail account; none when it has no memory) and the imported files.
 * @param {string} account @param {string[]} addresses @param {Uint8Array[]} files
 */
export async function findRecipients(account, addresses, files) {
  let c = null;
  let memory = null;
  try {
    c = await ready(checkAccount(account));
    memory = account;
  } catch {
    c = await core(); // no memory for this window: imported files only
  }
  const { roots, userRoots } = await verifyOptions();
  return c.recipientCertificates(memory, addresses, { files, roots, userRoots });
}

/**
 * shownRecipients is findRecipients without the certificates: what the compose window shows.
 * @param {Awaited<ReturnType<typeof findRecipients>>} found
 */
export function shownRecipients(found) {
  return {
    recipients: found.recipients.map(({ address, usable, source, level, shown, why, reason }) => ({ address, usable, source, level: level ?? '', shown: shown ?? '', why: why ?? null, reason: reason ?? '' })),
    files: found.files.map(({ addresses, why, reason }) => ({ addresses, why: why ?? null, reason: reason ?? '' })),
  };
}

/**
 * encryptionRecipients are the certificates to encrypt to, one per address, or a RequestError
 * naming each recipient without a usable one.
 */
export async function encryptionRecipients(account, addresses, files) {
  const found = await findRecipients(account, addresses, files);
  const missing = found.recipients.filter((r) => !r.usable);
  if (missing.length || found.recipients.length === 0) {
    throw new RequestError('refused', `Not sent: no usable certificate to encrypt to ${missing.map((r) => `${r.address} (${r.reason})`).join('; ') || 'anyone'}.`);
  }
  // gcm: what the recipient's signed mail announced; the core uses AES-256-GCM only when every
  // recipient's did, AES-256-CBC otherwise.
  return found.recipients.map((r) => ({ certificate: /** @type {Uint8Array} */ (r.certificate), chain: r.chain ?? [], gcm: r.gcm === true }));
}
