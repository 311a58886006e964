// @ts-check
// How large a message each provider takes, and how large a draft will be once signed: one
// answer for the compose window (which warns while the user writes) and the background (which
// refuses before signing and again before sending).
//
//   Gmail  the Gmail API's media upload takes 35 MB of message.
//   Graph  /me/sendMail takes about 4 MB per request, and the message travels base64-encoded
//          in it: about 3 MB of message.

/** @typedef {'gmail'|'outlook'} SendProvider */

// Per provider: the largest request, and whether the message travels in it as base64.
const sendLimits = Object.freeze({
  gmail: { requestBytes: 35 * 1024 * 1024, base64: false },
  outlook: { requestBytes: 4 * 1024 * 1024, base64: true },
});

/** wireSize is how many bytes the provider receives for a message of n bytes. */
export function wireSize(/** @type {SendProvider} */ provider, n) {
  return sendLimits[provider].base64 ? Math.ceil(n / 3) * 4 : n;
}

/** largestMessage is the size of the largest message provider takes, in bytes. */
export function largestMessage(/** @type {SendProvider} */ provider) {
  const { requestBytes, base64 } = sendLimits[provider];
  return base64 ? requestBytes / 4 * 3 : requestBytes;
}

/** fits says whether provider takes a message of n bytes. */
export function fits(/** @type {SendProvider} */ provider, n) {
  return wireSize(provider, n) <= sendLimits[provider].requestBytes;
}

/**
 * estimateSigned is how large a message will be once signed, before it is: attachments grow by
 * base64 (78 bytes a line for 57), the text and the HTML part at most threefold
 * (quoted-printable of non-ASCII), and headers, boundaries and the signature take about 8 KB.
 * @param {{text?: string, html?: string, attachments?: number[]}} m  attachments: their sizes in bytes
 */
export function estimateSigned({ text = '', html = '', attachments = [] }) {
  return attachments.reduce((n, size) => n + Math.ceil(size / 57) * 78, 8192 + 3 * (text.length + html.length));
}

/**
 * estimateEncrypted is how large a message of `signed` bytes (estimateSigned) will be once
 * encrypted to `recipients` certificates and the sender's: the whole signed message becomes the
 * content of a CMS EnvelopedData (AES-CBC pads it by at most 16 bytes), which adds a
 * RecipientInfo of at most 1 KB per certificate (an RSA-4096 key transport with its issuer's
 * name) and about 1 KB of its own, and travels base64-encoded in 76-character lines (78 bytes for
 * 57). test/wasm/encrypted-size.test.mjs measures the core's output against it.
 * @param {number} signed @param {number} recipients
 */
export function estimateEncrypted(signed, recipients) {
  return Math.ceil((signed + 1024 * (recipients + 1) + 1024) / 57) * 78 + 1024;
}
