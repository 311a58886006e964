// The JavaScript peer of the benchmark: PKI.js on Node's WebCrypto verifying a
// multipart/signed message as a JavaScript extension would, signature and chain
// (checkChain) at the given time. It checks less than mailseal does (no key usage or
// policy rules, no sender binding, no level); the figure is a floor for the JavaScript
// way, not a like-for-like verdict. A dev dependency of the benchmark only.
import * as pkijs from "pkijs";

pkijs.setEngine("node-webcrypto", new pkijs.CryptoEngine({ name: "node-webcrypto", crypto: globalThis.crypto }));

/** Parses PEM CERTIFICATE blocks into PKI.js certificates. */
export function certificates(pem) {
  return [...pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map((m) =>
    pkijs.Certificate.fromBER(Buffer.from(m[1].replace(/\s+/g, ""), "base64")));
}

/**
 * Verifies raw (a Buffer holding a multipart/signed message with CRLF line ends) against
 * the trusted certificates at time now; resolves to true or throws.
 */
export async function verifyPKIjs(raw, trusted, now) {
  const { signed, signature } = splitSigned(raw);
  const info = pkijs.ContentInfo.fromBER(signature);
  const sd = new pkijs.SignedData({ schema: info.content });
  const data = signed.buffer.slice(signed.byteOffset, signed.byteOffset + signed.byteLength);
  const ok = await sd.verify({ signer: 0, data, trustedCerts: trusted, checkChain: true, checkDate: now });
  if (!ok) throw new Error("PKI.js: signature does not verify");
  return true;
}

// splitSigned finds the two parts of the top-level multipart/signed: the first part's raw
// bytes (what the signature covers) and the decoded signature. Enough MIME for the
// benchmark's messages, which are all canonical CRLF.
function splitSigned(raw) {
  const headerEnd = raw.indexOf("\r\n\r\n");
  const header = raw.subarray(0, headerEnd).toString("latin1").replace(/\r\n[ \t]/g, " ");
  const boundary = header.match(/boundary="?([^";\r\n]+)"?/i)[1];
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const first = raw.indexOf(`--${boundary}\r\n`, headerEnd) + boundary.length + 4;
  const firstEnd = raw.indexOf(delimiter, first);
  const second = firstEnd + delimiter.length + 2;
  const secondEnd = raw.indexOf(delimiter, second);
  const part = raw.subarray(second, secondEnd);
  const body = part.subarray(part.indexOf("\r\n\r\n") + 4).toString("latin1");
  return { signed: raw.subarray(first, firstEnd), signature: Buffer.from(body.replace(/\s+/g, ""), "base64") };
}
