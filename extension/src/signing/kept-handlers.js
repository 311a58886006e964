// @ts-check
// The identity page's requests about identities kept to decrypt (kept.js): only the identity
// page may list, import or remove them (protocol.js).
import { unpackBytes } from '../bytes.js';
import { RequestError } from '../protocol.js';
import { importKept, keptIdentities, removeKept } from './kept.js';

function secret(v, what) {
  if (typeof v !== 'string' || v.length > 1024) throw new RequestError('bad-argument', `request: bad ${what}`);
  return v;
}

export const keptHandlers = {
  // What each kept identity is and can do; never its sealed key.
  async identityKeptList() {
    return (await keptIdentities()).map(({ summary, importedAt, why }) => ({ summary, importedAt, why }));
  },
  async identityKeptImport(args) {
    return { summary: await importKept(unpackBytes(args.p12), secret(args.password, 'password'), secret(args.passphrase, 'passphrase')) };
  },
  async identityKeptRemove(args) {
    if (typeof args.fingerprint !== 'string' || !/^[0-9a-f]{64}$/.test(args.fingerprint)) throw new RequestError('bad-argument', 'request: bad fingerprint');
    return removeKept(args.fingerprint);
  },
};
