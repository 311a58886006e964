// Every screen of mailseal, photographed on the demo webmail: each banner state in Gmail and
// Outlook, the details, the toolbar popup, the options and identity pages, the compose window in
// each of its states (compose-screens.mjs) and the page a new user sees first, in English and
// Simplified Chinese, light and dark. `make demo` without a display writes them with one index
// page (out/demo/screenshots/index.html).
import puppeteer from 'puppeteer-core';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeScreens, demoIdentity, passphrase } from './compose-screens.mjs';

export const variants = [
  { id: 'en-light', lang: 'en-US', theme: 'light', title: 'English, light' },
  { id: 'en-dark', lang: 'en-US', theme: 'dark', title: 'English, dark' },
  { id: 'zh-light', lang: 'zh-CN', theme: 'light', title: '简体中文, light' },
  { id: 'zh-dark', lang: 'zh-CN', theme: 'dark', title: '简体中文, dark' },
];

const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

// The order a reader meets the verdicts in: the levels, then every other status.
const statusOrder = ['valid', 'partial', 'mismatch', 'expired', 'revoked', 'untrusted', 'weak', 'unsupported', 'invalid',
  'malformed', 'encrypted', 'unsigned', 'unavailable'];

// Screens that are not one verdict each: a body imitating our banner, and a display name that
// claims more than the certificate (a valid V1 signature, told apart by its warning).
// Two untrusted chains are told apart: an intermediate left out, and a root nobody trusts.
const special = {
  'untrusted-missing-intermediate': 'untrusted missing-intermediate', 'untrusted-unknown-root': 'untrusted unknown-root',
  'spoof-banner': 'spoof', 'valid-display-name-trick': 'display-name',
};

/**
 * bannerStates picks one single-message thread per verdict (status and level) the inbox holds,
 * the display-name trick and the spoof.
 */
export function bannerStates(threads) {
  const seen = new Map();
  for (const t of threads) {
    if (t.members.length !== 1 || t.hiddenInGraph || t.graphOnly) continue;
    const m = t.members[0];
    if (!m.expect) continue; // a message the compose screens sent during the run
    if (m.expect.warning && !special[m.name]) continue; // not the plain look of its level
    // The sender memory's sequence has its own screens (memoryStates); a message whose verdict
    // depends on what the memory holds is no verdict's plain look.
    if (m.name.startsWith('memory-') || m.expect.remembered) continue;
    // EFAIL's shape (an encrypted part in unsigned mail) is an attack, not the look of unsigned mail.
    if (m.name === 'encrypted-demo-part-only') continue;
    const key = special[m.name] ?? `${m.expect.expect}${m.expect.level ? ` ${m.expect.level}` : ''}`;
    if (!seen.has(key)) seen.set(key, { key, thread: t, message: m });
  }
  const last = ['spoof', 'display-name'];
  const rank = (k) => (last.includes(k) ? 98 + last.indexOf(k) : statusOrder.indexOf(k.split(' ')[0]) * 10 + (Number(k.split(' V')[1]) || 0)
    + (k.includes('missing-intermediate') ? 1 : k.includes('unknown-root') ? 2 : 0));
  return [...seen.values()].sort((a, b) => rank(a.key) - rank(b.key));
}

/**
 * memoryStates lists the sender memory's sequence (testdata/vectors/memory-*) in order: the
 * messages that teach it, and (shoot) those that show a warning once it has learnt.
 */
export function memoryStates(threads) {
  return threads
    .filter((t) => t.members.length === 1 && !t.graphOnly && t.members[0].name.startsWith('memory-'))
    .map((t) => ({ thread: t, message: t.members[0], shoot: t.members[0].name >= 'memory-07' }))
    .sort((a, b) => a.message.name.localeCompare(b.message.name));
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// settled waits until every banner host of the page has been shown or hidden.
async function settled(page, n) {
  await page.waitForFunction((count) => {
    const hosts = [...document.querySelectorAll('div[data-mailseal]')].filter((h) => !h.closest('.a3s, [aria-label="Message body"]'));
    return hosts.length >= count && hosts.every((h) => ['shown', 'hidden'].includes(h.getAttribute('data-mailseal')));
  }, { timeout: 20000, polling: 50 }, n);
}

async function bannerFrame(page, origin) {
  for (const frame of page.frames().slice(1)) {
    const href = await frame.evaluate(() => location.href).catch(() => '');
    if (href.startsWith(`${origin}/pages/banner.html`) && await frame.evaluate(() => Boolean(document.body?.dataset.status)).catch(() => false)) return frame;
  }
  return null;
}

/**
 * capture photographs every screen in each variant and returns what it wrote:
 * [{screen, title, variant, file}] with file relative to out.
 */
export async function capture({ demo, extension, out, chromium, only = variants.map((v) => v.id), log = console.log }) {
  mkdirSync(out, { recursive: true });
  const shots = [];
  const ids = demoIdentity();
  const webmails = {
    gmail: (t, dark) => `${demo.gmail}/mail/u/0/${dark ? '?theme=dark' : ''}#inbox/${t.id}`,
    outlook: (t, dark) => `${demo.outlook}/mail/inbox/id/${encodeURIComponent(t.convId)}${dark ? '?theme=dark' : ''}`,
  };
  for (const variant of variants.filter((v) => only.includes(v.id))) {
    const dark = variant.theme === 'dark';
    const userDataDir = mkdtempSync(join(tmpdir(), 'mailseal-demo-shots-'));
    const browser = await puppeteer.launch({
      executablePath: chromium, headless: true, pipe: true, userDataDir,
      enableExtensions: [extension], ignoreDefaultArgs: ['--disable-extensions'],
      args: [...chromiumArgs, `--lang=${variant.lang}`],
    });
    const started = Date.now();
    let count = 0;
    const shoot = async (page, screen, title, opts = {}) => {
      const file = join(variant.id, `${screen}.png`);
      mkdirSync(join(out, variant.id), { recursive: true });
      await page.screenshot({ path: join(out, file), ...opts });
      shots.push({ screen, title, variant: variant.id, file });
      count++;
    };
    const themed = async (page) => {
      await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: variant.theme }]);
      await page.setViewport({ width: 1000, height: 700 });
    };
    try {
      const worker = await browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().endsWith('/background.js'), { timeout: 15000 });
      const origin = worker.url().replace(/\/background\.js$/, '');

      // The page the extension opens on install is the first thing a new user sees.
      const welcome = await browser.waitForTarget((t) => t.type() === 'page' && t.url().startsWith(`${origin}/pages/`), { timeout: 10000 }).catch(() => null);
      if (welcome) {
        const page = await welcome.page();
        await themed(page);
        await page.reload({ waitUntil: 'networkidle0' });
        await page.bringToFront();
        await shoot(page, 'first-run', 'First run: the page opened on install', { fullPage: true });
        await page.close();
      } else {
        log(`demo: ${variant.id}: the extension opened no page on install`);
      }

      const page = await browser.newPage();
      await page.setViewport({ width: 1000, height: 700 });
      for (const state of bannerStates(demo.threads)) {
        for (const [provider, url] of Object.entries(webmails)) {
          await page.goto('about:blank');
          await page.goto(url(state.thread, dark));
          await settled(page, 1).catch(() => log(`demo: ${variant.id} ${provider} ${state.message.name}: no banner in time`));
          await page.bringToFront(); // Outlook's silent sign-in window leaves the tab in the background
          await shoot(page, `banner-${state.key.replace(' ', '-')}-${provider}`, `${provider === 'gmail' ? 'Gmail' : 'Outlook'}: ${state.key} (${state.message.name})`);
        }
      }

      // The details, opened as a person would: of a V4 signature in both webmails (and its
      // technical details), and in Gmail of a partly signed message, an untrusted root and a
      // message not checked.
      const states = bannerStates(demo.threads);
      const v4 = states.find((s) => s.key === 'valid V4');
      const detailed = [
        ...Object.keys(webmails).map((provider) => ({ provider, state: v4, screen: `details-${provider}`, what: 'details of a V4 signature' })),
        { provider: 'gmail', state: v4, screen: 'details-technical-gmail', what: 'technical details of a V4 signature', technical: true },
        ...[['partial', 'a partly signed message'], ['untrusted unknown-root', 'a signature under an untrusted root'], ['unavailable', 'a message not checked']]
          .map(([key, what]) => ({ provider: 'gmail', state: states.find((s) => s.key === key), screen: `details-${key.replace(' ', '-')}-gmail`, what: `details of ${what}` })),
      ].filter((d) => d.state);
      for (const { provider, state, screen, what, technical } of detailed) {
        await page.goto('about:blank');
        await page.goto(webmails[provider](state.thread, dark));
        await settled(page, 1);
        await page.bringToFront();
        const frame = await bannerFrame(page, origin);
        await frame.click('button.summary');
        await frame.waitForFunction(() => document.querySelector('button.summary').getAttribute('aria-expanded') === 'true', { polling: 100 });
        if (technical) await frame.click('details.technical > summary');
        await page.setViewport({ width: 1000, height: technical ? 1400 : 900 });
        await sleep(300); // the host grows to the details' height
        await shoot(page, screen, `${provider === 'gmail' ? 'Gmail' : 'Outlook'}: ${what}`);
        await page.setViewport({ width: 1000, height: 700 });
      }

      // The sender memory: the bank's signed mail (memory-01 to 07) is opened, then each message
      // that breaks the pattern is photographed with its warning; the options page after it
      // lists what was kept.
      for (const [provider, url] of Object.entries(webmails)) {
        for (const state of memoryStates(demo.threads)) {
          await page.goto('about:blank');
          await page.goto(url(state.thread, dark));
          await settled(page, 1).catch(() => log(`demo: ${variant.id} ${provider} ${state.message.name}: no banner in time`));
          await page.bringToFront();
          if (state.shoot) {
            await sleep(300); // the host grows to the warning's height
            await shoot(page, `memory-${state.message.name.slice('memory-'.length)}-${provider}`,
              `${provider === 'gmail' ? 'Gmail' : 'Outlook'}: sender memory, ${state.message.expect.description}`);
          }
        }
      }

      // The toolbar popup over a Gmail tab that shows a V4 banner.
      await page.goto('about:blank');
      await page.goto(webmails.gmail(v4.thread, dark));
      await settled(page, 1);
      await page.bringToFront();
      const sw = await (await browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith(origin))).worker();
      const opened = await sw.evaluate(() => chrome.action.openPopup().then(() => '', (e) => e.message));
      const popupTarget = opened ? null : await browser.waitForTarget((t) => t.url() === `${origin}/pages/popup.html`, { timeout: 5000 }).catch(() => null);
      if (popupTarget) {
        const popup = await popupTarget.asPage();
        await popup.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: variant.theme }]);
        await popup.waitForFunction(() => document.getElementById('status')?.childElementCount > 0, { polling: 100, timeout: 5000 }).catch(() => {});
        await shoot(popup, 'popup', 'Toolbar popup over a Gmail tab');
        await popup.close().catch(() => {});
      } else {
        log(`demo: ${variant.id}: the popup did not open (${opened || 'no popup page'})`);
      }

      for (const [screen, path, title] of [['options', 'options.html', 'Options'], ['identity', 'identity.html', 'Signing identity']]) {
        const p = await browser.newPage();
        await themed(p);
        await p.goto(`${origin}/pages/${path}`, { waitUntil: 'networkidle0' });
        await shoot(p, screen, title, { fullPage: true });
        await p.close();
      }

      // The compose window and the identity page with an identity (compose-screens.mjs).
      await composeScreens({ browser, origin, ids, themed, shoot, log });

      // The decrypt window, opened from the banner of the demo's encrypted message (to the demo
      // identity's key, which the compose screens imported and unlocked).
      const encrypted = demo.threads.find((t) => t.members.length === 1 && t.members[0].name === 'encrypted-demo-signed');
      if (encrypted) {
        try {
          await page.goto('about:blank');
          await page.goto(webmails.gmail(encrypted, dark));
          await settled(page, 1);
          await page.bringToFront();
          await (await bannerFrame(page, origin)).click('.decrypt-open');
          const target = await browser.waitForTarget((t) => t.url().startsWith(`${origin}/pages/decrypt.html`), { timeout: 10000 });
          const win = await target.asPage();
          await themed(win);
          await win.setViewport({ width: 820, height: 860 });
          await win.bringToFront();
          await win.waitForFunction(() => ['shown', 'locked'].includes(document.body.dataset.state), { polling: 100, timeout: 30000 });
          if (await win.evaluate(() => document.body.dataset.state === 'locked')) {
            await win.type('#passphrase', passphrase);
            await win.click('#unlock-button');
            await win.waitForFunction(() => document.body.dataset.state === 'shown', { polling: 100, timeout: 30000 });
          }
          await sleep(300);
          await shoot(win, 'decrypt-window', 'Decrypt window: an encrypted, signed message read in an extension-owned window', { fullPage: true });
          await win.close().catch(() => {});
        } catch (err) {
          log(`demo: ${variant.id}: decrypt window: ${err.message}`);
        }
      }
    } finally {
      await browser.close().catch(() => {});
      rmSync(userDataDir, { recursive: true, force: true });
    }
    log(`demo: ${variant.title}: ${count} screenshots in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  writeFileSync(join(out, 'index.html'), indexPage(shots));
  writeFileSync(join(out, 'screens.json'), JSON.stringify(shots, null, 2));
  return shots;
}

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** indexPage lays the screenshots out as one page: a row per screen, a column per variant. */
export function indexPage(shots) {
  const used = variants.filter((v) => shots.some((s) => s.variant === v.id));
  const screens = [...new Map(shots.map((s) => [s.screen, s.title])).entries()];
  const rows = screens.map(([screen, title]) => `<section id="${escape(screen)}"><h2>${escape(title)}</h2><div class="row">${used.map((v) => {
    const s = shots.find((x) => x.screen === screen && x.variant === v.id);
    return s ? `<figure><a href="${escape(s.file)}"><img loading="lazy" src="${escape(s.file)}" alt="${escape(`${title}, ${v.title}`)}"></a><figcaption>${escape(v.title)}</figcaption></figure>` : '';
  }).join('')}</div></section>`).join('\n');
  // What was validated decides the look: V4 (a person in an organization), V1 (an address only)
  // and a display name claiming another address, side by side in each variant.
  const compared = ['banner-valid-V4-gmail', 'banner-valid-V1-gmail', 'banner-display-name-gmail'];
  const levels = used.map((v) => {
    const row = compared.map((screen) => shots.find((x) => x.screen === screen && x.variant === v.id)).filter(Boolean);
    return row.length ? `<h3>${escape(v.title)}</h3><div class="row levels">${row.map((s) => `<figure><a href="${escape(s.file)}"><img loading="lazy" src="${escape(s.file)}" alt="${escape(`${s.title}, ${v.title}`)}"></a><figcaption>${escape(s.title)}</figcaption></figure>`).join('')}</div>`
      : '';
  }).join('\n');
  const toc = screens.map(([screen, title]) => `<li><a href="#${escape(screen)}">${escape(title)}</a></li>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>mailseal: every screen</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1f2328;background:#fff}
h1{font-size:22px}h2{font-size:16px;margin:28px 0 8px}
.row{display:grid;grid-template-columns:repeat(${used.length},1fr);gap:12px}
.levels{grid-template-columns:repeat(3,1fr)}h3{font-size:14px;margin:12px 0 4px}
figure{margin:0}img{width:100%;border:1px solid #d0d7de;border-radius:4px}figcaption{color:#59636e;font-size:12px}
ul{columns:3}
</style></head><body>
<h1>mailseal: every screen (${shots.length} screenshots, ${used.map((v) => escape(v.title)).join(' · ')})</h1>
<ul><li><a href="#levels">V4, V1 and a display-name trick side by side</a></li>${toc}</ul>
${levels ? `<section id="levels"><h2>V4, V1 and a display-name trick side by side (Gmail)</h2>${levels}</section>` : ''}
${rows}
</body></html>
`;
}
