// @ts-check
// The background's signing requests (handlers.js puts them beside the background's). The identity's
// requests come only from mailseal's identity page and compose window, sign-and-send only from
// the compose window: a banner frame, the popup or a content script cannot ask for them (protocol.js
// lists each request's pages; background/sender.js checks them, and that a page other than
// the banner runs at the top of its own tab or window, never framed in a web page).
import { ext, extensionOrigin } from '../platform.js';
import { packBytes, unpackBytes } from '../bytes.js';
import { core } from '../core.js';
import { RequestError } from '../protocol.js';
import { deleteIdentity, exportIdentity, identityStatus, importIdentity, lock, plain, previewIdentity,
  restrictSessionStorage, signingIdentityArgument, unlock } from './identity.js';
import { checkSize, senders } from './send.js';
import { saveSigningSettings, signingSettings, verifyOptions } from '../config.js';
import { estimateEncrypted, estimateSigned } from '../message-size.js';
import { addressList, certificateFiles, encryptionRecipients, findRecipients, shownRecipients } from '../recipients.js';
import { closeComposeChannel, composeChannel, composeContext, forgetWindow, openComposeWindow } from './compose-window.js';

restrictSessionStorage().catch(() => {});
// A browser start leaves a session whose key storage.session no longer has: drop it.
ext.runtime.onStartup?.addListener(() => { lock(); });
// A closed compose window's channel (with the original it quoted) goes with it.
ext.windows?.onRemoved.addListener((windowId) => { forgetWindow(windowId).catch(() => {}); });

function secret(v, what) {
  if (typeof v !== 'string' || v.length > 1024) throw new RequestError('bad-argument', `request: bad ${what}`);
  return v;
}

export const signingHandlers = {
  // --- content scripts: "Write signed" in the webmail ---
  // composeOpen opens the compose window. The content script sends it only on a trusted click;
  // of what it sends only the message reference (which message to reply to) is used, and only
  // its shape: the provider comes from the tab's URL, everything else from the raw message.
  async composeOpen(args, caller) {
    return openComposeWindow({ tabId: caller.tabId, provider: caller.provider, tabURL: caller.url }, args.reply, args.click);
  },

  // --- mailseal's own pages ---
  // composeDraft is what a compose window starts with: only the window opened for its channel
  // (or a compose page the user opened without one) gets an answer.
  async composeDraft(args, caller) {
    const ch = args.channel ? await composeChannel(args.channel, caller.tabId) : null;
    if (args.channel && !ch) return null;
    const context = ch ? await composeContext(args.channel, ch) : { provider: '', account: '', threadId: '', prefill: {} };
    return { ...context, ...(await identityStatus()) };
  },
  async identityStatus() {
    return { ...(await identityStatus()), settings: await signingSettings() };
  },
  async identityPreview(args, caller) {
    return { summary: await previewIdentity(unpackBytes(args.p12), secret(args.password, 'password')) };
  },
  async identityImport(args, caller) {
    return { summary: await importIdentity(unpackBytes(args.p12), secret(args.password, 'password'), secret(args.passphrase, 'passphrase')) };
  },
  async identityUnlock(args, caller) {
    return { unlockedUntil: await unlock(secret(args.passphrase, 'passphrase')) };
  },
  async identityLock() { await lock(); return true; },
  async identityDelete(args, caller) {
    await deleteIdentity();
    return true;
  },
  async identityExport(args, caller) {
    return { p12: packBytes(await exportIdentity(secret(args.passphrase, 'passphrase'), secret(args.password, 'password'))) };
  },
  async saveSigningSettings(args, caller) {
    return saveSigningSettings(args);
  },
  // recipientCertificates is, for each recipient of the compose window, whether it has a usable
  // certificate to encrypt to (from the memory of the window's webmail account, or a file the
  // user imported there), its level, or why not. The certificates themselves stay here.
  async recipientCertificates(args, caller) {
    const ch = args.channel ? await composeChannel(args.channel, caller.tabId) : null;
    if (args.channel && !ch) throw new RequestError('refused', 'mailseal: recipientCertificates: refused');
    return shownRecipients(await findRecipients(ch?.cacheAccount ?? '', addressList(args.addresses), certificateFiles(args.files)));
  },
  // signAndSend signs the compose window's message in the core and sends it through the
  // provider's API. Nothing is sent unless the whole message was signed. A window opened from a
  // webmail tab sends through that tab's provider, account and thread, and with the threading
  // headers read from the original here (compose-window.js), whatever the page asks.
  async signAndSend(args, caller) {
    const ch = args.channel ? await composeChannel(args.channel, caller.tabId) : null;
    if (args.channel && !ch) throw new RequestError('refused', 'mailseal: signAndSend: refused');
    const asked = ch ? ch.provider : args.provider;
    const provider = typeof asked === 'string' && Object.hasOwn(senders, asked) ? asked : null;
    if (!provider) throw new RequestError('bad-argument', 'request: bad provider');
    const account = ch ? ch.account : String(args.account ?? '');
    const threadId = ch?.reference?.threadId ?? '';
    const m = { ...(args.message ?? {}) };
    delete m.inReplyTo; delete m.references;
    if (ch?.prefill?.inReplyTo) Object.assign(m, { inReplyTo: ch.prefill.inReplyTo, references: ch.prefill.references ?? [] });
    const attachments = (m.attachments ?? []).map((a) => ({ name: String(a.name), type: String(a.type ?? ''), data: unpackBytes(a.data) }));
    // before signing: a large draft is refused at once
    checkSize(provider, estimateSigned({ text: String(m.text ?? ''), html: String(m.html ?? ''), attachments: attachments.map((a) => a.data.length) }));
    // Encrypted: to the certificates found here for the addresses the window names (the core
    // refuses a message with an addressee none of them covers), never ones the page hands in.
    const encrypt = args.encrypt === true;
    // Every recipient of an encrypted message can read whose certificates it is encrypted to:
    // with Bcc, To and Cc would learn who was in Bcc. The window does not offer it; refuse here.
    if (encrypt && String(m.bcc ?? '').trim()) throw new RequestError('refused', 'Not sent: an encrypted message cannot have Bcc recipients, since every recipient could see who they are. Remove Bcc or turn Encrypt off.');
    const recipients = encrypt ? await encryptionRecipients(ch?.cacheAccount ?? '', addressList(args.recipients), certificateFiles(args.files)) : [];
    if (encrypt) checkSize(provider, estimateEncrypted(estimateSigned({ text: String(m.text ?? ''), html: String(m.html ?? ''), attachments: attachments.map((a) => a.data.length) }), recipients.length));
    const identity = await signingIdentityArgument(); // a locked identity says so before the core loads
    const c = await core();
    const signed = await (encrypt
      ? c.encrypt(identity, { ...m, attachments }, recipients, await trustOptions())
      : c.sign(identity, { ...m, attachments })).catch((err) => { throw plain(encryptionError(err)); });
    checkSize(provider, signed.raw.length);
    const sent = await senders[provider](signed.raw, { account, threadId });
    await closeComposeChannel(args.channel);
    return { summary: signed.summary, sent, encrypted: encrypt ? recipients.length : 0 };
  },
};

async function trustOptions() {
  const { roots, userRoots } = await verifyOptions();
  return { roots, userRoots };
}

// The core's refusals of encrypt, as the compose window says them (its own checks come first,
// so these are rare: a certificate that expired since, the sender's own certificate).
function encryptionError(err) {
  switch (err?.code) {
    case 'ERR_SENDER_CANNOT_DECRYPT':
      return new RequestError('identity', 'Your own certificate may not be used for encryption, so the sent copy could not be read: send signed only.');
    case 'ERR_RECIPIENT':
    case 'ERR_NO_CERTIFICATE':
      return new RequestError('refused', `Not sent: ${err.message}.`);
    default:
      return err;
  }
}
