// Compose channels: a content script that opens the compose frame from the webmail leaves the
// prefill (what the webmail's compose window held) here, under a random id, for the frame in
// the same tab to read. Kept in storage.session, which content scripts cannot read.
import { ext } from '../platform.js';

const prefix = 'compose:';
const maxText = 512 * 1024;

function field(v, max = 4096) {
  return typeof v === 'string' ? v.slice(0, max) : '';
}

/** prefillOf is what the compose frame starts with; the webmail's fields are only suggestions. */
export function prefillOf(ch) {
  const p = ch?.prefill ?? {};
  return {
    provider: ch?.provider ?? '',
    account: ch?.account ?? '',
    threadId: ch?.threadId ?? '',
    prefill: {
      from: field(p.from), to: field(p.to), cc: field(p.cc), bcc: field(p.bcc), subject: field(p.subject, 1024),
      text: field(p.text, maxText), quoted: field(p.quoted, maxText), inReplyTo: field(p.inReplyTo, 1024),
      references: Array.isArray(p.references) ? p.references.slice(0, 100).map((r) => field(r, 1024)) : [],
    },
  };
}

export async function openComposeChannel(tabId, args) {
  const id = crypto.randomUUID();
  const provider = args.provider === 'outlook' ? 'outlook' : 'gmail';
  await ext.storage.session.set({
    [prefix + id]: { tabId, provider, account: field(args.account, 320), threadId: field(args.threadId, 128), prefill: prefillOf({ prefill: args.prefill }).prefill, createdAt: Date.now() },
  });
  return { channel: id };
}

export async function composeChannel(id) {
  if (typeof id !== 'string' || !/^[0-9a-f-]{36}$/.test(id)) return null;
  const { [prefix + id]: ch } = await ext.storage.session.get(prefix + id);
  return ch ?? null;
}

/** closeComposeChannel forgets a channel once its message is sent. */
export async function closeComposeChannel(id) {
  if (typeof id === 'string') await ext.storage.session.remove(prefix + id);
}
