// @ts-check
// Identities kept to decrypt mail: earlier signing identities (a renewal replaces the signing
// identity, and mail encrypted to the old certificate must still open) and identities imported
// to decrypt only (an encryption-only certificate, or an expired one). Each is sealed exactly as
// the signing identity is (scrypt + AES-256-GCM under a passphrase, internal/keys), never a key
// in clear:
//
//   storage.local   keptIdentities   [{sealed, summary, importedAt, why: 'renewed'|'replaced'|'imported'}]
//
// A kept identity is never offered for signing. It is opened only to decrypt, with the
// passphrase the user types in the decrypt window, one identity per call into the core, so that
// one sealed under another passphrase is passed over rather than failing the rest.
import { ext } from '../platform.js';
import { toBase64, fromBase64 } from '../bytes.js';
import { core } from '../core.js';
import { policy } from '../config.js';
import { RequestError } from '../protocol.js';
import { plain } from './identity.js';

// The core decrypts with at most 16 identities; the signing one is the sixteenth.
export const maxKept = 15;

/** @returns {Promise<{sealed: string, summary: any, importedAt: number, why: string}[]>} */
export async function keptIdentities() {
  const { keptIdentities: list } = await ext.storage.local.get('keptIdentities');
  return Array.isArray(list) ? list : [];
}

/** keep adds a sealed identity to the list (the same certificate once); the oldest go first past maxKept. */
export async function keep(entry) {
  const list = (await keptIdentities()).filter((k) => k.summary?.fingerprint !== entry.summary?.fingerprint);
  list.push(entry);
  await ext.storage.local.set({ keptIdentities: list.slice(-maxKept) });
}

/** importKept seals a PKCS #12 file to decrypt only (purpose "decrypt" in the core). */
export async function importKept(p12, password, passphrase) {
  let out;
  try {
    out = await (await core()).sealIdentity(p12, password, passphrase, { roots: (await policy()).roots, purpose: 'decrypt' });
  } catch (err) { throw plain(err); }
  if (!out.summary.canDecrypt) throw new RequestError('identity', 'This certificate may not be used for encryption, so no mail is encrypted to it.');
  await keep({ sealed: toBase64(out.sealed), summary: out.summary, importedAt: Date.now(), why: 'imported' });
  return out.summary;
}

/** removeKept forgets the kept identity with this certificate fingerprint. */
export async function removeKept(fingerprint) {
  const list = await keptIdentities();
  const left = list.filter((k) => k.summary?.fingerprint !== fingerprint);
  await ext.storage.local.set({ keptIdentities: left });
  return left.length < list.length;
}

/**
 * decryptWithKept tries each kept identity in turn with passphrase, and returns the first answer
 * that decrypted, or null. An identity sealed under another passphrase is passed over.
 */
export async function decryptWithKept(raw, passphrase, options) {
  for (const k of await keptIdentities()) {
    try {
      const out = await (await core()).decrypt([{ sealed: fromBase64(k.sealed), passphrase }], raw, options);
      if (out.report?.encryption?.decrypted) return out;
    } catch (err) {
      if (err?.code !== 'ERR_BAD_PASSPHRASE') throw plain(err);
    }
  }
  return null;
}
