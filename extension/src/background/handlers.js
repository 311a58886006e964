// @ts-check
// The background's requests about reading mail, settings and trust: one object of named async
// methods, each run with the request's arguments and the checked caller. Who may send which is
// protocol.js; worker.js puts these together with the signing requests (signing/handlers.js).
import { ext } from '../platform.js';
import { unpackBytes } from '../bytes.js';
import { viewOf, unavailableReport } from '../view/verdict.js';
import { verify, core, coreStats, coreVersion, prepareReading, readingStats, acrossClose } from '../core.js';
import { bindWait, channel, openChannel, tabChannel, tabChannels, waitedChannel } from './banner-channels.js';
import { cacheGeneration, cachedMessages, cachedReport, forgetReports, reportKey, signedText, storeReport } from '../reports.js';
import { addUserRoots, removeUserRoot } from './trust.js';
import { loadSettings, policy, saveSettings, userRoots, verifyOptions } from '../config.js';
import { RequestError } from '../protocol.js';
import { revocationMode, withRevocation } from './revocation.js';
import { rawMessage, receivedTime, resolveMessageId } from '../providers/graph.js';
import { microsoftToken } from '../oauth.js';
import { unavailable } from '../rawfetch.js';
import { addressesIn } from '../providers/address.js';
import { forgetLayout } from './layout.js';
import { markTampered, forgetTampered } from './badge.js';
import { learnt, memoryHandlers, verifyOption } from './memory.js';

const bootedAt = Date.now();
// The popup names at most this many open messages (a long conversation shows many banners).
const maxPopupMessages = 20;

function text(v, max = 2048) {
  if (typeof v !== 'string' || v.length === 0 || v.length > max) throw new RequestError('bad-argument', 'request: bad argument');
  return v;
}

// verified verifies raw and keeps the report, with the message's text (the core reads the
// header and the text, once). deliveryTime is the provider's time for the message (Graph's
// receivedDateTime), for a message without a Received field of its own. memory is verify's
// sender-memory option (memory.js), or null.
async function verified(key, raw, deliveryTime = null, memory = null) {
  const since = cacheGeneration(); // trust that changes during the verify: shown, not kept
  const options = { ...(await verifyOptions()), text: true, ...(deliveryTime ? { deliveryTime } : {}) };
  const [p, s] = await Promise.all([policy(), loadSettings()]);
  const mode = revocationMode(p, s);
  const report = await verifiedWithMemory(raw, options, mode, memory);
  if (memory) learnt(memory.account, report);
  return storeReport(key, report, {}, since);
}

/**
 * sentBy says whether address is in the From field of the message a report is about: a From
 * address, or one its display name shows (what OWA may show above the body). A message whose
 * header the core could not read at all is malformed: its verdict names no sender, so there is
 * nothing to hold it against, and it is shown.
 */
export function sentBy(report, address) {
  if (!report.header) return report.status !== 'valid';
  return (report.header.from ?? []).some((m) => String(m.address).toLowerCase() === address || addressesIn(m.displayName).includes(address));
}

const mailbox = (m) => (m.displayName ? `${m.displayName} <${m.address}>` : m.address);

// messageSummary names a message as its banner's details show it (which message this banner
// belongs to): its From, subject and date, as the core read them from its header.
export function messageSummary(report) {
  const h = report?.header;
  return h ? { from: (h.from ?? []).map(mailbox).join(', '), subject: h.subject ?? '', date: h.date ?? '' } : null;
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
  prepareReading();
}

// answer opens a banner channel for entry and, given the wait id of a banner frame loaded before
// its verdict (content/banner-host.js), binds the frame to it at once (bound: true), so that the
// frame, which asked already, draws it without another request from its content script. A wait
// bound earlier (the content script showed "not checked" meanwhile) stays as it was (bound: false).
async function answer(key, entry, caller, keep = true, wait = undefined) {
  // A report storage.session could not keep (reports.js) travels on its channel instead.
  const { id, bound } = await openChannel(key, caller.tabId, keep && !entry.unkept ? null : entry, entry, { wait, provider: caller.provider });
  return { channel: id, view: viewOf(entry.report), bound };
}

// readChannel reads what a channel may show, for a frame in the channel's own tab; record is the
// channel's record when the caller has it in hand already (banner-channels.js waitedChannel).
async function readChannel(args, caller, record = null) {
  const ch = record ?? (await tabChannel(args.channel, caller.tabId));
  if (!ch) return null;
  return { ch, entry: ch.entry ?? (await cachedReport(ch.key)) };
}

export const handlers = {
  // --- content scripts ---
  async contentSettings(args, caller) {
    forgetLayout(caller.tabId).catch(() => {}); // a new document: whatever the last one could not read
    forgetTampered(caller.tabId).catch(() => {}); // nor what it did to a banner
    const [s, p] = await Promise.all([loadSettings(), policy()]);
    const providers = { ...s.providers };
    for (const name of Object.keys(providers)) if (p.providers?.[name] === false) providers[name] = false;
    return { providers, showUnsignedChip: s.showUnsignedChip, hosts: p.hosts };
  },
  // lookup answers from the session cache, so an opened message is fetched and verified once.
  async lookup(args, caller) {
    const key = reportKey(text(args.account), text(args.messageId));
    const entry = await cachedReport(key);
    if (entry) return answer(key, entry, caller, true, args.wait);
    prepareCore(); // the content script fetches the message and asks for a verify next
    return null;
  },
  // cachedMessages names the messages of an account the session cache has a verdict for: a page
  // that starts fetches the others as it looks them up (providers/provider.js).
  async cachedMessages(args) {
    return cachedMessages(text(args.account));
  },
  // prepare starts the core for a message the user pointed at (content/ahead.js), and does nothing else.
  async prepare() {
    prepareCore();
    return /** @type {true} */ (true);
  },
  async verify(args, caller) {
    const key = reportKey(text(args.account), text(args.messageId));
    const entry = (await cachedReport(key)) ?? (await acrossClose(async () =>
      verified(key, unpackBytes(args.raw), null, await verifyOption(args.account, { opened: true, incognito: caller.incognito, message: args.messageId }))));
    return answer(key, entry, caller, true, args.wait);
  },
  // verifyOutlook fetches the message through Graph here, where the token lives.
  async verifyOutlook(args, caller) {
    const account = text(args.account);
    try {
      const id = await resolveMessageId(args.locator ?? {});
      const key = reportKey(account, id);
      let entry = await cachedReport(key);
      if (!entry) {
        prepareCore();
        const [raw, deliveryTime] = await Promise.all([rawMessage(id), receivedTime(id)]);
        entry = await acrossClose(async () => verified(key, raw, deliveryTime,
          await verifyOption(account, { opened: true, incognito: caller.incognito, message: id })));
      }
      // The id came from matching positions (docs/outlook.md); a verdict for a neighbouring
      // message must not be shown under this one: the address OWA shows above the body must be
      // in the From field of the message Graph returned.
      const shown = typeof args.shownSender === 'string' ? args.shownSender.toLowerCase() : null;
      if (shown && !sentBy(entry.report, shown)) {
        throw unavailable('the message Microsoft Graph returned is not the one on the page');
      }
      return answer(key, entry, caller, true, args.wait);
    } catch (err) {
      // A message not read (Graph refused, sign-in needed, a setting missing) is status unavailable.
      if (!(err instanceof RequestError)) throw err;
      return answer(`unavailable:${account}`, { report: unavailableReport(err.message) }, caller, false, args.wait);
    }
  },
  // bannerTampered: the page hid or moved one of this tab's banners (content/banner-guard.js put
  // it back). The toolbar badge tells the user until the tab navigates (the browser resets a
  // tab's badge then), its title in words.
  async bannerTampered(args, caller) {
    const what = args.what === 'hidden' ? 'hidden' : 'moved';
    await markTampered(caller.tabId, what);
    await Promise.all([
      ext.action.setBadgeText({ tabId: caller.tabId, text: '!' }),
      ext.action.setBadgeBackgroundColor({ tabId: caller.tabId, color: '#b00020' }),
      ext.action.setTitle({ tabId: caller.tabId, title: ext.i18n.getMessage(what === 'hidden' ? 'badgeBannerHidden' : 'badgeBannerMoved') }),
    ]);
    return true;
  },
  // bindBanner: the verdict of a message whose banner frame was loaded before it (banner-channels.js).
  async bindBanner(args, caller) {
    return bindWait(args.wait, args.channel, caller.tabId);
  },
  async unavailable(args, caller) {
    const key = reportKey(text(args.account), text(args.messageId));
    return answer(key, { report: unavailableReport({ code: args.code, args: [args.reason] }) }, caller, false, args.wait);
  },

  // --- extension pages ---
  async bannerReport(args, caller) {
    // A frame loaded before its verdict asks with its wait id, and learns its channel here.
    const bound = args.wait === undefined ? null : await waitedChannel(args.wait, caller.tabId);
    const channelId = args.wait === undefined ? args.channel : bound?.channel ?? null;
    const [got, { mark }] = await Promise.all([readChannel({ channel: channelId }, caller, bound?.record), loadSettings()]);
    if (!got?.entry) return null;
    return { report: got.entry.report, view: viewOf(got.entry.report), mark, hasContent: Boolean(signedText(got.entry)), provider: got.ch.provider ?? null, message: messageSummary(got.entry.report), channel: channelId };
  },
  async signedContent(args, caller) {
    const got = await readChannel(args, caller);
    return signedText(got?.entry);
  },
  // resize lets a banner frame ask its content script for height (the details view opens in place).
  async resize(args, caller) {
    const ch = await tabChannel(args.channel, caller.tabId);
    if (!ch) return false;
    const height = Math.max(24, Math.min(2000, Math.round(Number(args.height) || 0)));
    await ext.tabs.sendMessage(ch.tabId, { event: 'resize', channel: args.channel, height, ready: Boolean(args.ready) }, { frameId: 0 });
    return true;
  },
  // tabStatus: the messages open in the tab now (its content script lists their banners'
  // channels, in page order), each named by its verified report's sender and its raw subject.
  async tabStatus(args) {
    const tabId = Number(args.tabId);
    const ours = new Set(await tabChannels(tabId));
    const open = await ext.tabs.sendMessage(tabId, { event: 'openChannels' }, { frameId: 0 }).catch(() => []);
    const out = [];
    for (const id of (Array.isArray(open) ? open : []).filter((x) => ours.has(x)).slice(0, maxPopupMessages)) {
      const ch = await channel(id);
      const entry = ch && (ch.entry ?? (await cachedReport(ch.key)));
      if (entry) out.push({ report: entry.report, view: viewOf(entry.report), message: messageSummary(entry.report) });
    }
    return out;
  },
  async getSettings() {
    const [s, p, roots] = await Promise.all([loadSettings(), policy(), userRoots()]);
    return {
      settings: s,
      policy: { roots: p.roots.length, providers: p.providers ?? null, revocation: p.revocation, outlookClientId: p.outlookClientId ?? '' },
      userRoots: roots.map(({ sha256, subject, addedAt }) => ({ sha256, subject, addedAt })),
    };
  },
  async saveSettings(args) { return saveSettings(args); },
  async addUserRoots(args) {
    const c = await core();
    const added = await addUserRoots(text(args.pem, 1 << 20), (der) => c.classify(der));
    if (added.length) await forgetReports();
    return added.length;
  },
  async removeUserRoot(args) {
    await removeUserRoot(text(args.sha256, 64));
    await forgetReports();
    return true;
  },
  async connectOutlook() {
    await microsoftToken('read', { interactive: true });
    return true;
  },
  async stats() {
    return { bootedAt, ...coreStats, version: coreStats.loads ? await coreVersion() : '', kept: await readingStats() };
  },
};

