// The background's signing requests, merged into background/handlers.js. The identity's
// requests come only from mailseal's identity page and compose window, sign-and-send only from
// the compose window: a banner frame, the popup or a content script cannot ask for them (each
// request's `from` lists its pages; background/sender.js checks them, and that a page other than
// the banner runs at the top of its own tab or window, never framed in a web page).
import { ext, extensionOrigin } from '../platform.js';
import { packBytes, unpackBytes } from '../bytes.js';
import { core } from '../background/core.js';
import { SendError } from './errors.js';
import { deleteIdentity, exportIdentity, identityStatus, importIdentity, lock, plain, previewIdentity,
  restrictSessionStorage, signingIdentityArgument, unlock } from './identity.js';
import { checkSize, sendGmail, sendGraph } from './send.js';
import { estimateSize } from './limits.js';
import { saveSigningSettings, signingSettings } from './endpoints.js';
import { closeComposeChannel, composeChannel, composeContext, forgetWindow, openComposeWindow } from './compose-window.js';

restrictSessionStorage().catch(() => {});
// A browser start leaves a session whose key storage.session no longer has: drop it.
ext.runtime.onStartup?.addListener(() => { lock(); });
// A closed compose window's channel (with the original it quoted) goes with it.
ext.windows?.onRemoved.addListener((windowId) => { forgetWindow(windowId).catch(() => {}); });

function secret(v, what) {
  if (typeof v !== 'string' || v.length > 1024) throw new Error(`request: bad ${what}`);
  return v;
}

// outcome returns a SendError as data: its kind crosses extension messaging, which a thrown
// Error's fields would not.
async function outcome(work) {
  try {
    return { ok: true, ...(await work()) };
  } catch (err) {
    const e = plain(err);
    if (e instanceof SendError) return { ok: false, kind: e.kind, message: e.message };
    throw e;
  }
}

export const signingHandlers = {
  // --- content scripts: "Write signed" in the webmail ---
  // composeOpen opens the compose window. The content script sends it only on a trusted click;
  // of what it sends only the message reference (which message to reply to) is used, and only
  // its shape: the provider comes from the tab's URL, everything else from the raw message.
  composeOpen: {
    from: ['content'],
    async run(args, caller) {
      return openComposeWindow({ tabId: caller.tabId, provider: caller.provider, tabURL: caller.url }, args.reply, args.click);
    },
  },

  // --- mailseal's own pages ---
  // composeDraft is what a compose window starts with: only the window opened for its channel
  // (or a compose page the user opened without one) gets an answer.
  composeDraft: {
    from: ['compose.html'],
    async run(args, caller) {
      const ch = args.channel ? await composeChannel(args.channel, caller.tabId) : null;
      if (args.channel && !ch) return null;
      const context = ch ? await composeContext(args.channel, ch) : { provider: '', account: '', threadId: '', prefill: {} };
      return { ...context, ...(await identityStatus()) };
    },
  },
  identityStatus: {
    from: ['identity.html', 'compose.html', 'first-run.html'],
    async run() {
      return { ...(await identityStatus()), settings: await signingSettings() };
    },
  },
  identityPreview: {
    from: ['identity.html'],
    async run(args, caller) {
      return outcome(async () => ({ summary: await previewIdentity(unpackBytes(args.p12), secret(args.password, 'password')) }));
    },
  },
  identityImport: {
    from: ['identity.html'],
    async run(args, caller) {
      return outcome(async () => ({
        summary: await importIdentity(unpackBytes(args.p12), secret(args.password, 'password'), secret(args.passphrase, 'passphrase')),
      }));
    },
  },
  identityUnlock: {
    from: ['identity.html', 'compose.html'],
    async run(args, caller) {
      return outcome(async () => ({ unlockedUntil: await unlock(secret(args.passphrase, 'passphrase')) }));
    },
  },
  identityLock: {
    from: ['identity.html', 'compose.html'],
    async run() { await lock(); return true; },
  },
  identityDelete: {
    from: ['identity.html'],
    async run(args, caller) {
      await deleteIdentity();
      return true;
    },
  },
  identityExport: {
    from: ['identity.html'],
    async run(args, caller) {
      return outcome(async () => ({
        p12: packBytes(await exportIdentity(secret(args.passphrase, 'passphrase'), secret(args.password, 'password'))),
      }));
    },
  },
  saveSigningSettings: {
    from: ['identity.html'],
    async run(args, caller) {
      return saveSigningSettings(args);
    },
  },
  // signAndSend signs the compose window's message in the core and sends it through the
  // provider's API. Nothing is sent unless the whole message was signed. A window opened from a
  // webmail tab sends through that tab's provider, account and thread, and with the threading
  // headers read from the original here (compose-window.js), whatever the page asks.
  signAndSend: {
    from: ['compose.html'],
    async run(args, caller) {
      const ch = args.channel ? await composeChannel(args.channel, caller.tabId) : null;
      if (args.channel && !ch) throw new Error('refused');
      const asked = ch ? ch.provider : args.provider;
      const provider = asked === 'outlook' ? 'outlook' : asked === 'gmail' ? 'gmail' : null;
      if (!provider) throw new Error('request: bad provider');
      const account = ch ? ch.account : String(args.account ?? '');
      const threadId = ch?.reference?.threadId ?? '';
      return outcome(async () => {
        const m = { ...(args.message ?? {}) };
        delete m.inReplyTo; delete m.references;
        if (ch?.prefill?.inReplyTo) Object.assign(m, { inReplyTo: ch.prefill.inReplyTo, references: ch.prefill.references ?? [] });
        const attachments = (m.attachments ?? []).map((a) => ({ name: String(a.name), type: String(a.type ?? ''), data: unpackBytes(a.data) }));
        const estimate = estimateSize({ text: String(m.text ?? ''), html: String(m.html ?? ''), attachments: attachments.map((a) => a.data.length) });
        checkSize(provider, estimate); // before signing, so a large draft is refused at once
        const identity = await signingIdentityArgument(); // a locked identity says so before the core loads
        const signed = await (await core()).sign(identity, { ...m, attachments });
        checkSize(provider, signed.raw.length);
        const sent = provider === 'gmail'
          ? await sendGmail(signed.raw, { account, threadId })
          : await sendGraph(signed.raw);
        await closeComposeChannel(args.channel);
        return { summary: signed.summary, sent };
      });
    },
  },
};
