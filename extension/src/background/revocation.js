// @ts-check
// Revocation: the certificate revocation lists (CRLs) of a signer's chain, fetched from the
// addresses the certificates name (report.chain[i].crl, plain HTTP as the S/MIME Baseline
// Requirements have it), so the core can verify again with them.
//
// It is off until the user turns it on in the options page or an administrator sets the
// `revocation` policy, and it needs the optional host permission for http://*/*, which the
// options page asks for. A CRL is per issuing CA, not per certificate, so fetching one tells
// the CA only that someone checked one of its many certificates (unlike OCSP).
//
// Modes: 'off'; 'soft-fail' (a list that cannot be fetched leaves the verdict as it was, with
// the core's note that revocation was not checked); 'hard-fail' (the core is asked to call an
// unchecked chain untrusted).
import { ext } from '../platform.js';
import { readCapped } from '../rawfetch.js';

export const crlOrigins = ['http://*/*'];
const maxCRLBytes = 10 << 20; // the largest public S/MIME CRLs are a few MB
const fetchTimeoutMillis = 8000;
const keepMillis = 60 * 60 * 1000; // an hour; CRLs are published every few hours to days
const maxAddresses = 4;
const maxCached = 32;

// cache: address → { bytes, fetchedAt } for this worker's life, or a failure kept briefly.
const cache = new Map();

/** revocationMode combines the administrator's policy (which wins) and the user's switch. */
export function revocationMode(policy, settings) {
  if (['off', 'soft-fail', 'hard-fail'].includes(policy?.revocation)) return policy.revocation;
  return settings?.checkRevocation ? 'soft-fail' : 'off';
}

/**
 * canFetch says whether the browser lets the extension fetch from every one of these addresses:
 * the optional permission for all HTTP hosts (crlOrigins) that the options page asks for, or
 * host permissions the build already has (the demo build's 127.0.0.1). Match patterns carry no
 * port.
 */
export async function canFetch(urls = []) {
  try {
    const origins = urls.length ? [...new Set(urls.map((u) => `http://${new URL(u).hostname}/*`))] : crlOrigins;
    return Boolean(await ext.permissions?.contains({ origins }));
  } catch {
    return false;
  }
}

/**
 * addresses lists where the lists for this report's chain are: the signer's issuer's first,
 * then the intermediates', at most four in all, each once.
 */
export function addresses(report) {
  const out = [];
  for (const cert of (report?.chain ?? []).slice(0, -1)) { // an anchor is not checked against a CRL
    for (const url of cert.crl ?? []) {
      if (typeof url === 'string' && url.startsWith('http://') && !out.includes(url)) out.push(url);
    }
  }
  return out.slice(0, maxAddresses);
}

/**
 * revocationLists fetches the CRLs for a report's chain. It never throws: what could not be
 * fetched is in `failures`, in words.
 * @returns {Promise<{crls: Uint8Array[], failures: string[]}>}
 */
export async function revocationLists(report, { fetchImpl = globalThis.fetch, now = Date.now() } = {}) {
  const crls = [];
  const failures = [];
  await Promise.all(addresses(report).map(async (url) => {
    const hit = cache.get(url);
    if (hit && now - hit.fetchedAt < (hit.bytes ? keepMillis : 60_000)) {
      if (hit.bytes) crls.push(hit.bytes);
      else failures.push(hit.failure);
      return;
    }
    try {
      const res = await fetchImpl(url, { credentials: 'omit', redirect: 'follow', signal: AbortSignal.timeout(fetchTimeoutMillis) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const bytes = await readCapped(res, maxCRLBytes, 'the list');
      remember(url, { bytes, fetchedAt: now });
      crls.push(bytes);
    } catch (err) {
      const failure = `the revocation list at ${url} could not be fetched (${err?.name === 'TimeoutError' ? 'no answer in time' : err?.message ?? err})`;
      remember(url, { failure, fetchedAt: now });
      failures.push(failure);
    }
  }));
  return { crls, failures };
}

function remember(url, entry) {
  if (cache.size >= maxCached) cache.delete(cache.keys().next().value);
  cache.set(url, entry);
}

/**
 * withRevocation verifies a valid report again with its chain's revocation lists. Only a
 * signature good in every other way is worth a trip to the CA. What could not be fetched, or
 * a missing permission, is added to the report's notes; in hard-fail mode the core is asked to
 * call an unchecked chain untrusted.
 */
export async function withRevocation({ raw, options, report, mode, verify, fetchImpl = undefined }) {
  if (mode === 'off' || report.status !== 'valid') return report;
  const note = (r, extra) => ({ ...r, notes: [...(r.notes ?? []), ...extra] });
  if (!(await canFetch(addresses(report)))) {
    return note(report, ['revocation checking is on, but the browser has not granted mailseal the permission to fetch revocation lists (options page)']);
  }
  const { crls, failures } = await revocationLists(report, { fetchImpl });
  if (crls.length === 0 && mode !== 'hard-fail') return note(report, failures);
  return note(await verify(raw, { ...options, crls, requireRevocation: mode === 'hard-fail' }), failures);
}

/** forgetLists empties the cache (tests; a policy change). */
export function forgetLists() {
  cache.clear();
}
