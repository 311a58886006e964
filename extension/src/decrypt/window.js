// @ts-check
// The decrypt window: an encrypted message is read only in an extension-owned popup window
// (pages/decrypt.html), never in the webmail page. Only a banner frame may ask for the window, and
// only for the message of its own channel (its tab's, channels.js); the window then names nothing
// but its own channel, and the background reads the raw message itself from the provider (the
// page never hands it over), unlocks the identity when the window gives the passphrase, and has
// the core decrypt it.
//
// What is kept where (SECURITY.md): the window's channel (storage.session) holds where the
// message is (provider, message id, the tab's URL), never its content. The decrypted content and
// the report of it cross once, as the answer to the window's request, and live only in that
// window's memory: never in storage, the report cache (reports.js) or a log; closing the window
// drops them (and the blob URLs it made for attachments).
import { ext } from '../platform.js';
import { packBytes } from '../bytes.js';
import { RequestError } from '../protocol.js';
import { providerNameFor } from '../providers/hosts.js';
import { originals } from '../providers/originals.js';
import { channelsWhere, closeChannels, newChannelId, writeChannel } from '../channels.js';
import { openWindow, windowChannel } from '../windows.js';
import { policy, verifyOptions } from '../config.js';
import { core } from '../core.js';
import { plain, signingIdentityArgument, unlock } from '../signing/identity.js';
import { decryptWithKept, keptIdentities } from '../signing/kept.js';

/**
 * messageOf reads a report key (reports.js: `r:<account>\n<message id>`) back into the id of the
 * message the banner shows; null for a key of another form.
 */
export function messageOf(key) {
  const m = /^r:[^\n]*\n([^\n]{1,512})$/.exec(typeof key === 'string' ? key : '');
  return m ? m[1] : null;
}

/**
 * openDecryptWindow opens the window for the message a banner channel shows. bannerChannel is
 * the record the banner frame's own channel gave (tabChannel: its tab's, or null).
 */
export async function openDecryptWindow(bannerChannel) {
  const messageId = messageOf(bannerChannel?.key);
  if (!messageId) throw new RequestError('refused', 'mailseal: decryptOpen: refused');
  const tab = await ext.tabs.get(bannerChannel.tabId).catch(() => null);
  const provider = providerNameFor(tab?.url ?? '', (await policy()).hosts);
  if (!provider) throw new RequestError('refused', 'mailseal: decryptOpen: not a webmail');
  const id = newChannelId();
  await writeChannel('decrypt', id, { sourceTab: bannerChannel.tabId, provider, messageId, tabURL: tab.url, createdAt: Date.now() });
  await openWindow('decrypt', id, 'decrypt.html', { width: 820, height: 860 });
  return { opened: true };
}

/** decryptChannel gives the window in tab tabId its channel, or null (another tab's, or none). */
export function decryptChannel(id, tabId) {
  return windowChannel('decrypt', id, tabId);
}

/** forgetDecryptWindow forgets the channel of a decrypt window the user closed. */
export async function forgetDecryptWindow(windowId) {
  await closeChannels('decrypt', await channelsWhere('decrypt', (ch) => ch?.windowId === windowId));
}

/** readRaw reads the message of a channel from its provider, as a reply reads its original. */
async function readRaw(ch) {
  const o = Object.hasOwn(originals, ch.provider) ? originals[ch.provider] : null;
  const ref = o?.byId(ch.messageId);
  if (!ref) throw new RequestError('refused', 'mailseal: decrypt: not a message of this webmail');
  return o.read(ref, ch.tabURL);
}

/**
 * decryptFor decrypts the channel's message with the user's identities: the signing identity
 * (unlocked now with passphrase when one is given, the same session signing uses), then, when
 * the message is not for it, each identity kept to decrypt (signing/kept.js), opened with the
 * passphrase. Without a passphrase and with nothing unlocked that fits, it answers 'locked'
 * before the message is read or after, so the window asks for one.
 * @returns {Promise<{report: object, parts?: object[], partsError?: string}>}
 */
export async function decryptFor(ch, passphrase) {
  const kept = await keptIdentities();
  if (passphrase) {
    try {
      await unlock(passphrase);
    } catch (err) {
      // Only identities kept to decrypt, or one of them under this passphrase: tried below.
      if (!kept.length || !['setup', 'identity'].includes(err?.code)) throw err;
    }
  }
  const identity = await signingIdentityArgument().catch((err) => { if (kept.length && passphrase) return null; throw err; });
  const raw = await readRaw(ch);
  const options = await verifyOptions();
  let out = null;
  if (identity) {
    try {
      out = await (await core()).decrypt([identity], raw, options);
    } catch (err) { throw plain(err); }
  }
  const problem = out?.report?.encryption?.problem;
  if (kept.length && (!out || problem === 'not-for-you' || problem === 'failed')) {
    if (!passphrase) throw new RequestError('locked', 'The message is not encrypted to your current identity: enter your passphrase to try the identities kept to decrypt.');
    out = (await decryptWithKept(raw, passphrase, options)) ?? out;
  }
  if (!out) throw new RequestError('identity', 'The passphrase opens none of your identities.');
  // content (the whole entity) stays here: the window shows parts.
  const { report, parts, partsError } = out;
  const shown = parts?.map((p) => ({ ...p, data: packBytes(p.data) }));
  return { report, ...(shown ? { parts: shown } : {}), ...(partsError ? { partsError } : {}) };
}
