// The e2e harness: the demo webmail on free ports, a demo build of the extension that points at
// them, and headless Chromium or Firefox ESR with that build loaded (puppeteer-core).
import puppeteer from 'puppeteer-core';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { startDemo } from '../../demo/server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const root = join(here, '..', '..');
export const artefacts = join(root, 'out', 'e2e');

export const browsers = {
  chromium: process.env.CHROMIUM ?? '/usr/bin/chromium',
  firefox: process.env.FIREFOX ?? '/usr/bin/firefox-esr',
};

// Firefox's idle timeout for event pages, in seconds (default 30). Short, so that tests can watch
// the background stop and come back.
export const firefoxIdleSeconds = 2;

/** sleep resolves after ms. */
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** waitFor polls check until it holds, for up to ms. */
export async function waitFor(check, ms = 10000) {
  for (const until = Date.now() + ms; Date.now() < until; await sleep(100)) if (await check()) return;
  throw new Error(`e2e: still not so after ${ms} ms`);
}

export async function startWorld(name, opts = {}) {
  const demo = await startDemo({ gmailPort: 0, outlookPort: 0, ...opts });
  const dir = join(artefacts, 'build', name);
  mkdirSync(dir, { recursive: true });
  const policyFile = join(dir, 'demo-policy.json');
  writeFileSync(policyFile, JSON.stringify(demo.policy, null, 2));
  execFileSync(process.execPath, [join(root, 'extension', 'build.mjs'), '--demo', policyFile, '--out', dir], { stdio: 'pipe' });
  return { demo, extDirs: { chromium: join(dir, 'chrome'), firefox: join(dir, 'firefox') } };
}

const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', '--lang=en-US'];

// idleSeconds sets Firefox's event-page idle timeout (the tests' short one unless given).
export async function launch(kind, extDir, { lang = 'en-US', idleSeconds = firefoxIdleSeconds } = {}) {
  if (!existsSync(browsers[kind])) throw new Error(`e2e: ${browsers[kind]} is missing (apt-get install ${kind === 'firefox' ? 'firefox-esr' : 'chromium'})`);
  if (kind === 'chromium') {
    const userDataDir = mkdtempSync(join(tmpdir(), 'mailseal-chromium-'));
    const browser = await puppeteer.launch({
      executablePath: browsers.chromium, headless: true, pipe: true, userDataDir,
      enableExtensions: [extDir], args: [...chromiumArgs.filter((a) => !a.startsWith('--lang=')), `--lang=${lang}`],
      ignoreDefaultArgs: ['--disable-extensions'],
    });
    const target = await browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().endsWith('/background.js'), { timeout: 15000 });
    const origin = target.url().replace(/\/background\.js$/, '');
    // On install the extension opens its first-run page; the worker sees no navigator.webdriver
    // here to tell a test browser. Left open, that tab comes to the front at some moment of its
    // own, and headless Chromium stops painting the test's tab: its screenshots and
    // animation-frame waits then hang. Close it once it is there.
    const firstRun = await browser.waitForTarget((t) => t.url() === `${origin}/pages/first-run.html`, { timeout: 10000 }).catch(() => null);
    await (await firstRun?.page())?.close();
    return { kind, browser, origin, openedOnInstall: firstRun ? ['pages/first-run.html'] : [], cleanup: () => rmSync(userDataDir, { recursive: true, force: true }) };
  }
  const uuid = randomUUID();
  const browser = await puppeteer.launch({
    browser: 'firefox', executablePath: browsers.firefox, headless: true,
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ 'mailseal-demo@mailseal': uuid }),
      'extensions.background.idle.timeout': idleSeconds * 1000,
      'intl.locale.requested': 'en-US',
      // MV3 host permissions are granted at install, as the store install would ask.
      'extensions.originControls.grantByDefault': true,
    },
  });
  await browser.installExtension(extDir);
  return { kind, browser, origin: `moz-extension://${uuid}`, cleanup: () => {} };
}

// stopWorker stops the extension's service worker (Chromium) as Chrome does when it idles, and
// returns once it has stopped, so that the next message must wake it. The page that asks stays
// blank: an extension page sends the background a request on load, which starts the worker
// again at once, and closing that page while the worker starts leaves Chromium's worker wedged,
// answering no message for minutes (seen in CI as a compose button that never came).
export async function stopWorker(b) {
  const p = await b.browser.newPage();
  try {
    const cdp = await p.createCDPSession();
    const stopped = new Promise((resolve) => {
      cdp.on('ServiceWorker.workerVersionUpdated', (e) => {
        if (e.versions.some((v) => v.scriptURL.startsWith(b.origin) && v.runningStatus === 'stopped')) resolve(true);
      });
      setTimeout(() => resolve(false), 10000);
    });
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    if (!(await stopped)) throw new Error('e2e: the extension\'s service worker did not stop within 10 s');
  } finally {
    await p.close();
  }
}

// wakeWorker starts the stopped worker again through an extension page, and returns once it
// has answered. After a DevTools-protocol stop, Chromium 156 sometimes delivers a content
// script's first messages to no worker at all (in CI, a webmail tab waited 30 s for its
// settings); an extension page's request starts it reliably. The content script's own
// wake-up is tested by the suite's "brings banners back after the background stops".
export async function wakeWorker(b) {
  const p = await b.browser.newPage();
  try {
    await p.goto(`${b.origin}/pages/options.html`);
    await p.waitForFunction(() => document.querySelector('#about')?.textContent, { timeout: 20000, polling: 100 });
  } finally {
    await p.close();
  }
}

export async function close(b) {
  await b.browser.close().catch(() => {});
  b.cleanup();
}

// session is a test's whole setting: the demo webmail, kind's browser with the demo build, and a
// page; end() closes what was started.
export async function session(name, kind, viewport = { width: 1000, height: 700 }) {
  const s = { world: await startWorld(name) };
  s.end = async () => {
    if (s.b) await close(s.b);
    await s.world.demo.close();
  };
  try {
    s.b = await launch(kind, s.world.extDirs[kind]);
    s.page = await s.b.browser.newPage();
    await s.page.setViewport(viewport);
  } catch (err) {
    await s.end();
    throw err;
  }
  return s;
}

// inFrame runs fn(arg) in frame. Now and then Puppeteer 24 never learns the script context of a
// Chromium banner frame that attached while a second frame of the extension was loading (the
// spare, content/banner-host.js): 6 of 282 opens in one diagnostic run, with the frame drawn and
// its host shown. Its evaluate then waits out its 30 s timeout. After 3 s the frame's own target
// is asked directly over the DevTools protocol instead.
const late = Symbol('late');
export async function inFrame(frame, fn, arg) {
  let timer;
  const slow = new Promise((resolve) => { timer = setTimeout(() => resolve(late), 3000); });
  const first = frame.evaluate(fn, arg);
  first.catch(() => {}); // settled after the fallback below answered: nothing more to say
  try {
    const got = await Promise.race([first, slow]);
    if (got !== late) return got;
  } finally {
    clearTimeout(timer);
  }
  const target = frame.page().browser().targets().find((t) => t.url() === frame.url());
  if (!target) throw new Error(`e2e: no answer from the frame ${frame.url()} and no target to ask`);
  const cdp = await target.createCDPSession();
  try {
    const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', {
      expression: `(${fn})(${JSON.stringify(arg)})`, returnByValue: true, awaitPromise: true,
    });
    if (exceptionDetails) throw new Error(`e2e: in ${frame.url()}: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
    return result.value;
  } finally {
    await cdp.detach().catch(() => {});
  }
}

// bannerFrames lists the extension's banner frames in page order, with what each shows.
export async function banners(page, origin) {
  const out = [];
  // Firefox's frame list keeps a child frame's first URL (about:blank), so each frame is asked.
  for (const frame of page.frames().slice(1)) {
    const shown = await inFrame(frame, (bannerPage) => {
      if (!location.href.startsWith(bannerPage)) return null;
      // A spare frame (content/banner-host.js), loaded ahead, shows nothing and is no banner.
      if (!document.body?.dataset.status) return null;
      return {
        status: document.body.dataset.status ?? '',
        severity: document.body.dataset.severity ?? '',
        headline: document.querySelector('.headline')?.textContent ?? '',
        mark: document.querySelector('.mark-word')?.textContent ?? '',
        // What is drawn: the banner, without the live region that repeats its words for screen readers.
        text: (document.getElementById('banner') ?? document.body).innerText,
      };
    }, `${origin}/pages/banner.html`).catch(() => null);
    if (shown) out.push(shown);
  }
  return out;
}

// backgroundStats asks the background for its stats from one of page's banner frames (an
// extension page that may): Firefox's WebDriver BiDi cannot open moz-extension:// pages in a tab,
// but can run script in a frame.
export async function backgroundStats(b, page) {
  for (const frame of page.frames().slice(1)) {
    const got = await inFrame(frame, async (origin) => {
      if (!location.href.startsWith(origin)) return null;
      return (await (globalThis.browser ?? chrome).runtime.sendMessage({ request: 'stats' })).result;
    }, b.origin).catch(() => null);
    if (got) return got;
  }
  throw new Error('e2e: no banner frame to ask for stats');
}

// settle waits until every mailseal host in the page is shown or hidden, and n hosts exist.
export async function settle(page, n, timeout = 20000) {
  await page.waitForFunction((count) => {
    const hosts = [...document.querySelectorAll('[data-mailseal]')].filter((h) => h.tagName === 'DIV' && h.shadowRoot === null && !h.closest('.a3s, [aria-label="Message body"]'));
    return hosts.length >= count && hosts.every((h) => ['shown', 'hidden'].includes(h.getAttribute('data-mailseal')));
  }, { timeout, polling: 50 }, n);
}

// journal records what the browser says (console lines and errors of pages and the extension's
// worker) and the steps a test reaches, with times, so that a failure in CI can be read from the
// log alone: print() writes it to the test output.
export function journal(b) {
  const started = Date.now();
  const lines = [];
  const add = (who, text) => { lines.push(`${String(Date.now() - started).padStart(6)} ms ${who}: ${text}`); if (lines.length > 400) lines.shift(); };
  const watchPage = (page) => {
    const who = () => `page ${page.url().slice(0, 90)}`;
    page.on('console', (m) => add(who(), `console.${m.type()} ${m.text()}`));
    page.on('pageerror', (e) => add(who(), `error ${e.message}`));
    page.on('requestfailed', (r) => add(who(), `request failed ${r.url()} ${r.failure()?.errorText ?? ''}`));
    page.on('error', (e) => add(who(), `crashed: ${e.message}`));
    page.on('close', () => add(who(), 'closed'));
    page.on('framenavigated', (f) => f === page.mainFrame() && add(who(), 'navigated'));
  };
  const watchTarget = async (t) => {
    try {
      if (t.type() === 'page') watchPage(await t.page());
      else if (t.type() === 'service_worker') {
        add('worker', `started ${t.url()}`);
        const w = await t.worker();
        w?.on('console', (m) => add('worker', `console.${m.type()} ${m.text()}`));
      }
    } catch (err) {
      add('journal', `cannot watch ${t.type()}: ${err.message}`);
    }
  };
  if (b.kind === 'chromium') {
    b.browser.on('targetcreated', watchTarget);
    b.browser.on('targetdestroyed', (t) => t.type() === 'service_worker' && add('worker', 'stopped'));
    for (const t of b.browser.targets()) watchTarget(t);
  }
  return {
    step: (text) => add('test', text),
    print: (why) => {
      const targets = b.browser.targets().map((t) => `  ${t.type()} ${t.url().slice(0, 100)}`);
      console.log(`journal (${why}):\n${lines.join('\n')}\ntargets now:\n${targets.join('\n')}`);
    },
  };
}

// optionsRequest sends the background a request from the options page itself, as the options
// page does (each request lists the pages that may send it: saveSettings and the user's roots
// only from there). Returns the background's answer, {result} or {error}. The page is opened once
// per browser: in Chromium by URL; in Firefox, whose WebDriver BiDi cannot open a
// moz-extension:// page itself, a Write signed click in `page` (a Gmail page) opens mailseal's
// compose window, which then navigates itself to the options page.
export async function optionsRequest(b, page, request, args = {}) {
  return optionsEval(b, page, async (r, a) => {
    // The event page may be stopping (2 s idle in the tests): send again, as request.js does.
    for (let i = 0; ; i++) {
      try {
        return await (globalThis.browser ?? chrome).runtime.sendMessage({ request: r, args: a });
      } catch (err) {
        if (i >= 5 || !/Receiving end does not exist/.test(err.message)) throw err;
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
    }
  }, request, args);
}

// optionsEval runs fn in the options page (a top-level extension page with every extension API).
export async function optionsEval(b, page, fn, ...args) {
  b.optionsPage ??= await extensionPage(b, page, 'options.html');
  const out = await b.optionsPage.evaluate(fn, ...args);
  await page.bringToFront();
  return out;
}

// pageRequest sends the background a request from one of our pages opened at the top of its own
// tab or window (popup.html, first-run.html, …), as that page would: the callers a request
// accepts are pages, by name (background/sender.js).
export async function pageRequest(b, page, name, request, args = {}) {
  const p = await extensionPage(b, page, name);
  try {
    return await p.evaluate((r, a) => (globalThis.browser ?? chrome).runtime.sendMessage({ request: r, args: a }), request, args);
  } finally {
    await p.close().catch(() => {});
    await page.bringToFront();
  }
}

// extensionPage opens pages/NAME at the top level: in Chromium by URL; in Firefox, whose
// WebDriver BiDi cannot open a moz-extension:// page itself, a Write signed click in `page` (a
// Gmail page) opens mailseal's compose window, which then navigates itself to NAME.
export async function extensionPage(b, page, name) {
  const url = `${b.origin}/pages/${name}`;
  if (b.kind === 'chromium') {
    const p = await b.browser.newPage();
    await p.goto(url);
    return p;
  }
  const button = '[gh="mtb"] [data-mailseal-compose="button"]';
  await page.bringToFront();
  await page.waitForSelector(button);
  await page.click(button);
  const until = Date.now() + 15000;
  while (Date.now() < until) {
    for (const p of await b.browser.pages()) {
      const href = await p.evaluate(() => location.href).catch(() => '');
      if (href.startsWith(`${b.origin}/pages/compose.html`)) await p.evaluate((u) => { location.href = u; }, url).catch(() => {});
      if (href === url && await p.evaluate(() => document.readyState === 'complete').catch(() => false)) return p;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`e2e: ${name} did not open`);
}
