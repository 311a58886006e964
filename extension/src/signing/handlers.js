// The background's signing requests, merged into background/handlers.js. The identity's
// requests come only from mailseal's identity and compose pages, sign-and-send only from the
// compose page: a banner frame, the popup or a content script cannot ask for them (the caller's
// kind is checked by background/main.js, the page here).
import { ext, extensionOrigin } from '../platform.js';
import { packBytes, unpackBytes } from '../bytes.js';
import { core } from '../background/core.js';
import { SendError } from './errors.js';
import { deleteIdentity, exportIdentity, identityStatus, importIdentity, lock, plain, previewIdentity,
  restrictSessionStorage, signingIdentityArgument, unlock } from './identity.js';
import { checkSize, sendGmail, sendGraph } from './send.js';
import { saveSigningSettings, signingSettings } from './endpoints.js';
import { closeComposeChannel, composeChannel, openComposeChannel, prefillOf } from './compose-channel.js';

restrictSessionStorage().catch(() => {});
// A browser start leaves a session whose key storage.session no longer has: drop it.
ext.runtime.onStartup?.addListener(() => { lock(); });

function fromPage(caller, ...pages) {
  if (!pages.some((p) => caller.url.split(/[?#]/)[0] === `${extensionOrigin}/pages/${p}`)) {
    throw new Error('refused');
  }
}

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

const identityPages = ['identity.html', 'compose.html'];

export const signingHandlers = {
  // --- content scripts: "Write signed" in the webmail ---
  composeOpen: {
    from: ['content'],
    async run(args, caller) {
      return openComposeChannel(caller.tabId, args);
    },
  },

  // --- mailseal's own pages ---
  composeDraft: {
    from: ['page'],
    async run(args, caller) {
      fromPage(caller, 'compose.html');
      const ch = args.channel ? await composeChannel(args.channel) : null;
      if (args.channel && (!ch || ch.tabId !== caller.tabId)) return null;
      return { ...prefillOf(ch), ...(await identityStatus()) };
    },
  },
  identityStatus: {
    from: ['page'],
    async run() {
      return { ...(await identityStatus()), settings: await signingSettings() };
    },
  },
  identityPreview: {
    from: ['page'],
    async run(args, caller) {
      fromPage(caller, 'identity.html');
      return outcome(async () => ({ summary: await previewIdentity(unpackBytes(args.p12), secret(args.password, 'password')) }));
    },
  },
  identityImport: {
    from: ['page'],
    async run(args, caller) {
      fromPage(caller, 'identity.html');
      return outcome(async () => ({
        summary: await importIdentity(unpackBytes(args.p12), secret(args.password, 'password'), secret(args.passphrase, 'passphrase')),
      }));
    },
  },
  identityUnlock: {
    from: ['page'],
    async run(args, caller) {
      fromPage(caller, ...identityPages);
      return outcome(async () => ({ unlockedUntil: await unlock(secret(args.passphrase, 'passphrase')) }));
    },
  },
  identityLock: {
    from: ['page'],
    async run() { await lock(); return true; },
  },
  identityDelete: {
    from: ['page'],
    async run(args, caller) {
      fromPage(caller, 'identity.html');
      await deleteIdentity();
      return true;
    },
  },
  identityExport: {
    from: ['page'],
    async run(args, caller) {
      fromPage(caller, 'identity.html');
      return outcome(async () => ({
        p12: packBytes(await exportIdentity(secret(args.passphrase, 'passphrase'), secret(args.password, 'password'))),
      }));
    },
  },
  saveSigningSettings: {
    from: ['page'],
    async run(args, caller) {
      fromPage(caller, 'identity.html');
      return saveSigningSettings(args);
    },
  },
  // signAndSend signs the compose frame's message in the core and sends it through the
  // provider's API. Nothing is sent unless the whole message was signed.
  signAndSend: {
    from: ['page'],
    async run(args, caller) {
      fromPage(caller, 'compose.html');
      const provider = args.provider === 'outlook' ? 'outlook' : args.provider === 'gmail' ? 'gmail' : null;
      if (!provider) throw new Error('request: bad provider');
      return outcome(async () => {
        const m = args.message ?? {};
        const attachments = (m.attachments ?? []).map((a) => ({ name: String(a.name), type: String(a.type ?? ''), data: unpackBytes(a.data) }));
        const estimate = attachments.reduce((n, a) => n + Math.ceil(a.data.length / 57) * 78, 8192 + 3 * String(m.text ?? '').length);
        checkSize(provider, estimate); // before signing, so a large draft is refused at once
        const identity = await signingIdentityArgument(); // a locked identity says so before the core loads
        const signed = await (await core()).sign(identity, { ...m, attachments });
        checkSize(provider, signed.raw.length);
        const sent = provider === 'gmail'
          ? await sendGmail(signed.raw, { account: String(args.account ?? ''), threadId: String(args.threadId ?? '') })
          : await sendGraph(signed.raw);
        await closeComposeChannel(args.channel);
        return { summary: signed.summary, sent };
      });
    },
  },
};
