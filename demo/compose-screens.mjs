// The compose window and the identity page, photographed for the demo set (screens.mjs): the
// window with no identity, the identity page with the demo's V4 identity (test/e2e/p12) imported,
// and for Gmail and Outlook the window as a person writes in it (recipient chips, one of them
// not an address; formatted text and its preview; an attachment and the provider's limit), the
// last step, a message too large for the provider, the question Esc asks, and the result of
// sending through the demo API.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const p12Password = 'demo-p12-password';
export const passphrase = 'a long demo passphrase 4 mailseal';

/** demoIdentity writes the demo account's V4 PKCS #12 file and an attachment, once per run. */
export function demoIdentity(account = 'demo@mailseal.test') {
  const dir = mkdtempSync(join(tmpdir(), 'mailseal-demo-identity-'));
  execFileSync('go', ['run', './test/e2e/p12', '-email', account, '-password', p12Password, '-out', dir], { cwd: root, stdio: 'pipe' });
  writeFileSync(join(dir, 'statement.pdf'), Buffer.alloc(180 * 1024, 0x25));
  writeFileSync(join(dir, 'scan.tiff'), Buffer.alloc(3.4 * 1024 * 1024, 0x49));
  return { p12: join(dir, 'identity.p12'), statement: join(dir, 'statement.pdf'), large: join(dir, 'scan.tiff') };
}

const text = `Dear Ms Smith,

Your **loan offer** is ready. Before you sign, please check:
- the _amount_ and the term
- the first payment date

Read the offer at [our site](https://bank.example/offers/1234) or call us.

Bob Clerk`;

/**
 * composeScreens photographs the compose states into shots with shoot(page, screen, title, opts);
 * themed(page) applies the variant's colour scheme and viewport.
 */
export async function composeScreens({ browser, origin, ids, themed, shoot, log }) {
  const page = await browser.newPage();
  await themed(page);
  await page.setViewport({ width: 760, height: 820 });
  const open = async () => {
    await page.goto('about:blank');
    await page.goto(`${origin}/pages/compose.html`, { waitUntil: 'networkidle0' });
    await page.bringToFront(); // headless Chromium paints only the tab in front
    await page.waitForSelector('#no-identity:not([hidden]), #from option');
  };
  try {
    await open();
    await shoot(page, 'compose-no-identity', 'Compose window: no signing identity yet', { fullPage: true });

    await page.goto(`${origin}/pages/identity.html`, { waitUntil: 'networkidle0' });
    // An answer is {result} or {error: {code, message}} (extension/src/protocol.js).
    const answer = await page.evaluate(async (p12, password, pass) => chrome.runtime.sendMessage({
      request: 'identityImport', args: { p12: { base64: p12 }, password, passphrase: pass },
    }), readFileSync(ids.p12).toString('base64'), p12Password, passphrase);
    if (!answer?.result) throw new Error(`the demo identity was not imported: ${answer?.error?.message ?? 'no answer'}`);
    await page.reload({ waitUntil: 'networkidle0' });
    await page.bringToFront();
    await page.waitForSelector('#summary tr');
    await shoot(page, 'identity-imported', 'Signing identity: the demo V4 identity imported', { fullPage: true });

    for (const [provider, name] of [['gmail', 'Gmail'], ['outlook', 'Outlook']]) {
      await open();
      await page.select('#provider', provider);
      await page.type('#to', 'Ann Smith <ann.smith@example.net>, ann smith at example');
      await page.keyboard.press('Enter');
      await page.type('#subject', 'Your loan offer');
      await page.focus('#text');
      await page.evaluate((t) => { const ta = document.querySelector('#text'); ta.value = t; ta.dispatchEvent(new Event('input', { bubbles: true })); }, text);
      await (await page.$('#files')).uploadFile(ids.statement);
      await page.waitForSelector('#attachments li');
      await shoot(page, `compose-${provider}`, `${name}: writing signed (chips, formatting, attachment, limit)`, { fullPage: true });

      await page.click('.chip.bad .chip-remove');
      await page.click('#review');
      await page.waitForSelector('#confirm:not([hidden])');
      await shoot(page, `compose-confirm-${provider}`, `${name}: the last step before signing`, { fullPage: true });
      if (provider === 'outlook') {
        await page.type('#passphrase', passphrase);
        await page.waitForSelector('#send[data-gate="ready"], #send[data-gate="armed"]', { timeout: 10000 });
        await page.click('#send');
        await page.waitForFunction(() => ['ok', 'error'].includes(document.querySelector('#result').dataset.kind), { timeout: 90000, polling: 100 });
        await shoot(page, `compose-sent-${provider}`, `${name}: signed and sent`, { fullPage: true });
      }
    }

    await open();
    await page.select('#provider', 'outlook');
    await (await page.$('#files')).uploadFile(ids.large);
    await page.waitForFunction(() => document.querySelector('#size').dataset.level === 'over', { polling: 100 });
    await shoot(page, 'compose-too-large-outlook', 'Outlook: an attachment over the size Graph takes', { fullPage: true });

    await open();
    await page.type('#text', 'A few words not sent yet.');
    await page.keyboard.press('Escape');
    await page.waitForSelector('#close-ask:not([hidden])');
    await shoot(page, 'compose-close-ask', 'Esc with unsent text asks first', { fullPage: true });
  } catch (err) {
    log(`demo: compose screens: ${err.message}`);
  } finally {
    await page.close().catch(() => {});
  }
}
