// The background's whole surface: one object of named requests. Each lists the callers that may
// send it ('content': our content script in a webmail tab's top frame; otherwise the file name of
// one of our pages, see sender.js) and runs with the arguments and the checked caller.
import { ext } from '../platform.js';
import { unpackBytes } from '../bytes.js';
import { viewOf, unavailableReport } from '../view/verdict.js';
import { verify, core, coreStats, coreVersion } from './core.js';
import { cachedReport, channel, forgetReports, openChannel, reportKey, storeReport, tabChannels } from './cache.js';
import { addUserRoots, policy, removeUserRoot, userRoots, verifyOptions } from './trust.js';
import { loadSettings, saveSettings } from './settings.js';
import { revocationMode, withRevocation } from './revocation.js';
import { graphToken, rawMessage, receivedTime, resolveMessageId } from './graph.js';
import { RawUnavailable } from '../rawfetch.js';
import { fromAddresses } from '../providers/crosscheck.js';
import { messageSummary } from '../rawheaders.js';
import { signingHandlers } from '../signing/handlers.js';
import { firstRunHandlers } from './first-run.js';
import { forgetLayout, layoutHandlers } from './layout.js';
import { markTampered, forgetTampered } from './badge.js';
import { learnt, memoryHandlers, verifyOption } from './memory.js';

const bootedAt = Date.now();

function text(v, max = 2048) {
  if (typeof v !== 'string' || v.length === 0 || v.length > max) throw new Error('request: bad argument');
  return v;
}

// verified verifies raw and keeps the report. deliveryTime is the provider's time for the
// message (Graph's receivedDateTime), for a message without a Received field of its own.
// memory is verify's sender-memory option (memory.js), or null.
async function verified(key, raw, extra = {}, deliveryTime = null, memory = null) {
  const options = { ...(await verifyOptions()), content: true, ...(deliveryTime ? { deliveryTime } : {}) };
  const [p, s] = await Promise.all([policy(), loadSettings()]);
  const mode = revocationMode(p, s);
  const report = await verifiedWithMemory(raw, options, mode, memory);
  if (memory) learnt(memory.account, report);
  return storeReport(key, report, { ...extra, message: messageSummary(raw) });
}

// verifiedWithMemory: the memory learns only from the final verdict. With revocation on, the
// first verify only consults it; the one with the revocation lists learns, or, when there was
// none, one more verify does.
async function verifiedWithMemory(raw, options, mode, memory) {
  if (mode === 'off') return verify(raw, memory ? { ...options, memory } : options);
  const consult = memory && { ...options, memory: { ...memory, opened: false } };
  let reverified = false;
  const learning = (r, o) => { reverified = true; return verify(r, memory ? { ...o, memory } : o); };
  const report = await withRevocation({ raw, options, report: await verify(raw, consult || options), mode, verify: learning });
  if (!memory?.opened || reverified || report.status !== 'valid') return report;
  const again = await verify(raw, { ...options, memory });
  return { ...report, memoryChanged: again.memoryChanged };
}

// prepareCore starts loading the core without waiting for it, when a verify is about to
// follow: the module then compiles while the message is fetched, instead of after. After the
// background was stopped (Chrome stops an idle worker after 30 s) this is most of the wait.
function prepareCore() {
  core().catch(() => {}); // a failed load is retried, and reported, by the verify itself
}

async function answer(key, entry, caller, keep = true) {
  // A report storage.session could not keep (cache.js) travels on its channel instead.
  const id = await openChannel(key, caller.tabId, keep && !entry.unkept ? null : entry);
  return { channel: id, view: viewOf(entry.report) };
}

// banner reads what a channel may show, for a frame in the channel's own tab.
async function readChannel(args, caller) {
  const ch = await channel(args.channel);
  if (!ch || ch.tabId !== caller.tabId) return null;
  return { ch, entry: ch.entry ?? (await cachedReport(ch.key)) };
}

export const handlers = {
  // --- content scripts ---
  contentSettings: {
    from: ['content'],
    async run(args, caller) {
      forgetLayout(caller.tabId).catch(() => {}); // a new document: whatever the last one could not read
      forgetTampered(caller.tabId).catch(() => {}); // nor what it did to a banner
      const [s, p] = await Promise.all([loadSettings(), policy()]);
      const providers = { ...s.providers };
      for (const name of Object.keys(providers)) if (p.providers?.[name] === false) providers[name] = false;
      return { providers, showUnsignedChip: s.showUnsignedChip, hosts: p.hosts };
    },
  },
  // lookup answers from the session cache, so an opened message is fetched and verified once.
  lookup: {
    from: ['content'],
    async run(args, caller) {
      const key = reportKey(text(args.account), text(args.messageId));
      const entry = await cachedReport(key);
      if (entry) return answer(key, entry, caller);
      prepareCore(); // the content script fetches the message and asks for a verify next
      return null;
    },
  },
  verify: {
    from: ['content'],
    async run(args, caller) {
      const key = reportKey(text(args.account), text(args.messageId));
      const entry = (await cachedReport(key)) ??
        (await verified(key, unpackBytes(args.raw), {}, null, await verifyOption(args.account, { opened: true, incognito: caller.incognito, message: args.messageId })));
      return answer(key, entry, caller);
    },
  },
  // verifyOutlook fetches the message through Graph here, where the token lives.
  verifyOutlook: {
    from: ['content'],
    async run(args, caller) {
      const account = text(args.account);
      try {
        const id = await resolveMessageId(args.locator ?? {});
        const key = reportKey(account, id);
        let entry = await cachedReport(key);
        if (!entry) {
          prepareCore();
          const [raw, deliveryTime] = await Promise.all([rawMessage(id), receivedTime(id)]);
          entry = await verified(key, raw, { from: fromAddresses(raw) }, deliveryTime,
            await verifyOption(account, { opened: true, incognito: caller.incognito, message: id }));
        }
        // The id came from matching positions (docs/outlook.md); a verdict for a neighbouring
        // message must not be shown under this one.
        const shown = typeof args.shownSender === 'string' ? args.shownSender.toLowerCase() : null;
        if (shown && entry.from && !entry.from.includes(shown)) {
          throw new RawUnavailable('the message Microsoft Graph returned is not the one on the page');
        }
        return answer(key, entry, caller);
      } catch (err) {
        if (!(err instanceof RawUnavailable)) throw err;
        return answer(`unavailable:${account}`, { report: unavailableReport(err.message) }, caller, false);
      }
    },
  },
  // bannerTampered: the page hid or moved one of this tab's banners (content/banner-guard.js put
  // it back). The toolbar badge tells the user until the tab navigates (the browser resets a
  // tab's badge then), its title in words.
  bannerTampered: {
    from: ['content'],
    async run(args, caller) {
      const what = args.what === 'hidden' ? 'hidden' : 'moved';
      await markTampered(caller.tabId, what);
      await Promise.all([
        ext.action.setBadgeText({ tabId: caller.tabId, text: '!' }),
        ext.action.setBadgeBackgroundColor({ tabId: caller.tabId, color: '#b00020' }),
        ext.action.setTitle({ tabId: caller.tabId, title: ext.i18n.getMessage(what === 'hidden' ? 'badgeBannerHidden' : 'badgeBannerMoved') }),
      ]);
      return true;
    },
  },
  unavailable: {
    from: ['content'],
    async run(args, caller) {
      const key = reportKey(text(args.account), text(args.messageId));
      return answer(key, { report: unavailableReport(args.reason) }, caller, false);
    },
  },

  // --- extension pages ---
  bannerReport: {
    from: ['banner.html'],
    async run(args, caller) {
      const got = await readChannel(args, caller);
      if (!got?.entry) return null;
      const { mark } = await loadSettings();
      const provider = got.ch.key.includes('outlook:') ? 'outlook' : 'gmail';
      return { report: got.entry.report, view: viewOf(got.entry.report), mark, hasContent: Boolean(got.entry.content), provider, message: got.entry.message ?? null };
    },
  },
  signedContent: {
    from: ['banner.html'],
    async run(args, caller) {
      const got = await readChannel(args, caller);
      return got?.entry?.content ?? null;
    },
  },
  // resize lets a banner frame ask its content script for height (the details view opens in place).
  resize: {
    from: ['banner.html'],
    async run(args, caller) {
      const ch = await channel(args.channel);
      if (!ch || ch.tabId !== caller.tabId) return false;
      const height = Math.max(24, Math.min(2000, Math.round(Number(args.height) || 0)));
      await ext.tabs.sendMessage(ch.tabId, { event: 'resize', channel: args.channel, height, ready: Boolean(args.ready) }, { frameId: 0 });
      return true;
    },
  },
  tabStatus: {
    from: ['popup.html'],
    async run(args) {
      const ids = await tabChannels(Number(args.tabId));
      const out = [];
      for (const id of ids.slice(0, 5)) {
        const ch = await channel(id);
        const entry = ch && (ch.entry ?? (await cachedReport(ch.key)));
        if (entry) out.push({ report: entry.report, view: viewOf(entry.report) });
      }
      return out;
    },
  },
  getSettings: {
    from: ['options.html', 'popup.html', 'first-run.html'],
    async run() {
      const [s, p, roots] = await Promise.all([loadSettings(), policy(), userRoots()]);
      return {
        settings: s,
        policy: { roots: p.roots.length, providers: p.providers ?? null, revocation: p.revocation, outlookClientId: p.outlookClientId ?? '' },
        userRoots: roots.map(({ sha256, subject, addedAt }) => ({ sha256, subject, addedAt })),
      };
    },
  },
  saveSettings: {
    from: ['options.html', 'first-run.html'],
    async run(args) { return saveSettings(args); },
  },
  addUserRoots: {
    from: ['options.html'],
    async run(args) {
      const c = await core();
      const added = await addUserRoots(text(args.pem, 1 << 20), (der) => c.classify(der));
      if (added.length) await forgetReports();
      return added.length;
    },
  },
  removeUserRoot: {
    from: ['options.html'],
    async run(args) {
      await removeUserRoot(text(args.sha256, 64));
      await forgetReports();
      return true;
    },
  },
  connectOutlook: {
    from: ['options.html', 'popup.html', 'first-run.html'],
    async run() {
      await graphToken({ interactive: true });
      return true;
    },
  },
  stats: {
    from: ['options.html', 'banner.html'],
    async run() {
      return { bootedAt, ...coreStats, version: coreStats.loads ? await coreVersion() : '' };
    },
  },
};

// Signing (issue 5): the identity and sign-and-send requests, in their own folder.
Object.assign(handlers, signingHandlers);
// Issue 11: the first-run page, and a page layout the providers cannot read.
Object.assign(handlers, firstRunHandlers, layoutHandlers);
// The sender memory's requests, from the options page only (memory.js).
Object.assign(handlers, memoryHandlers);
