// Searching text for secrets: a passphrase as typed, and a private key (PKCS #8 DER) in any of
// the encodings JavaScript would turn it into (base64, base64url, hex, or bytes inside any
// base64 string found in the text).
const base64ish = /[A-Za-z0-9+/_-]{40,}={0,2}/g;

// windows are slices of the key that no other data shares: 32 bytes from its middle and its end.
function windows(key) {
  const mid = Math.floor(key.length / 2);
  return [key.subarray(mid, mid + 32), key.subarray(key.length - 40, key.length - 8)];
}

function encodings(bytes) {
  const out = [bytes.toString('hex')];
  for (let shift = 0; shift < 3; shift++) {
    const b64 = bytes.subarray(shift).toString('base64');
    out.push(b64.slice(4, -4), b64.slice(4, -4).replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return out;
}

/**
 * @param {string} where names the place searched, for the report
 * @param {string} text
 * @param {{key: Buffer} & Record<string, string|Buffer>} needles
 * @returns {string[]} one line per secret found
 */
export function secretsIn(where, text, needles) {
  const found = [];
  for (const [name, needle] of Object.entries(needles)) {
    if (typeof needle === 'string') {
      if (text.includes(needle) || text.includes(JSON.stringify(needle).slice(1, -1))) found.push(`${where}: ${name}`);
      continue;
    }
    const slices = windows(needle);
    const hit = slices.some((w) => encodings(w).some((e) => text.includes(e)))
      || [...text.matchAll(base64ish)].some(([s]) => {
        const bytes = Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
        return slices.some((w) => bytes.includes(w));
      });
    if (hit) found.push(`${where}: ${name}`);
  }
  return found;
}

/** heapStrings returns a heap snapshot of the page's renderer: every string of every world. */
export async function heapStrings(page) {
  const cdp = await page.createCDPSession();
  const chunks = [];
  cdp.on('HeapProfiler.addHeapSnapshotChunk', (e) => chunks.push(e.chunk));
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  await cdp.detach();
  return chunks.join('');
}
