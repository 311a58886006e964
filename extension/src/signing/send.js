// @ts-check
// Sending a signed message through the provider's API, exactly as signed.
//
//   Gmail: POST {gmailApiBase}/upload/gmail/v1/users/me/messages/send?uploadType=multipart, a
//          multipart/related body of the metadata ({threadId} keeps a reply in its thread) and
//          the message as message/rfc822.
//   Graph: POST {graphBase}/me/sendMail, the message base64-encoded as text/plain.
// How large a message each takes is message-size.js, checked before anything is sent.
// The provider's refusals become RequestErrors with a sentence a person can act on.
import { toBase64 } from '../bytes.js';
import { endpoints } from '../config.js';
import { forgetToken, gmailToken, microsoftToken } from '../oauth.js';
import { fits, largestMessage } from '../message-size.js';
import { webmailName } from '../providers/hosts.js';
import { RequestError } from '../protocol.js';

const megabytes = (n) => `${(n / 1024 / 1024).toFixed(1)} MB`;

/** checkSize throws before sending a message the provider would refuse for its size. */
export function checkSize(provider, n) {
  if (!fits(provider, n)) {
    throw new RequestError('too-large', `This message is ${megabytes(n)}; ${webmailName(provider)} accepts about ${megabytes(largestMessage(provider))} at most. Remove or shrink an attachment.`);
  }
}

async function refusal(provider, res) {
  let detail = '';
  try { detail = JSON.stringify(await res.json()).slice(0, 300); } catch { /* no body */ }
  const who = webmailName(provider);
  switch (res.status) {
    case 401:
      await forgetToken(provider);
      return new RequestError('expired', `${who} no longer accepts mailseal's sign-in (it expired or was revoked). Press Send again to sign in.`);
    case 403:
      return new RequestError('refused', `${who} refused to send: the account has not allowed mailseal to send mail, or the From address is not one of the account's addresses.`);
    case 413:
      return new RequestError('too-large', `${who} says the message is too large. Remove or shrink an attachment.`);
    case 429:
      return new RequestError('quota', `${who} is limiting how much mail this account sends right now. Wait a few minutes and press Send again.`);
    default:
      return new RequestError('refused', `${who} did not send the message (HTTP ${res.status}${detail ? `: ${detail}` : ''}).`);
  }
}

async function post(provider, url, init) {
  let res;
  try {
    res = await fetch(url, { method: 'POST', ...init });
  } catch (err) {
    throw new RequestError('network', `Could not reach ${webmailName(provider)} (${err.message}). Nothing was sent; press Send again.`);
  }
  if (!res.ok) throw await refusal(provider, res);
  return res;
}

/**
 * @param {Uint8Array} raw the signed message
 * @returns {Promise<{id?: string, threadId?: string}>}
 */
export async function sendGmail(raw, { account = '', threadId = '' } = {}) {
  checkSize('gmail', raw.length);
  const { gmailApiBase } = await endpoints();
  const token = await gmailToken({ account });
  const boundary = `mailseal-${crypto.randomUUID()}`;
  const enc = new TextEncoder();
  const body = new Blob([
    enc.encode(`--${boundary}\r\ncontent-type: application/json; charset=UTF-8\r\n\r\n${JSON.stringify(threadId ? { threadId } : {})}\r\n`),
    enc.encode(`--${boundary}\r\ncontent-type: message/rfc822\r\n\r\n`), /** @type {BlobPart} */ (raw),
    enc.encode(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await post('gmail', `${gmailApiBase}/upload/gmail/v1/users/me/messages/send?uploadType=multipart`, {
    headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/related; boundary=${boundary}` },
    body,
  });
  const out = await res.json().catch(() => ({}));
  return { id: out.id, threadId: out.threadId };
}

/**
 * senders send a signed message through each provider's API, by the provider's name: the
 * account and thread (Gmail) are what the compose window's channel says.
 * @type {Readonly<Record<string, (raw: Uint8Array, to: {account?: string, threadId?: string}) => Promise<{id?: string, threadId?: string}>>>}
 */
export const senders = Object.freeze({
  gmail: (raw, to) => sendGmail(raw, to),
  outlook: (raw) => sendGraph(raw),
});

/** sendGraph sends through Microsoft Graph, which answers 202 with no body. */
export async function sendGraph(raw) {
  checkSize('outlook', raw.length);
  const { graphBase } = await endpoints();
  const token = await microsoftToken('send', { interactive: true });
  await post('outlook', `${graphBase}/me/sendMail`, {
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
    body: toBase64(raw),
  });
  return {};
}
