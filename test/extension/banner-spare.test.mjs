// A banner frame loaded before its message (content/banner-host.js): a spare, parked in a host of
// its own and moved into a message's host without loading again; woken by its content script with
// a message naming its wait id and carrying a private port; bound by the background to the
// verdict's channel as it answers. What the page can do to it costs speed, never a wrong banner.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHTML } from 'linkedom';
import { aliasCore, area } from './browser-stub.mjs';

aliasCore();
globalThis.__BROWSER__ = 'chrome';
globalThis.__DEMO__ = false;
const session = area();
globalThis.chrome = {
  runtime: { id: 'ext', getURL: (p) => `chrome-extension://ext/${p}`, onStartup: { addListener() {} } },
  storage: { managed: { get: async () => ({}) }, onChanged: { addListener() {} }, local: area(), session, sync: area() },
  i18n: { getMessage: (name) => name },
  action: { setBadgeText: async () => {}, setBadgeBackgroundColor: async () => {}, setTitle: async () => {} },
};
const { createBannerHost, createSpare } = await import('../../extension/src/content/banner-host.js');
const { handlers } = await import('../../extension/src/background/handlers.js');
const { waitedChannel, openChannel } = await import('../../extension/src/background/banner-channels.js');

// page is a webmail document whose iframes record what is posted to them, and which keeps a
// frame's page when the frame is moved (moveBefore), as Chromium and Firefox do.
function page({ moveBefore = true } = {}) {
  const { document, window } = parseHTML('<!doctype html><html><body><div id="message">body</div></body></html>');
  const shadowProto = Object.getPrototypeOf(document.createElement('div').attachShadow({ mode: 'open' }));
  for (const p of [window.Element.prototype, shadowProto]) {
    if (moveBefore) p.moveBefore = function (node, ref) { node.moved = (node.moved ?? 0) + 1; return this.insertBefore(node, ref); };
    else delete p.moveBefore;
  }
  const posted = [];
  const create = document.createElement.bind(document);
  document.createElement = (name) => {
    const el = create(name);
    if (name === 'iframe') {
      const frame = { posted: [] };
      Object.defineProperty(el, 'contentWindow', { get: () => ({ postMessage: (data, origin, ports) => { frame.posted.push({ data, origin, ports }); posted.push({ el, data, origin, ports }); } }) });
      el.posts = frame.posted;
      el.load = () => el.dispatchEvent(new window.Event('load'));
    }
    return el;
  };
  return { document, window, posted };
}

function placed(document, onResize = () => {}) {
  const banner = createBannerHost(document, 'mailseal', onResize);
  document.getElementById('message').before(banner.host);
  return banner;
}

// A port's message arrives in a later task.
const tick = () => new Promise((r) => setTimeout(r, 20));

test('a spare is loaded ahead under a wait id, out of sight, and adopted without loading again', () => {
  const { document } = page();
  const spare = createSpare(document, 'mailseal');
  assert.match(spare.frame.src, /^chrome-extension:\/\/ext\/pages\/banner\.html\?w=[0-9a-f]{32}$/);
  assert.equal(spare.host.parentNode, document.body);
  assert.match(spare.host.style.cssText, /height: ?0/);
  assert.equal(spare.host.getAttribute('data-mailseal'), null, 'a spare is no banner: the page sees no state of it');
  spare.frame.load();
  const banner = placed(document);
  assert.equal(banner.adopt(spare), true);
  assert.equal(spare.frame.moved, 1, 'moved, not inserted again (which would load it again)');
  assert.equal(spare.host.isConnected, false, 'the spare\'s own host is gone');
  assert.equal(banner.wait, spare.wait);
  assert.equal(spare.frame.src.includes(spare.wait), true, 'the same page, not loaded again');
  assert.equal(banner.adopt(createSpare(document, 'mailseal')), false, 'a host takes one frame');
});

test('a spare the page removed, or one the browser would load again, is not adopted', () => {
  const { document } = page();
  const spare = createSpare(document, 'mailseal');
  spare.host.remove(); // the page removed it
  assert.equal(placed(document).adopt(spare), false);
  const old = page({ moveBefore: false });
  assert.equal(placed(old.document).adopt(createSpare(old.document, 'mailseal')), false);
});

test('a wake names the wait id, goes only to the extension\'s origin, once loaded, with a private port', async () => {
  const { document } = page();
  const spare = createSpare(document, 'mailseal');
  const heard = [];
  const banner = placed(document, (h, ready) => heard.push([h, ready]));
  assert.equal(banner.adopt(spare), false, 'a spare still loading is left to load (a frame moved while it loads may not finish)');
  spare.frame.load();
  assert.equal(banner.adopt(spare), true);
  banner.wake('dark');
  assert.equal(spare.frame.posts.length, 1);
  const [{ data, origin, ports }] = spare.frame.posts;
  assert.deepEqual(data, { mailseal: 'wake', wait: spare.wait, theme: 'dark' });
  assert.equal(origin, 'chrome-extension://ext', 'a frame the page navigated elsewhere is not told the wait id');
  assert.equal(ports.length, 1);
  // The frame draws before its content script decides to show it: said, but held.
  ports[0].postMessage({ height: 5000, ready: true });
  await tick();
  assert.deepEqual(heard, [], 'nothing is shown before show()');
  await banner.show('c'.repeat(32), { kind: 'banner' }, 'dark', { bound: true });
  assert.deepEqual(heard, [[2000, true]], 'passed on once shown, its height bounded');
  ports[0].postMessage({ height: 80, ready: true });
  await tick();
  assert.deepEqual(heard.at(-1), [80, true]);
  assert.equal(spare.frame.src.includes(spare.wait), true, 'bound: the frame is not loaded again');
  // Loaded again (the guard put its host back): woken again, with a new port.
  spare.frame.load();
  assert.equal(spare.frame.posts.length, 2);
  assert.notEqual(spare.frame.posts[1].ports[0], ports[0]);
  for (const post of spare.frame.posts) post.ports[0].close(); // an open port keeps the test process alive
});

test('a frame whose message shows no banner never gets to say it is shown', async () => {
  const { document } = page();
  const spare = createSpare(document, 'mailseal');
  spare.frame.load();
  const heard = [];
  const banner = placed(document, (h, ready) => heard.push([h, ready]));
  banner.adopt(spare);
  banner.wake('light');
  const [{ ports }] = spare.frame.posts;
  ports[0].postMessage({ height: 28, ready: true }); // bound to an unsigned verdict, drawn
  await tick();
  banner.unprepare();
  await tick();
  assert.deepEqual(heard, []);
  assert.equal(spare.frame.hasAttribute('src'), false);
  ports[0].close();
});

test('a wait the background did not bind is bound by the content script, else the frame loads its channel', async () => {
  const { document } = page();
  const spare = createSpare(document, 'mailseal');
  spare.frame.load();
  const banner = placed(document);
  banner.adopt(spare);
  const channel = 'a'.repeat(32);
  const asked = [];
  await banner.show(channel, { kind: 'banner' }, 'light', { bound: false, bind: async (w, c) => { asked.push([w, c]); throw new Error('refused'); } });
  assert.deepEqual(asked, [[spare.wait, channel]]);
  for (const post of spare.frame.posts) post.ports[0].close();
  assert.equal(spare.frame.src, `chrome-extension://ext/pages/banner.html?c=${channel}&theme=light`);
});

test('the background binds the frame\'s wait id as it answers, once, to the channel it opened for this tab', async () => {
  const caller = { kind: 'content', tabId: 5, frameId: 0, url: 'https://mail.google.com/', provider: 'gmail' };
  const args = { account: 'gmail:a@example.com', messageId: '1', code: 'unchecked_fetch', reason: 'x' };
  const wait = 'f'.repeat(32);
  const shown = await handlers.unavailable({ ...args, wait }, caller);
  assert.equal(shown.bound, true);
  assert.equal((await waitedChannel(wait, 5))?.channel ?? null, shown.channel);
  assert.equal((await waitedChannel(wait, 6))?.channel ?? null, null, 'another tab\'s frame learns nothing');
  const again = await handlers.unavailable({ ...args, wait }, caller);
  assert.equal(again.bound, false, 'a bound wait id is never pointed elsewhere');
  assert.equal((await waitedChannel(wait, 5))?.channel ?? null, shown.channel);
  const bad = await handlers.unavailable({ ...args, wait: '__proto__' }, caller);
  assert.equal(bad.bound, false, 'a malformed wait id binds nothing, and the verdict still comes');
  assert.match(bad.channel, /^[0-9a-f]{32}$/);
  assert.equal((await handlers.unavailable(args, caller)).bound, false);
});

test('a frame that asked before its verdict gets its report with the binding: nothing is read from storage for it', async () => {
  const caller = { kind: 'content', tabId: 7, frameId: 0, url: 'https://mail.google.com/', provider: 'gmail' };
  const frame = { kind: 'page', page: 'banner.html', tabId: 7, frameId: 3, url: 'chrome-extension://ext/pages/banner.html' };
  const wait = 'e'.repeat(32);
  const asked = handlers.bannerReport({ wait }, frame);
  await new Promise((r) => setTimeout(r, 5));
  const get = session.get;
  const read = [];
  session.get = (keys) => { read.push(keys); return get(keys); };
  try {
    const shown = await handlers.unavailable({ account: 'gmail:a@example.com', messageId: '2', code: 'unchecked_fetch', reason: 'x', wait }, caller);
    const report = await asked;
    assert.equal(report.channel, shown.channel);
    assert.equal(report.view.status, 'unavailable');
    assert.equal(report.provider, 'gmail', 'the banner names the webmail of the page that asked');
    assert.ok(!read.flat().includes(`banner:${shown.channel}`), 'the binding brought the channel and its report');
  } finally {
    session.get = get;
  }
  // Another tab's frame with the same wait id (it cannot know it, but say it did) learns nothing.
  assert.equal(await handlers.bannerReport({ wait }, { ...frame, tabId: 8 }), null);
});

test('a frame woken with its binding shows its report even when the cache dropped it meanwhile', async () => {
  const { storeReport, reportKey } = await import('../../extension/src/reports.js');
  const caller = { kind: 'content', tabId: 11, frameId: 0, url: 'https://mail.google.com/', provider: 'gmail' };
  const frame = { kind: 'page', page: 'banner.html', tabId: 11, frameId: 3, url: 'chrome-extension://ext/pages/banner.html' };
  const wait = 'd'.repeat(32);
  const key = reportKey('gmail:a@example.com', 'dropped');
  await storeReport(key, { status: 'valid', text: { type: 'text/plain', text: 'hi', source: 'message' } });
  const asked = handlers.bannerReport({ wait }, frame);
  await new Promise((r) => setTimeout(r, 5));
  // The lookup answers from the cache; while its channel is being written, three more messages
  // with text push this one out of the cache, before the frame has read it.
  const set = session.set;
  let release;
  const held = new Promise((r) => { release = r; });
  session.set = async (items) => { if (Object.keys(items).some((k) => k.startsWith('banner:'))) await held; return set(items); };
  try {
    const lookup = handlers.lookup({ account: 'gmail:a@example.com', messageId: 'dropped', wait }, caller);
    for (const m of ['n1', 'n2', 'n3']) await storeReport(reportKey('gmail:a@example.com', m), { status: 'valid', text: { type: 'text/plain', text: m, source: 'message' } });
    assert.equal(key in session.data, false, 'dropped from the cache');
    release();
    assert.equal((await lookup).bound, true);
    assert.equal((await asked)?.view.status, 'valid');
  } finally {
    session.set = set;
  }
});

test('the waiting frame is woken as its channel is written; the content script\'s answer waits for the write', async () => {
  const frame = { kind: 'page', page: 'banner.html', tabId: 12, frameId: 3, url: 'chrome-extension://ext/pages/banner.html' };
  const entry = { report: { status: 'valid' } };
  const set = session.set;
  let release;
  const held = new Promise((r) => { release = r; });
  session.set = async (items) => { if (Object.keys(items).some((k) => k.startsWith('banner:'))) await held; return set(items); };
  try {
    const wait = 'c'.repeat(32);
    const asked = handlers.bannerReport({ wait }, frame);
    await new Promise((r) => setTimeout(r, 5));
    let opened = null;
    const opening = openChannel('r:gmail:a@example.com\nk1', 12, entry, entry, { wait }).then((o) => { opened = o; });
    const early = await Promise.race([asked, new Promise((r) => setTimeout(() => r(null), 500))]);
    assert.equal(early?.view.status, 'valid', 'the frame has its report while the channel is still being written');
    assert.equal(opened, null, 'the content script\'s answer waits for the write');
    release();
    await opening;
    assert.equal(opened.bound, true);
    assert.deepEqual(session.data[`banner:${opened.id}`].entry, entry);
  } finally {
    session.set = set;
  }
});
