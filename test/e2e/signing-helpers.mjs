// Shared by the signing end-to-end tests (signing.test.mjs in Chromium, signing-firefox.test.mjs):
// the test identity, openssl's verdict on what was sent, and mailseal's compose window driven
// with the real mouse and keyboard (puppeteer's input is the browser's own, trusted input).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultVectors } from '../../demo/server.mjs';
import { root, startWorld, launch } from './harness.mjs';

export const account = 'demo@mailseal.test';
export const p12Password = 'p12-pass-Zq8rT';
export const passphrase = 'long passphrase Kx4!vW9 for the demo';

export const skip = !existsSync(join(defaultVectors, 'root.pem')) ? `no fixture root in ${defaultVectors} (make testdata)`
  : !existsSync('/usr/bin/openssl') ? 'openssl is missing' : false;

/** identityFiles writes a V4 PKCS #12 identity of the demo account (test/e2e/p12) and its key. */
export function identityFiles() {
  return identityOf(account, p12Password);
}

/** identityOf writes a V4 PKCS #12 identity of email under password (test/e2e/p12) and its key. */
export function identityOf(email, password) {
  const dir = mkdtempSync(join(tmpdir(), 'mailseal-identity-'));
  execFileSync('go', ['run', './test/e2e/p12', '-email', email, '-password', password, '-out', dir], { cwd: root, stdio: 'pipe' });
  return { p12: join(dir, 'identity.p12'), key: readFileSync(join(dir, 'key.der')), dir };
}

/**
 * signedInGmail starts a demo world named name, launches kind with its extension, opens the demo
 * Gmail inbox in a 1200×800 page and imports the demo account's identity through the page's own
 * request (ids, by default a new one from identityFiles). onLaunch(b) runs as soon as the browser
 * is up and onPage(page) before the page loads (to watch their consoles). Returns {world, b, page}.
 */
export async function signedInGmail(kind, name, { ids = identityFiles(), onLaunch = () => {}, onPage = () => {} } = {}) {
  const world = await startWorld(name);
  const b = await launch(kind, world.extDirs[kind]);
  onLaunch(b);
  const page = await b.browser.newPage();
  onPage(page);
  await page.setViewport({ width: 1200, height: 800 });
  await page.goto(`${world.demo.gmail}/mail/u/0/`);
  await page.waitForSelector('[gh="mtb"] [data-mailseal-compose="button"]');
  const imported = await importIdentity(b, page, ids);
  if (!imported.ok) throw new Error(`e2e: the demo identity was not imported: ${imported.message}`);
  return { world, b, page };
}

/** opensslVerifies returns '' when `openssl cms -verify` accepts raw under the fixture root, else its complaint. */
export function opensslVerifies(raw, dir, name) {
  const file = join(dir, `${name}.eml`);
  writeFileSync(file, raw);
  try {
    execFileSync('openssl', ['cms', '-verify', '-in', file, '-CAfile', join(defaultVectors, 'root.pem'), '-out', '/dev/null'], { stdio: 'pipe' });
    return '';
  } catch (err) {
    return String(err.stderr);
  }
}

/**
 * composeWindows lists the compose windows open now (pages at origin/pages/compose.html). Each
 * page is asked for its location: Firefox's target list keeps a window's first URL.
 */
export async function composeWindows(b) {
  const out = [];
  for (const p of await b.browser.pages()) {
    const href = await p.evaluate(() => location.href).catch(() => '');
    if (href.startsWith(`${b.origin}/pages/compose.html`)) out.push(p);
  }
  return out;
}

/** composeWindow waits for a compose window to open and load its context, and returns it. */
export async function composeWindow(b, timeout = 15000) {
  const until = Date.now() + timeout;
  while (Date.now() < until) {
    const [win] = await composeWindows(b);
    if (win) {
      await win.waitForSelector('#from option, #refused:not([hidden]), #no-identity:not([hidden])', { timeout: 15000 });
      // A new window may not have laid out yet (Firefox): nothing has a box to click before.
      await win.waitForFunction(() => innerWidth > 0 && innerHeight > 0 && document.querySelector('#review')?.getClientRects().length > 0, { timeout: 15000, polling: 50 });
      return win;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no compose window opened');
}

/** recipientsOf is what a recipient field (to, cc, bcc) holds: its chips and what is still typed. */
export async function recipientsOf(win, field) {
  return win.$eval(`#${field}`, (n) => [...n.parentElement.querySelectorAll('.chip bdi')].map((c) => c.textContent).concat(n.value.trim() || []).join(', '));
}

/** writeSigned presses Write signed in the webmail (scope: its compose window or toolbar) with the real mouse. */
export async function writeSigned(b, page, scope) {
  await page.bringToFront();
  await page.waitForSelector(`${scope} [data-mailseal-compose="button"]`);
  await page.click(`${scope} [data-mailseal-compose="button"]`);
  return composeWindow(b);
}

/** result waits for the compose window's outcome of a send. */
export async function result(win) {
  await win.waitForFunction(() => ['ok', 'error'].includes(document.querySelector('#result').dataset.kind), { timeout: 90000, polling: 100 });
  return win.$eval('#result', (n) => ({ kind: n.dataset.kind, text: n.textContent }));
}

/**
 * review goes to the compose window's last step (real mouse), types the passphrase there when
 * one is given (real keyboard), and returns what the step names.
 */
export async function review(win, pass) {
  await click(win, '#review');
  await win.waitForSelector('#confirm:not([hidden])');
  if (pass) await win.type('#passphrase', pass);
  return win.evaluate(() => ({
    identity: document.querySelector('#confirm-identity').innerText,
    recipients: document.querySelector('#confirm-recipients').innerText,
    locked: !document.querySelector('#unlock').hidden,
  }));
}

/** pressSend waits out the step's delay and presses Sign and send with the real mouse. */
export async function pressSend(win) {
  await win.waitForSelector('#send[data-gate="ready"], #send[data-gate="armed"]', { timeout: 30000 });
  await win.evaluate(() => document.querySelector('#result').removeAttribute('data-kind'));
  await click(win, '#send');
  return result(win);
}

// click presses a button with the real mouse once it has a box: Firefox's popup window can
// report "not clickable" for a moment after its content changed; one retry covers it.
async function click(win, selector) {
  await win.waitForSelector(selector, { visible: true });
  try {
    await win.click(selector);
  } catch (err) {
    if (!/not clickable/.test(err.message)) throw err;
    await new Promise((r) => setTimeout(r, 200));
    await win.click(selector);
  }
}

/** sendFrom goes through both steps of a compose window and returns what it says. */
export async function sendFrom(win, pass) {
  await review(win, pass);
  return pressSend(win);
}

/**
 * importIdentity imports the test identity from the identity page, reached in a compose window
 * (Firefox's WebDriver BiDi cannot open a moz-extension:// page itself; an extension page may
 * navigate to another). The page's own request, as its file picker would send it.
 */
export async function importIdentity(b, page, ids, scope = '[gh="mtb"]') {
  const win = await writeSigned(b, page, scope);
  await win.evaluate(() => { location.href = location.href.replace(/compose\.html.*$/, 'identity.html'); });
  await win.waitForFunction(() => location.pathname.endsWith('/identity.html') && document.readyState === 'complete', { polling: 100 });
  const p12 = readFileSync(ids.p12).toString('base64');
  const imported = await win.evaluate(async (data, password, pass) => {
    const p12 = { base64: data };
    // The event page may be stopping (2 s idle in the tests): send again, as request.js does.
    let answer;
    for (let i = 0; !answer; i++) {
      answer = await (globalThis.browser ?? chrome).runtime.sendMessage({ request: 'identityImport', args: { p12, password, passphrase: pass } })
        .catch((err) => { if (i >= 5 || !/Receiving end does not exist/.test(err.message)) throw err; return new Promise((r) => setTimeout(r, 300)); });
    }
    // A failure is {error: {code, message}} (extension/src/protocol.js).
    return answer.error ? { ok: false, ...answer.error } : { ok: true, ...answer.result };
  }, p12, p12Password, passphrase);
  await win.close();
  return imported;
}
