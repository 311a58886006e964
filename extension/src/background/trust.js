// Trust anchors and administrator policy.
//
// Three sources of roots reach the core, and they are not equal:
//   - the bundled Mozilla S/MIME roots, inside the core itself;
//   - roots an administrator sets through enterprise policy (storage.managed, schema in
//     managed-schema.json): passed as `roots`, trusted exactly as the bundled ones (V1–V4);
//   - roots the user imports in the options page: passed as `userRoots`, "trusted by you",
//     which the core caps at V1 and says so.
// The demo build (and only it: DEMO is a build-time constant) reads demo-policy.json from its own
// package as if it were managed storage, so the demo trusts the test fixture root the way a
// company would trust its own CA. The production build has no such file and no code to read it.
import { ext, DEMO } from '../platform.js';

const productionGraph = Object.freeze({
  graphBase: 'https://graph.microsoft.com/v1.0',
  authority: 'https://login.microsoftonline.com/common',
});

let cached = null;

async function managed() {
  try {
    return (await ext.storage.managed.get(null)) ?? {};
  } catch {
    return {}; // no policy configured (Firefox throws when there is none)
  }
}

/* global __DEMO__ */
async function demoPolicy() {
  // __DEMO__ is the build-time constant itself (not an imported copy), so that esbuild removes
  // this branch, file name included, from the production build.
  if (__DEMO__) {
    const res = await fetch(ext.runtime.getURL('demo-policy.json'));
    return res.ok ? res.json() : {};
  }
  return {};
}

/**
 * The administrator's policy.
 * @returns {Promise<{roots: string[], providers?: {gmail?: boolean, outlook?: boolean},
 *   revocation: string, hosts: Record<string,string>, graphBase: string, authority: string,
 *   outlookClientId?: string}>}
 */
export function policy() {
  cached ??= (async () => {
    const [m, d] = await Promise.all([managed(), demoPolicy()]);
    const p = { ...m, ...d };
    return {
      roots: [...asList(m.roots), ...asList(d.roots)],
      providers: p.providers,
      revocation: p.revocation, // undefined: the user's switch decides (revocation.js)
      outlookClientId: p.outlookClientId,
      // Mail the administrator expects signed: [{domain, level}] (background/memory.js).
      senderExpectations: Array.isArray(p.senderExpectations) ? p.senderExpectations : [],
      // Only the demo policy may name extra hosts and endpoints: managed storage cannot point the
      // extension at other origins than the manifest's.
      hosts: DEMO ? d.hosts ?? {} : {},
      graphBase: DEMO && d.graphBase ? d.graphBase : productionGraph.graphBase,
      authority: DEMO && d.authority ? d.authority : productionGraph.authority,
    };
  })();
  cached.catch(() => { cached = null; });
  return cached;
}

function asList(v) {
  return Array.isArray(v) ? v.filter((x) => typeof x === 'string') : [];
}

ext.storage.onChanged?.addListener((_, area) => {
  if (area === 'managed') cached = null;
});

// verifyOptions are the trust inputs for the core's verify().
export async function verifyOptions() {
  const [{ roots }, users] = await Promise.all([policy(), userRoots()]);
  return { roots, userRoots: users.map((r) => r.pem) };
}

export async function userRoots() {
  const { userRoots = [] } = await ext.storage.local.get('userRoots');
  return userRoots;
}

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
