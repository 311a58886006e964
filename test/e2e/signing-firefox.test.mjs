// Signing, end to end in headless Firefox ESR on the demo webmail. Firefox's WebDriver BiDi
// cannot open a moz-extension:// page in a tab, so the identity page is reached in a compose
// window mailseal opened (an extension page may navigate itself to another), and the PKCS #12
// file is handed to the import request from there, as the page's file picker would. Then as in
// Chromium: write signed from Gmail and Outlook in mailseal's compose window with the real mouse
// and keyboard, send through the demo APIs, openssl verifies, the inbox shows V4, and extension
// storage and the webmail's DOM hold no secret.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorld, launch, close, banners, settle } from './harness.mjs';
import { secretsIn } from './secrets.mjs';
import { account, p12Password, passphrase, skip, identityFiles, opensslVerifies, importIdentity, writeSigned, sendFrom } from './signing-helpers.mjs';

describe('signing in firefox', { skip }, () => {
  let world, b, page, ids;

  before(async () => {
    ids = identityFiles();
    world = await startWorld('signing-firefox');
    b = await launch('firefox', world.extDirs.firefox);
    page = await b.browser.newPage();
    await page.setViewport({ width: 1200, height: 800 });
  });
  after(async () => {
    if (b) await close(b);
    if (world) await world.demo.close();
  });

  async function bannerOf(url) {
    await page.bringToFront();
    await page.goto('about:blank');
    await page.goto(url);
    await settle(page, 1);
    return banners(page, b.origin);
  }

  it('imports, signs a Gmail reply, sends it and shows it valid', { timeout: 180_000 }, async () => {
    const thread = world.demo.threads.find((t) => t.members.length === 1 && t.members[0].expect.expect === 'valid');
    await page.goto(`${world.demo.gmail}/mail/u/0/#inbox/${thread.id}`);
    await settle(page, 1);
    const imported = await importIdentity(b, page, ids);
    assert.equal(imported.ok, true, imported.message);
    assert.equal(imported.summary.level, 'V4');

    await page.click('.demo-reply');
    const win = await writeSigned(b, page, '.btC');
    assert.equal(await win.$eval('#from', (n) => n.value), account);
    assert.match(await win.$eval('#text', (n) => n.value), /\n> /);
    const result = await sendFrom(win, passphrase);
    assert.equal(result.kind, 'ok', result.text);
    await win.close();
    const sent = world.demo.state.sent.at(-1);
    assert.equal(sent.api, 'gmail');
    assert.equal(sent.threadId, thread.id);
    assert.equal(opensslVerifies(Buffer.from(sent.raw, 'base64'), ids.dir, 'firefox-gmail'), '');
    const shown = await bannerOf(`${world.demo.gmail}/mail/u/0/#inbox/${world.demo.inbox.at(-1).legacy}`);
    assert.equal(shown[0]?.status, 'valid', shown[0]?.text);
    assert.match(shown[0].headline, /^V4\b/);
  });

  it('signs new mail in Outlook and sends it through Graph', { timeout: 150_000 }, async () => {
    await page.goto(`${world.demo.outlook}/mail/inbox`);
    await page.waitForSelector('[aria-label="New mail"]');
    await page.click('[aria-label="New mail"]');
    const win = await writeSigned(b, page, '[data-app-section="ComposeForm"]');
    await win.type('#to', 'bob@example.net');
    await win.type('#subject', 'Signed in Firefox');
    const result = await sendFrom(win);
    assert.equal(result.kind, 'ok', result.text);
    await win.close();
    const sent = world.demo.state.sent.at(-1);
    assert.equal(sent.api, 'outlook');
    assert.equal(opensslVerifies(Buffer.from(sent.raw, 'base64'), ids.dir, 'firefox-outlook'), '');
    const m = world.demo.inbox.at(-1);
    const shown = await bannerOf(`${world.demo.outlook}/mail/inbox/id/${encodeURIComponent(m.convId)}`);
    assert.equal(shown[0]?.status, 'valid', shown[0]?.text);
  });

  it('leaves neither the key nor the passphrase in extension storage or the webmail page', { timeout: 60_000 }, async () => {
    const needles = { passphrase, p12Password, key: ids.key };
    await page.goto(`${world.demo.gmail}/mail/u/0/#inbox/${world.demo.inbox.at(-2).legacy}`);
    await settle(page, 1);
    const win = await writeSigned(b, page, '[gh="mtb"]');
    const dump = await win.evaluate(async () => JSON.stringify({ local: await browser.storage.local.get(null), session: await browser.storage.session.get(null) }));
    await win.close();
    const dom = await page.evaluate(() => document.documentElement.outerHTML);
    assert.match(dump, /"signingSession"/, 'the identity is unlocked: the wrapped session is in storage.local');
    assert.deepEqual([...secretsIn('extension storage', dump, needles), ...secretsIn('gmail DOM', dom, needles)], []);
  });
});
