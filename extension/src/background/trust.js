// @ts-check
// Trust anchors. Three sources of roots reach the core, and they are not equal:
//   - the bundled Mozilla S/MIME roots, inside the core itself;
//   - roots an administrator sets through enterprise policy (config.js policy(), schema in
//     managed-schema.json): passed as `roots`, trusted exactly as the bundled ones (V1–V4);
//   - roots the user imports in the options page: passed as `userRoots`, "trusted by you",
//     which the core caps at V1 and says so.
import { ext } from '../platform.js';
import { userRoots } from '../config.js';

const pemBlock = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

// addUserRoots stores each certificate of a PEM text as a root "trusted by you".
// The certificate is parsed by the core (classify) so that garbage is refused here, not at verify time.
export async function addUserRoots(pemText, describe) {
  const blocks = String(pemText).match(pemBlock) ?? [];
  if (blocks.length === 0) throw new Error('trust: no PEM certificate found');
  const list = await userRoots();
  const added = [];
  for (const pem of blocks) {
    const der = derOf(pem);
    const sha256 = hex(new Uint8Array(await crypto.subtle.digest('SHA-256', der)));
    if (list.some((r) => r.sha256 === sha256)) continue;
    const info = await describe(der); // throws on a certificate the core cannot read
    const entry = { pem, sha256, subject: info.subject ?? '', addedAt: Date.now() };
    list.push(entry);
    added.push(entry);
  }
  await ext.storage.local.set({ userRoots: list });
  return added;
}

export async function removeUserRoot(sha256) {
  const list = (await userRoots()).filter((r) => r.sha256 !== sha256);
  await ext.storage.local.set({ userRoots: list });
}

function derOf(pem) {
  const body = pem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s+/g, '');
  const s = atob(body);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

function hex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
