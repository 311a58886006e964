// How large a message each provider takes, in one place: the compose window shows the limit
// before it is reached, the background refuses a larger message before signing it, and send.js
// again before sending it.
//   Gmail: the API takes messages up to 35 MB.
//   Graph: sendMail takes about 4 MB per request, and the message goes base64-encoded: about
//          3 MB of message.
const MiB = 1024 * 1024;

/** limits are what each provider accepts on the wire, in bytes. */
export const limits = Object.freeze({ gmail: 35 * MiB, outlook: 4 * MiB });

/** wireSize is how many bytes the provider receives for a message of n bytes. */
export function wireSize(provider, n) {
  return provider === 'outlook' ? Math.ceil(n / 3) * 4 : n;
}

/** messageLimit is the largest message, in bytes, the provider takes. */
export function messageLimit(provider) {
  return provider === 'outlook' ? limits.outlook / 4 * 3 : limits.gmail;
}

/**
 * estimateSize is how large a message will be once signed, before it is: attachments in base64
 * lines, the text and HTML at most three times over (quoted-printable), and room for the header
 * fields, the signature and its certificates.
 * @param {{text?: string, html?: string, attachments?: number[]}} m attachments: their sizes
 */
export function estimateSize({ text = '', html = '', attachments = [] }) {
  return attachments.reduce((n, size) => n + Math.ceil(size / 57) * 78, 8192 + 3 * (text.length + html.length));
}
