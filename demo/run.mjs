// make demo (through scripts/demo.sh): start the demo webmail, build the extension's demo variant
// for it, and show mailseal. With a display, Chromium opens with the extension on both webmails.
// Without one (or with --headless), it photographs every screen (demo/screens.mjs) into
// out/demo/screenshots/ with an index page, then keeps the demo webmail and the screenshots
// served on 127.0.0.1 until Ctrl+C.
//   node demo/run.mjs [--headless] [--screenshots-only] [--variants en-light,zh-dark]
import puppeteer from 'puppeteer-core';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDemo } from './server.mjs';
import { capture, variants } from './screens.mjs';
import { serveDir } from './static.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const out = join(root, 'out', 'demo');
const chromium = process.env.CHROMIUM ?? '/usr/bin/chromium';
const argv = process.argv.slice(2);
const headless = !process.env.DISPLAY || argv.includes('--headless');
const screenshotsOnly = argv.includes('--screenshots-only');
const only = (argv[argv.indexOf('--variants') + 1] ?? '').split(',').filter(Boolean);
const chosen = argv.includes('--variants') ? only : variants.map((v) => v.id);
const unknown = chosen.filter((id) => !variants.some((v) => v.id === id));
if (unknown.length) {
  console.error(`demo: no variant ${unknown.join(', ')}; the variants are ${variants.map((v) => v.id).join(', ')}`);
  process.exit(2);
}
const ports = {
  gmail: Number(process.env.DEMO_GMAIL_PORT ?? 8701),
  outlook: Number(process.env.DEMO_OUTLOOK_PORT ?? 8702),
  shots: Number(process.env.DEMO_SHOTS_PORT ?? 8703),
};
const shotsDir = join(out, 'screenshots');

console.log(headless
  ? `demo: no display${process.env.DISPLAY ? ' wanted' : ''}, so mailseal runs in headless Chromium. This will:
  1. serve a demo webmail on 127.0.0.1 (Gmail on port ${ports.gmail}, Outlook on ${ports.outlook}) and build the extension for it;
  2. photograph every screen (${chosen.length} of en/zh_CN × light/dark; about half a minute each) into ${relative(process.cwd(), shotsDir)}/;
  3. ${screenshotsOnly ? 'stop.' : `keep the webmail and the screenshots (http://127.0.0.1:${ports.shots}/) served until you press Ctrl+C.`}`
  : `demo: this will serve a demo webmail on 127.0.0.1 (Gmail on port ${ports.gmail}, Outlook on ${ports.outlook}), build the
  extension for it, and open Chromium with the extension on both webmails. Close Chromium or press Ctrl+C to stop.`);

const demo = await startDemo({ gmailPort: ports.gmail, outlookPort: ports.outlook });
mkdirSync(out, { recursive: true });
const policyFile = join(out, 'demo-policy.json');
writeFileSync(policyFile, JSON.stringify(demo.policy, null, 2));
execFileSync(process.execPath, [join(root, 'extension', 'build.mjs'), '--demo', policyFile, '--out', join(out, 'ext')], { stdio: 'inherit' });
const extension = join(out, 'ext', 'chrome');
const urls = `  Gmail:   ${demo.gmail}/mail/u/0/
  Outlook: ${demo.outlook}/mail/inbox`;
console.log(`demo: the demo webmail is up, ${demo.inbox.length} messages:\n${urls}`);

if (!headless) {
  const browser = await puppeteer.launch({
    executablePath: chromium, headless: false, dumpio: Boolean(process.env.DEMO_DEBUG), pipe: true,
    enableExtensions: [extension], ignoreDefaultArgs: ['--disable-extensions'],
    userDataDir: mkdtempSync(join(tmpdir(), 'mailseal-demo-')), defaultViewport: null,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const [first] = await browser.pages();
  await first.goto(`${demo.gmail}/mail/u/0/`);
  const second = await browser.newPage();
  await second.goto(`${demo.outlook}/mail/inbox`);
  console.log('demo: Chromium is open; close it or press Ctrl+C to stop');
  const stop = async () => { await browser.close().catch(() => {}); await demo.close(); process.exit(0); };
  browser.on('disconnected', stop);
  process.on('SIGINT', stop);
} else {
  rmSync(shotsDir, { recursive: true, force: true });
  const shots = await capture({ demo, extension, out: shotsDir, chromium, only: chosen });
  const index = join(shotsDir, 'index.html');
  console.log(`demo: ${shots.length} screenshots; open ${relative(process.cwd(), index)} to see them all`);
  if (screenshotsOnly) {
    await demo.close();
    process.exit(0);
  }
  const server = await serveDir(shotsDir, ports.shots);
  console.log(`demo: still serving until Ctrl+C:
${urls}
  Screenshots: http://127.0.0.1:${server.address().port}/
To try it yourself, load ${relative(process.cwd(), extension)} in Chromium (chrome://extensions, Developer mode,
Load unpacked) and open the Gmail or Outlook address above. From another machine, forward the ports
first: ssh -L ${ports.gmail}:127.0.0.1:${ports.gmail} -L ${ports.outlook}:127.0.0.1:${ports.outlook} -L ${ports.shots}:127.0.0.1:${ports.shots} <this host>`);
  process.on('SIGINT', async () => {
    server.close();
    await demo.close();
    console.log('\ndemo: stopped');
    process.exit(0);
  });
}
