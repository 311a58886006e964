// @ts-check
// The content script, the only one: find the provider for this page, watch it with one observer,
// put a banner frame above each opened message and Write signed in each compose window
// (compose-button.js). It never sees a verdict's details; it learns only a channel id and
// whether to draw a banner or a chip. It may be injected into a page twice (after an update,
// background/open-tabs.js): the newest copy takes over (instance.js) and the older one's
// observer is aborted.
import { BROWSER, ext } from '../platform.js';
import { packBytes } from '../bytes.js';
import { request, requestPatiently } from '../request.js';
import { RawFetcher } from '../rawfetch.js';
import { providerNameFor } from '../providers/hosts.js';
import { Gmail } from '../providers/gmail.js';
import { Outlook } from '../providers/outlook.js';
import { canMove, createBannerHost, createSpare, themeOf } from './banner-host.js';
import { claim, runtimeGone } from './instance.js';
import { LayoutWatch } from './layout-watch.js';
import { startPatiently, within, TooLate, verifyBoundMillis } from './patience.js';
import { BannerGuard } from './banner-guard.js';
import { decorate } from './compose-button.js';
import { watchIntent } from './ahead.js';
import { keepAwake, keepPortName } from '../keep-awake.js';
import { newChannelId } from '../channels.js';

const providerClasses = { gmail: Gmail, outlook: Outlook };
const banners = new Map(); // channel id → banner host
const placed = new WeakMap(); // provider element → banner host
const stop = new AbortController();
// Firefox: the background, and the core it loaded, kept for a while after each verdict asked for
// here (keep-awake.js); Chrome keeps its core in an offscreen document instead (kept-core/).
const awake = BROWSER === 'firefox' ? keepAwake({ connect: () => ext.runtime.connect({ name: keepPortName }) }) : null;
const frameTitle = () => ext.i18n.getMessage('bannerFrameTitle') || 'mailseal';

// One spare banner frame, loaded ahead while the page is idle (banner-host.js createSpare): the
// next message that opens takes it, so that its banner does not wait for a frame to load (on a
// reopen, nothing else is left to wait for). Only where the browser keeps a frame's page when the
// frame is moved (moveBefore). A page that removes the spare only makes the next banner load its
// own frame, as without one.
let spare = null;
let spareQueued = false;
function queueSpare() {
  if (spareQueued || !canMove(document)) return;
  spareQueued = true;
  setTimeout(() => {
    spareQueued = false;
    if (stop.signal.aborted || spare?.host.isConnected || !document.body) return;
    spare = createSpare(document, frameTitle());
  }, 0);
}
// takeSpare gives the spare once its page has loaded (a frame moved while it loads may not finish
// loading), and leaves one still loading for a later message.
function takeSpare() {
  if (!spare?.loaded) return null;
  const taken = spare;
  spare = null;
  return taken.host.isConnected ? taken : null;
}

// A shown banner that the page hides or moves is put back, and the toolbar badge says so (once
// per page: the background keeps the badge until the tab navigates). A copy that has handed over
// to a newer one (instance.js) guards nothing: the newer copy replaced its hosts.
let told = false;
const guard = new BannerGuard(document, {
  onTampered(/** @type {'hidden'|'moved'} */ what) {
    if (told) return;
    told = true;
    request('bannerTampered', { what }).catch((err) => console.warn('mailseal:', err.message));
  },
  live: () => !stop.signal.aborted && !runtimeGone(),
});

// openChannels lists the channels of the banners on the page now, in page order: the popup's
// "this tab" names these messages, not every verdict the tab ever showed.
function openChannels() {
  const open = [...banners].filter(([, b]) => b.host.isConnected).map(([id, b]) => [id, b.host]);
  open.sort(([, a], [, b]) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
  return open.map(([id]) => id);
}

function onMessage(message, sender, sendResponse) {
  if (message?.event === 'openChannels' && !stop.signal.aborted) {
    sendResponse(openChannels());
    return;
  }
  if (message?.event !== 'resize') return;
  const banner = banners.get(message.channel);
  if (banner) resized(banner, message.height, message.ready);
}

// resized sets a banner's height; once its verdict is drawn (ready), the host is shown and guarded.
function resized(banner, height, ready) {
  banner.resize(height, ready);
  if (!ready) return;
  guard.watch(banner.host, banner.anchor);
  queueSpare(); // the next message's frame loads now, not when it opens
}
ext.runtime.onMessage.addListener(onMessage);
claim('banners', () => stop.abort());
stop.signal.addEventListener('abort', () => {
  guard.disconnect();
  awake?.stop();
  spare?.host.remove();
  try { ext.runtime.onMessage.removeListener(onMessage); } catch { /* the runtime is gone */ }
}, { once: true });

// A host of an earlier copy of this script sits right before where ours goes (each copy places
// its host just before the body); ours replaces it.
function replaceEarlierHosts(host) {
  for (let prev = host.previousElementSibling; prev?.matches('div[data-mailseal]'); prev = host.previousElementSibling) prev.remove();
}

function retire(banner) {
  if (!banner) return;
  guard.unwatch(banner.host);
  banner.host.remove();
}

async function show(provider, opened, settings) {
  if (stop.signal.aborted) return;
  // The spare frame, loaded already; else in Chrome a frame that loads while the verdict is
  // fetched and computed (first view 0.78–0.91 of the time without, in interleaved runs).
  // Firefox loads extension frames on the thread that runs its background page, so there an
  // early frame held the verify back (1.13): without a spare it loads once the verdict is there.
  const taken = takeSpare();
  const wait = taken?.wait ?? (BROWSER === 'chrome' ? newChannelId() : undefined);
  // The verdict is asked for first, and the banner placed while the question travels: the
  // background binds the frame's wait id to the verdict's channel as it answers, and the frame,
  // woken below, draws without a further round trip.
  awake?.touch();
  const verdict = provider.verdict(opened, request, wait);
  const banner = createBannerHost(document, frameTitle(), (height, ready) => resized(banner, height, ready));
  retire(placed.get(opened.element));
  placed.set(opened.element, banner);
  opened.place(banner.host);
  replaceEarlierHosts(banner.host);
  banner.anchor = banner.host.nextElementSibling; // the message body the banner sits above
  if (!banner.adopt(taken)) {
    taken?.host.remove();
    if (wait && BROWSER === 'chrome') banner.prepare(wait);
  }
  banner.wake(themeOf(opened.container));
  let result;
  try {
    result = await within(verdict, verifyBoundMillis).catch((err) => (err instanceof TooLate ? notChecked(opened, banner, verdict, settings) : Promise.reject(err)));
  } catch (err) {
    // The background did not answer (it may be restarting on a busy machine): try again later,
    // a few times, rather than leave the message without a banner.
    retire(banner);
    console.warn('mailseal:', err.message);
    const tries = (opened.tries ?? 0) + 1;
    if (tries <= 3) setTimeout(() => { if (opened.element.isConnected) show(provider, { ...opened, tries }, settings); }, 2000 * tries);
    return;
  }
  display(opened, banner, result, settings);
}

// notChecked answers for a verify that took too long: "not checked" now (a verdict is never
// guessed), and the real verdict in its place if it still comes.
async function notChecked(opened, banner, verdict, settings) {
  const reason = String(verifyBoundMillis / 1000);
  const shown = await within(request('unavailable', { account: opened.account, messageId: opened.id, code: 'unchecked_timeout', reason }), 5000);
  verdict.then((late) => display(opened, banner, late, settings), () => {});
  return shown;
}

function display(opened, banner, result, settings) {
  if (!banner.host.isConnected || stop.signal.aborted) return;
  if (result.view.status === 'unsigned' && !settings.showUnsignedChip) {
    banner.unprepare();
    banner.host.setAttribute('data-mailseal', 'hidden');
    queueSpare();
    return;
  }
  banners.set(result.channel, banner);
  banner.show(result.channel, result.view, themeOf(opened.container), { bound: result.bound === true, bind: (wait, channel) => request('bindBanner', { wait, channel }) });
}

// watchLayout reports a page the provider cannot read (layout-watch.js) to the background, which
// shows it on the toolbar button and in the popup.
function watchLayout(provider) {
  const watch = new LayoutWatch(provider, (unreadable) => {
    if (unreadable) console.warn(`mailseal: cannot read this page layout (${provider.name}): no message found where the address says one is open`);
    request('layoutProblem', { provider: provider.name, unreadable }).catch((err) => console.warn('mailseal:', err.message));
  });
  const check = () => watch.check();
  for (const event of ['hashchange', 'popstate']) window.addEventListener(event, check, { signal: stop.signal });
  stop.signal.addEventListener('abort', () => watch.clear(), { once: true });
  return check;
}

async function start() {
  const settings = await requestPatiently('contentSettings');
  const name = providerNameFor(location.href, settings.hosts);
  if (!name || !settings.providers[name] || stop.signal.aborted) return;
  const provider = new providerClasses[name]({ document, location, fetcher: new RawFetcher(), pack: packBytes });
  provider.learnCached((account) => request('cachedMessages', { account }));
  const checkLayout = watchLayout(provider);
  const onChange = () => {
    if (runtimeGone()) return stop.abort(); // an update cut this copy off: the new one takes over
    checkLayout();
    decorate(provider);
  };
  provider.observe(stop.signal, (opened) => show(provider, opened, settings), (el) => placed.get(el)?.host.isConnected, onChange);
  watchIntent(provider, request, stop.signal);
  queueSpare();
}

// A start that failed (the background busy or restarting) is tried again, with back-off.
startPatiently(start);
