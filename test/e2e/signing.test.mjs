// Signing, end to end in headless Chromium on the demo webmail: import a PKCS #12 identity in the
// extension, write signed from Gmail's and Outlook's compose windows (each opens mailseal's own
// compose window, driven with the real mouse and keyboard), send through the demo
// Gmail API and Graph, check what was sent with `openssl cms -verify`, open it in the demo inbox
// and see the V4 banner; then search the webmail's page and content-script heap, its DOM and
// the extension's storage for the private key and the passphrase.
//
// Firefox: signing-firefox.test.mjs.
import { describe, it, before, beforeEach, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startWorld, launch, close, banners, settle, artefacts, journal, stopWorker, wakeWorker } from './harness.mjs';
import { secretsIn, heapStrings } from './secrets.mjs';
import { account, p12Password, passphrase, skip, identityFiles, opensslVerifies, writeSigned, review, pressSend, sendFrom, recipientsOf } from './signing-helpers.mjs';

describe('signing in chromium', { skip }, () => {
  let world, b, page, ids, log;
  let finished = 0;
  const shots = join(artefacts, 'screenshots', 'signing');

  before(async () => {
    mkdirSync(shots, { recursive: true });
    ids = identityFiles();
    world = await startWorld('signing-chromium');
    b = await launch('chromium', world.extDirs.chromium);
    log = journal(b);
    page = await b.browser.newPage();
    await page.setViewport({ width: 1200, height: 800 });
  });
  // Headless Chromium does not paint a tab behind another (a closed page, a sign-in window), and
  // what waits on the page's frames then waits forever: the test's tab comes to the front first.
  beforeEach(async () => { await page?.bringToFront(); });
  after(async () => {
    if (log && finished < 6) log.print(`${finished} of 6 tests finished`);
    if (b) await close(b);
    if (world) await world.demo.close();
  });

  async function send(win, want, pass) {
    const result = await sendFrom(win, pass);
    assert.equal(result.kind, want, result.text);
    return result;
  }

  async function bannerOf(provider, m) {
    const url = provider === 'gmail' ? `${world.demo.gmail}/mail/u/0/#inbox/${m.legacy}` : `${world.demo.outlook}/mail/inbox/id/${encodeURIComponent(m.convId)}`;
    await page.goto('about:blank');
    await page.goto(url);
    await settle(page, 1);
    await page.bringToFront();
    return banners(page, b.origin);
  }

  it('imports the identity from a PKCS #12 file and shows what it is', { timeout: 60_000 }, async () => {
    log.step('identity page');
    await page.goto(`${b.origin}/pages/identity.html`);
    await page.waitForSelector('#p12');
    const input = await page.$('#p12');
    await input.uploadFile(ids.p12);
    await page.type('#p12-password', 'wrong password');
    await page.type('#passphrase', passphrase);
    await page.type('#passphrase2', passphrase);
    log.step('import with the wrong password');
    await page.click('#import-form button[type=submit]');
    await page.waitForFunction(() => document.querySelector('#result').dataset.kind === 'error', { polling: 100 });
    assert.match(await page.$eval('#result', (n) => n.textContent), /password of the certificate file is wrong/);

    await page.$eval('#p12-password', (n) => { n.value = ''; });
    await page.type('#p12-password', p12Password);
    log.step('import');
    await page.click('#import-form button[type=submit]');
    await page.waitForFunction(() => document.querySelector('#result').dataset.kind === 'ok', { timeout: 20000, polling: 100 });
    const summary = await page.$eval('#summary', (n) => n.innerText);
    assert.match(summary, /demo@mailseal\.test/);
    assert.match(summary, /V4/);
    assert.match(await page.$eval('#lock-state', (n) => n.textContent), /Locked/);
    assert.equal(await page.$eval('#signing-as-words', (n) => n.textContent),
      'V4 · demo@mailseal.test · Demo User, Mailseal Demo Ltd (GB), Tester, Identity Validated and Trusted', 'the level as recipients\' banner shows it');
    // Every form's fields start at one edge, as on the options page.
    const edges = await page.$$eval('.form-grid input', (ns) => [...new Set(ns.filter((n) => n.getClientRects().length).map((n) => Math.round(n.getBoundingClientRect().left)))]);
    assert.equal(edges.length, 1, `fields start at ${edges}`);
    await page.screenshot({ path: join(shots, 'identity.png') });
    finished++;
  });

  it('signs a reply in Gmail, sends it through the Gmail API in its thread, and the inbox shows it valid', { timeout: 60_000 }, async () => {
    const thread = world.demo.threads.find((t) => t.members.length === 1 && t.members[0].expect.expect === 'valid');
    await page.goto(`${world.demo.gmail}/mail/u/0/#inbox/${thread.id}`);
    await settle(page, 1);
    await page.click('.demo-reply');
    const win = await writeSigned(b, page, '.btC');

    const prefilled = await win.evaluate(() => ({ subject: document.querySelector('#subject').value, text: document.querySelector('#text').value, from: document.querySelector('#from').value }));
    prefilled.to = await recipientsOf(win, 'to');
    assert.equal(prefilled.from, account);
    assert.equal(prefilled.to, thread.members[0].fromEmail.toLowerCase());
    assert.equal(prefilled.subject, `Re: ${thread.subject}`);
    assert.match(prefilled.text, /^\n\n> /, 'the quoted message, read by the background from the raw message, is in the text field as plain text');
    // The page names which message is answered; the window says which one that is, from the original.
    const replying = await win.$eval('#replying-to', (n) => (n.hidden ? '' : n.textContent));
    assert.ok(replying.includes(thread.members[0].fromEmail) && replying.includes(thread.subject), `replying-to line: ${replying}`);
    await win.screenshot({ path: join(shots, 'compose-gmail-reply.png') });

    await win.type('#text', 'Signed from the demo. Grüße, 你好.');
    await (await win.$('#files')).uploadFile(writeAttachment(ids.dir));
    await win.waitForFunction(() => document.querySelectorAll('#attachments li').length === 1, { polling: 100 });
    const shown = await review(win, passphrase);
    assert.equal(shown.locked, true, 'a locked identity asks for the passphrase');
    assert.match(shown.identity, /^V4 · demo@mailseal\.test · Demo User, Mailseal Demo Ltd \(GB\), Tester, Identity Validated and Trusted\n/, 'named in the words of the banner recipients will see');
    assert.match(shown.recipients, new RegExp(thread.members[0].fromEmail.replace(/[.+]/g, '\\$&'), 'i'));
    await win.screenshot({ path: join(shots, 'compose-gmail-confirm.png') });
    const started = Date.now();
    const out = await pressSend(win);
    assert.equal(out.kind, 'ok', out.text);
    const sendMillis = Date.now() - started;
    await win.screenshot({ path: join(shots, 'gmail-sent.png') });
    await win.close();

    const sent = world.demo.state.sent;
    assert.equal(sent.length, 1);
    assert.equal(sent[0].api, 'gmail');
    assert.equal(sent[0].threadId, thread.id, 'the reply keeps its Gmail thread');
    const raw = Buffer.from(sent[0].raw, 'base64');
    assert.match(raw.toString('latin1'), /multipart\/signed; protocol="application\/pkcs7-signature";\s+micalg=sha-256/);
    assert.equal(opensslVerifies(raw, ids.dir, 'gmail'), '');
    const parent = /^Message-ID:\s*(<[^>]+>)/im.exec(thread.members[0].raw.toString('latin1'))[1];
    assert.match(raw.toString('latin1'), new RegExp(`^In-Reply-To: ${parent.replace(/[.+$]/g, '\\$&')}\r$`, 'm'), 'the reply names its parent');

    const banner = await bannerOf('gmail', world.demo.inbox.at(-1));
    await page.screenshot({ path: join(shots, 'gmail-banner.png') });
    assert.equal(banner.length, 1);
    assert.equal(banner[0].status, 'valid', banner[0].text);
    assert.match(banner[0].headline, /^V4\b.*Demo User/);
    console.log(`# sign and send through the demo Gmail API: ${sendMillis} ms (unlock included, from pressing Sign and send)`);
    finished++;
  });

  it('signs new mail in Outlook after the background restarts, sends it through Graph, and keeps the draft when Graph refuses', { timeout: 60_000 }, async () => {
    // The unlocked identity outlives the service worker (storage.session and storage.local).
    await stopWorker(b);
    await wakeWorker(b);
    await page.bringToFront();
    await page.goto(`${world.demo.outlook}/mail/inbox`);
    await page.waitForSelector('[aria-label="New mail"]');
    await page.click('[aria-label="New mail"]');
    const win = await writeSigned(b, page, '[data-app-section="ComposeForm"]');
    await win.type('#to', 'Bob <bob@example.net>');
    await win.type('#subject', 'Signed through Graph');
    await win.type('#text', ' A message for Outlook.');

    // An expired token and a quota reach the user in words, and the text stays.
    await fetch(`${world.demo.outlook}/demo/fail-next-send?status=429`, { method: 'POST' });
    assert.equal((await review(win)).locked, false, 'still unlocked from the Gmail send, across the restart');
    const refused = await pressSend(win);
    assert.equal(refused.kind, 'error');
    assert.match(refused.text, /limiting how much mail/);
    assert.match(await win.$eval('#text', (n) => n.value), /A message for Outlook\./);
    const drafts = await win.evaluate(async () => {
      const count = async (area) => Object.values(await area.get(null)).filter((v) => v?.subject === 'Signed through Graph').length;
      return { session: await count(chrome.storage.session), local: await count(chrome.storage.local) };
    });
    assert.deepEqual(drafts, { session: 1, local: 0 }, 'the draft is kept in session storage until sent, never in storage.local');

    const out = await pressSend(win);
    assert.equal(out.kind, 'ok', out.text);
    await win.close();
    const sent = world.demo.state.sent.at(-1);
    assert.equal(sent.api, 'outlook');
    assert.equal(opensslVerifies(Buffer.from(sent.raw, 'base64'), ids.dir, 'outlook'), '');
    const shown = await bannerOf('outlook', world.demo.inbox.at(-1));
    await page.screenshot({ path: join(shots, 'outlook-banner.png') });
    assert.equal(shown[0]?.status, 'valid', shown[0]?.text);
    assert.match(shown[0].headline, /^V4\b/);
    finished++;
  });

  it('signs a reply in Outlook that names the message it answers', { timeout: 60_000 }, async () => {
    const thread = world.demo.threads.find((t) => t.members.length === 1 && t.members[0].expect.expect === 'valid');
    await page.goto(`${world.demo.outlook}/mail/inbox/id/${encodeURIComponent(thread.convId)}`);
    await settle(page, 1);
    await page.click('.demo-reply');
    const win = await writeSigned(b, page, '[data-app-section="ComposeForm"]');
    assert.match(await win.$eval('#text', (n) => n.value), /\n> /, 'the quoted message is in the text field');
    await win.type('#text', 'A signed reply from Outlook.');
    await send(win, 'ok');
    await win.close();
    const sent = world.demo.state.sent.at(-1);
    assert.equal(sent.api, 'outlook');
    const raw = Buffer.from(sent.raw, 'base64').toString('latin1');
    const parent = /^Message-ID:\s*(<[^>]+>)/im.exec(thread.members[0].raw.toString('latin1'))[1];
    const escaped = parent.replace(/[.+$]/g, '\\$&');
    assert.match(raw, new RegExp(`^In-Reply-To: ${escaped}\r$`, 'm'), 'the reply names its parent');
    assert.match(raw, new RegExp(`^References: (.* )?${escaped}\r$`, 'm'), 'References end with the parent');
    finished++;
  });

  it('refuses a message Graph could not take before sending it', { timeout: 60_000 }, async () => {
    await page.goto(`${b.origin}/pages/compose.html`);
    await page.waitForSelector('#from option');
    await page.select('#provider', 'outlook');
    await page.type('#to', 'bob@example.net');
    const big = join(ids.dir, 'big.bin');
    writeFileSync(big, Buffer.alloc(3.5 * 1024 * 1024, 0x41));
    await (await page.$('#files')).uploadFile(big);
    await page.waitForFunction(() => /more than/.test(document.querySelector('#size').textContent), { polling: 100 });
    assert.equal(await page.$eval('#review', (n) => n.disabled), true);
    const before = world.demo.state.sent.length;
    // Even a request made around the page's check is refused by the background before signing.
    const out = await page.evaluate(async () => (await chrome.runtime.sendMessage({ request: 'signAndSend', args: {
      provider: 'outlook', message: { from: 'demo@mailseal.test', to: 'bob@example.net', text: 'x', attachments: [{ name: 'big', type: '', data: { base64: btoa('A'.repeat(3.5 * 1024 * 1024)) } }] } } })).error);
    assert.equal(out.code, 'too-large');
    assert.equal(world.demo.state.sent.length, before);
    finished++;
  });

  it('leaves neither the key nor the passphrase in the webmail page, its content script or extension storage', { timeout: 60_000 }, async () => {
    const needles = { passphrase, p12Password, key: ids.key };
    // The webmail tab: its DOM and the V8 heap of its renderer (page and content-script worlds).
    await page.goto(`${world.demo.gmail}/mail/u/0/#inbox/${world.demo.inbox.at(-2).legacy}`);
    await settle(page, 1);
    const found = [];
    const dom = await page.evaluate(() => document.documentElement.outerHTML);
    found.push(...secretsIn('gmail DOM', dom, needles));
    found.push(...secretsIn('gmail heap', await heapStrings(page), needles));
    // Extension storage, read from an extension page.
    const ext = await b.browser.newPage();
    await ext.goto(`${b.origin}/pages/identity.html`);
    const dump = await ext.evaluate(async () => JSON.stringify({ local: await chrome.storage.local.get(null), session: await chrome.storage.session.get(null) }));
    found.push(...secretsIn('extension storage', dump, needles));
    assert.match(dump, /signingSessionKey/, 'the identity is unlocked: the session is in storage');
    await ext.close();
    assert.deepEqual(found, []);
    // The test can fail: the same search finds the passphrase where it is.
    assert.notDeepEqual(secretsIn('control', JSON.stringify({ p: passphrase }), needles), []);
    assert.notDeepEqual(secretsIn('control', JSON.stringify({ k: ids.key.toString('base64') }), needles), []);
    finished++;
  });
});

function writeAttachment(dir) {
  const file = join(dir, 'notes.txt');
  writeFileSync(file, 'Notes for the signed reply.\n');
  return file;
}
