// make demo (through scripts/demo.sh): start the demo webmail, build the extension's demo variant
// for it, and open Chromium with it. Headless when there is no display: one screenshot per message
// and webmail, in out/demo/screenshots/.
import puppeteer from 'puppeteer-core';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDemo } from './server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const out = join(root, 'out', 'demo');
const chromium = process.env.CHROMIUM ?? '/usr/bin/chromium';
const headless = !process.env.DISPLAY || process.argv.includes('--headless');

const demo = await startDemo({
  gmailPort: Number(process.env.DEMO_GMAIL_PORT ?? 8701),
  outlookPort: Number(process.env.DEMO_OUTLOOK_PORT ?? 8702),
});
mkdirSync(out, { recursive: true });
const policyFile = join(out, 'demo-policy.json');
writeFileSync(policyFile, JSON.stringify(demo.policy, null, 2));
execFileSync(process.execPath, [join(root, 'extension', 'build.mjs'), '--demo', policyFile, '--out', join(out, 'ext')], { stdio: 'inherit' });
const extension = join(out, 'ext', 'chrome');

console.log(`demo: Gmail   ${demo.gmail}/mail/u/0/`);
console.log(`demo: Outlook ${demo.outlook}/mail/inbox`);
console.log(`demo: ${demo.inbox.length} messages; extension (demo build) in ${relative(root, extension)}`);

const browser = await puppeteer.launch({
  executablePath: chromium,
  headless,
  dumpio: Boolean(process.env.DEMO_DEBUG),
  pipe: true,
  enableExtensions: [extension],
  ignoreDefaultArgs: ['--disable-extensions'],
  userDataDir: mkdtempSync(join(tmpdir(), 'mailseal-demo-')),
  defaultViewport: headless ? { width: 1000, height: 700 } : null,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', '--lang=en-US'],
});

if (!headless) {
  const [first] = await browser.pages();
  await first.goto(`${demo.gmail}/mail/u/0/`);
  const second = await browser.newPage();
  await second.goto(`${demo.outlook}/mail/inbox`);
  console.log('demo: Chromium is open; close it or press Ctrl-C to stop');
  const stop = async () => { await browser.close().catch(() => {}); await demo.close(); process.exit(0); };
  browser.on('disconnected', stop);
  process.on('SIGINT', stop);
} else {
  const shots = join(out, 'screenshots');
  mkdirSync(shots, { recursive: true });
  const page = await browser.newPage();
  const views = {
    gmail: (t) => `${demo.gmail}/mail/u/0/#inbox/${t.id}`,
    outlook: (t) => `${demo.outlook}/mail/inbox/id/${encodeURIComponent(t.convId)}`,
  };
  for (const t of demo.threads) {
    for (const [provider, url] of Object.entries(views)) {
      await page.goto('about:blank');
      await page.goto(url(t));
      await page.waitForFunction((n) => {
        const hosts = [...document.querySelectorAll('div[data-mailseal]')].filter((h) => !h.closest('.a3s, [aria-label="Message body"]'));
        return hosts.length >= n && hosts.every((h) => ['shown', 'hidden'].includes(h.getAttribute('data-mailseal')));
      }, { timeout: 20000, polling: 50 }, t.members.length).catch(() => console.log(`demo: ${provider} ${t.id}: no banner in time`));
      // The silent Outlook sign-in (launchWebAuthFlow) opens a hidden window that leaves this
      // page in the background, where headless Chromium never paints it for a screenshot.
      await page.bringToFront();
      const name = t.members.length === 1 && !t.hiddenInGraph && !t.graphOnly ? t.members[0].name : t.id;
      await page.screenshot({ path: join(shots, `${provider}-${name}.png`) });
    }
  }
  console.log(`demo: no display, so Chromium ran headless; ${demo.threads.length * 2} screenshots in ${relative(process.cwd(), shots)}/`);
  await browser.close();
  await demo.close();
}
