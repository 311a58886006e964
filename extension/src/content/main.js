// The content script: find the provider for this page, watch for opened messages, and put a
// banner frame above each. It never sees a verdict's details; it learns only a channel id and
// whether to draw a banner or a chip. It may be injected into a page twice (after an update,
// background/open-tabs.js): the newest copy takes over (instance.js).
import { ext } from '../platform.js';
import { packBytes } from '../bytes.js';
import { request, requestPatiently } from '../request.js';
import { RawFetcher, RawUnavailable } from '../rawfetch.js';
import { providerNameFor } from '../providers/hosts.js';
import { Gmail } from '../providers/gmail.js';
import { Outlook } from '../providers/outlook.js';
import { createBannerHost, themeOf } from './banner-host.js';
import { claim, runtimeGone } from './instance.js';
import { LayoutWatch } from './layout-watch.js';

const providerClasses = { gmail: Gmail, outlook: Outlook };
const banners = new Map(); // channel id → banner host
const placed = new WeakMap(); // provider element → banner host
const stop = new AbortController();

function onMessage(message) {
  if (message?.event === 'resize') banners.get(message.channel)?.resize(message.height, message.ready);
}
ext.runtime.onMessage.addListener(onMessage);
claim('banners', () => stop.abort());
stop.signal.addEventListener('abort', () => {
  try { ext.runtime.onMessage.removeListener(onMessage); } catch { /* the runtime is gone */ }
}, { once: true });

// A host of an earlier copy of this script sits right before where ours goes (each copy places
// its host just before the body); ours replaces it.
function replaceEarlierHosts(host) {
  for (let prev = host.previousElementSibling; prev?.matches('div[data-mailseal]'); prev = host.previousElementSibling) prev.remove();
}

async function verdictFor(provider, opened) {
  const { account, id } = opened;
  if (provider.name === 'outlook') return request('verifyOutlook', { account, locator: opened.locator, shownSender: opened.shownSender });
  const hit = await request('lookup', { account, messageId: id });
  if (hit) return hit;
  try {
    const { bytes } = await opened.source();
    return await request('verify', { account, messageId: id, raw: packBytes(bytes) });
  } catch (err) {
    const reason = err instanceof RawUnavailable ? err.message : `the message could not be read (${err.message})`;
    return request('unavailable', { account, messageId: id, reason });
  }
}

async function show(provider, opened, settings) {
  if (stop.signal.aborted) return;
  const banner = createBannerHost(document, ext.i18n.getMessage('bannerFrameTitle') || 'mailseal');
  placed.get(opened.element)?.host.remove();
  placed.set(opened.element, banner);
  opened.place(banner.host);
  replaceEarlierHosts(banner.host);
  let result;
  try {
    result = await verdictFor(provider, opened);
  } catch (err) {
    // The background did not answer (it may be restarting on a busy machine): try again later,
    // a few times, rather than leave the message without a banner.
    banner.host.remove();
    console.warn('mailseal:', err.message);
    const tries = (opened.tries ?? 0) + 1;
    if (tries <= 3) setTimeout(() => { if (opened.element.isConnected) show(provider, { ...opened, tries }, settings); }, 2000 * tries);
    return;
  }
  if (!banner.host.isConnected || stop.signal.aborted) return;
  if (result.view.status === 'unsigned' && !settings.showUnsignedChip) {
    banner.host.setAttribute('data-mailseal', 'hidden');
    return;
  }
  banners.set(result.channel, banner);
  banner.show(result.channel, result.view, themeOf(opened.container));
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
  const provider = new providerClasses[name]({ document, location, fetcher: new RawFetcher() });
  const checkLayout = watchLayout(provider);
  const onChange = () => {
    if (runtimeGone()) stop.abort(); // an update cut this copy off: the new one takes over
    else checkLayout();
  };
  provider.observe(stop.signal, (opened) => show(provider, opened, settings), (el) => placed.get(el)?.host.isConnected, onChange);
}

start().catch((err) => console.warn('mailseal: not started:', err.message));
