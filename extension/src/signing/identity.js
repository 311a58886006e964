// @ts-check
// The user's signing identity, as the background keeps it. The private key exists in clear only
// inside the core (WebAssembly) during a call; JavaScript holds it only encrypted:
//
//   storage.local   signingIdentity  the sealed identity (scrypt + AES-256-GCM under the user's
//                                    passphrase, internal/keys) and its summary
//                   signingSession   while unlocked: the key wrapped again under a random session
//                                    key, with the lock time bound in (wasm/identity.go)
//   storage.session signingSessionKey  while unlocked: that session key and the lock time
//
// storage.session is memory only, set here to trusted contexts (never content scripts), and is
// gone when the browser closes; so neither store alone holds anything that signs, the unlocked
// state survives a worker restart until the lock time, and nothing on disk can be opened after
// the browser closes or the lock time passes (the core refuses a session past it). The
// passphrase is used for one call and never stored. docs/signing.md describes the model.
import { ext } from '../platform.js';
import { fromBase64, toBase64 } from '../bytes.js';
import { core } from '../core.js';
import { policy, signingSettings } from '../config.js';
import { RequestError } from '../protocol.js';
import { keep } from './kept.js';

// Chrome's default is already trusted contexts only; say it, so a later change elsewhere cannot
// widen it unnoticed. (Firefox never exposes storage.session to content scripts.)
export async function restrictSessionStorage() {
  await ext.storage.session.setAccessLevel?.({ accessLevel: 'TRUSTED_CONTEXTS' });
}

// Codes of the core that are the user's to fix, with what to tell them.
const sentences = {
  ERR_BAD_PASSWORD: 'The password of the certificate file is wrong.',
  ERR_NOT_PKCS12: 'This is not a certificate file mailseal can read (.p12 or .pfx).',
  ERR_UNSUPPORTED: 'This certificate file uses an encryption mailseal cannot read; export it again with AES-256.',
  ERR_NO_KEY: 'This file holds certificates only, no private key; export it again with the private key.',
  ERR_EMPTY_PASSPHRASE: 'Choose a passphrase to protect the key in this browser.',
  ERR_BAD_PASSPHRASE: 'The passphrase is wrong.',
  ERR_DAMAGED: 'The stored identity is damaged; delete it and import the certificate file again.',
  ERR_NOT_EXPORTABLE: 'This key cannot be exported.',
  ERR_LOCKED: 'The identity is locked. Enter your passphrase to unlock it.',
  ERR_FROM_MISMATCH: 'The From address is not an address of your certificate; recipients would see a signature by someone else.',
};

/** plain turns a rejection of the core into a RequestError with a sentence for the user. */
export function plain(err) {
  if (err instanceof RequestError) return err;
  if (err?.code === 'ERR_REFUSED') return new RequestError('identity', err.message);
  if (err?.code === 'ERR_LOCKED') return new RequestError('locked', sentences.ERR_LOCKED);
  if (err?.code === 'ERR_WEAK_PASSPHRASE') { // the core's sentence says how to choose a better one
    return new RequestError('identity', err.message.charAt(0).toUpperCase() + err.message.slice(1) + '.');
  }
  if (sentences[err?.code]) return new RequestError('identity', sentences[err.code]);
  return err;
}

async function summaryOptions() {
  return { roots: (await policy()).roots };
}

/** @returns {Promise<null | {sealed: string, summary: object, importedAt: number}>} */
export async function storedIdentity() {
  const { signingIdentity } = await ext.storage.local.get('signingIdentity');
  return signingIdentity ?? null;
}

async function sealed() {
  const stored = await storedIdentity();
  if (!stored) throw new RequestError('setup', 'No signing identity yet: import your certificate in the mailseal options.');
  return fromBase64(stored.sealed);
}

/** preview says what a PKCS #12 file holds without keeping anything. */
export async function previewIdentity(p12, password) {
  try {
    return await (await core()).importIdentity(p12, password, await summaryOptions());
  } catch (err) { throw plain(err); }
}

/** importIdentity seals the identity under passphrase and replaces any stored one (locked), which is kept to decrypt. */
export async function importIdentity(p12, password, passphrase) {
  let out;
  try {
    out = await (await core()).sealIdentity(p12, password, passphrase, await summaryOptions());
  } catch (err) { throw plain(err); }
  await lock();
  // The identity it replaces is kept to decrypt mail encrypted to it (kept.js), unless its
  // certificate may not be encrypted to: as renewed when the new one names the same addresses,
  // else as replaced by another identity.
  const before = await storedIdentity();
  if (before && before.summary?.fingerprint !== out.summary.fingerprint && before.summary?.canDecrypt !== false) {
    const same = sameAddresses(before.summary?.addresses, out.summary.addresses);
    await keep({ ...before, why: same ? 'renewed' : 'replaced' });
  }
  await ext.storage.local.set({ signingIdentity: { sealed: toBase64(out.sealed), summary: out.summary, importedAt: Date.now() } });
  return out.summary;
}

function sameAddresses(a = [], b = []) {
  const norm = (l) => [...new Set(l.map((x) => String(x).toLowerCase()))].sort().join('\n');
  return norm(a) === norm(b);
}

export async function deleteIdentity() {
  await lock();
  await ext.storage.local.remove('signingIdentity');
}

/** exportIdentity asks for the passphrase again: an unlocked identity does not give away its key. */
export async function exportIdentity(passphrase, password) {
  try {
    return await (await core()).exportIdentity(await sealed(), passphrase, password);
  } catch (err) { throw plain(err); }
}

export async function unlock(passphrase) {
  const { autoLockMinutes } = await signingSettings();
  const lockAt = new Date(Date.now() + autoLockMinutes * 60_000);
  let out;
  try {
    out = await (await core()).unlockIdentity(await sealed(), passphrase, { lockAt });
  } catch (err) { throw plain(err); }
  if (out.resealed) {
    // Sealed at an older, lower scrypt cost: keep the copy the core sealed again at today's.
    const stored = await storedIdentity();
    await ext.storage.local.set({ signingIdentity: { ...stored, sealed: toBase64(out.resealed) } });
  }
  await ext.storage.local.set({ signingSession: toBase64(out.session) });
  await ext.storage.session.set({ signingSessionKey: { key: toBase64(out.sessionKey), lockAt: lockAt.getTime() } });
  return lockAt.getTime();
}

export async function lock() {
  await ext.storage.session.remove('signingSessionKey');
  await ext.storage.local.remove('signingSession');
}

/** unlockedUntil is the lock time in ms, or 0 when locked (an expired session is cleared). */
export async function unlockedUntil() {
  const [{ signingSessionKey: k }, { signingSession: s }] = await Promise.all([
    ext.storage.session.get('signingSessionKey'), ext.storage.local.get('signingSession')]);
  if (k && s && k.lockAt > Date.now()) return k.lockAt;
  if (k || s) await lock();
  return 0;
}

/** signingIdentityArgument is what the core's sign() takes, or a 'locked' RequestError. */
export async function signingIdentityArgument() {
  if (!(await unlockedUntil())) throw new RequestError('locked', sentences.ERR_LOCKED);
  const [{ signingSessionKey: k }, { signingSession: s }] = await Promise.all([
    ext.storage.session.get('signingSessionKey'), ext.storage.local.get('signingSession')]);
  return { session: fromBase64(s), sessionKey: fromBase64(k.key) };
}

/** identityStatus is what the options page and the compose frame show. */
export async function identityStatus() {
  const stored = await storedIdentity();
  if (!stored) return { identity: null, unlockedUntil: 0 };
  return { identity: { summary: stored.summary, importedAt: stored.importedAt }, unlockedUntil: await unlockedUntil() };
}
