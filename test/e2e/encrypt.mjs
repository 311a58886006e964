// Sending encrypted, end to end on the demo Gmail: a correspondent (bob@bank.example, a V4
// certificate that may encrypt) writes signed mail, which the user opens, so the sender memory
// keeps his certificate. In the compose window his chip then shows its level; a second recipient
// nobody has seen keeps Encrypt off and is named with the reason; without them, Encrypt goes on, the
// last step says "Encrypted to 1 recipient and you", and the message is sent through the demo's
// Gmail API. The test then reads what the demo received with the core (Node, dist/wasm): an
// enveloped message (AES-256-GCM: Bob's signed mail announced it) that decrypts with Bob's key and
// with the sender's, its signature valid inside,
// and the plaintext marker neither in the demo's stored copy nor anywhere in extension storage (a
// draft was written before Encrypt went on, and is gone). The sent copy, delivered back to the
// demo inbox, then reads in the extension's decrypt window. The window is photographed into
// out/e2e/encrypt/. Then Carol, whom only a certificate file the user imports names, is added:
// the core validates the file, and the message goes AES-CBC (a file says nothing of her client). encrypt-{chromium,firefox}.test.mjs run
// it per browser.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { defaultVectors } from '../../demo/server.mjs';
import { close, settle, banners, root, artefacts } from './harness.mjs';
import { extensionFrame } from './extension-api.mjs';
import { decryptWindow } from './decrypt.mjs';
import { skip, identityFiles, identityOf, signedInGmail, writeSigned, review, pressSend, account, p12Password, passphrase } from './signing-helpers.mjs';

const bobAddress = 'bob@bank.example';
const carolAddress = 'carol@example.org'; // known only from a certificate file
const marker = 'MARKER-plaintext-7f3c9a-do-not-store';
const out = join(artefacts, 'encrypt'); // screenshots of the compose window

export async function loadCore() {
  const wasm = join(root, 'dist', 'wasm');
  const { loadCore: load } = await import(pathToFileURL(join(wasm, 'loader.js')).href);
  return load(readFileSync(join(wasm, 'core.wasm')));
}

function bobFiles() {
  return readFileSync(identityOf(bobAddress, 'bob-p12').p12);
}

export function encryptSuite(kind) {
  describe(`sending encrypted in ${kind}`, { skip }, () => {
    let world, b, page, core, roots, bob, me;

    before(async () => {
      const ids = identityFiles();
      core = await loadCore();
      roots = readFileSync(join(defaultVectors, 'root.pem'), 'utf8');
      bob = await core.sealIdentity(bobFiles(), 'bob-p12', 'bob passphrase, long enough', { roots });
      me = await core.sealIdentity(readFileSync(ids.p12), p12Password, passphrase, { roots });
      mkdirSync(out, { recursive: true });
      ({ world, b, page } = await signedInGmail(kind, `encrypt-${kind}`, { ids }));
    });
    after(async () => {
      if (b) await close(b);
      if (world) await world.demo.close();
    });

    let sentCopy = null; // what the demo received from the encrypted send

    it('learns Bob\'s certificate from his signed mail, opened in the webmail', { timeout: 60_000 }, async () => {
      const unlocked = await core.unlockIdentity(bob.sealed, 'bob passphrase, long enough', { lockAt: new Date(Date.now() + 60_000) });
      const { raw } = await core.sign({ session: unlocked.session, sessionKey: unlocked.sessionKey },
        { from: bobAddress, to: account, subject: 'Your new card', text: 'Signed by Bob.' });
      const m = world.demo.deliver(Buffer.from(raw), 'expect: valid\n');
      await page.goto('about:blank');
      await page.goto(`${world.demo.gmail}/mail/u/0/#inbox/${m.legacy}`);
      await settle(page, 1);
      const [shown] = await banners(page, b.origin);
      assert.equal(shown?.status, 'valid', shown?.text);
    });

    it('offers Encrypt only when every recipient has a certificate, then sends it encrypted to Bob and the sender', { timeout: 120_000 }, async () => {
      await page.goto(`${world.demo.gmail}/mail/u/0/`);
      const win = await writeSigned(b, page, '[gh="mtb"]');
      await win.click('#subject');
      await win.keyboard.type('Encrypted test');
      await win.click('#text');
      await win.keyboard.type(`The secret is ${marker}.`);
      await win.click('#to');
      await win.keyboard.type(`${bobAddress}, nobody@example.org`);
      await win.keyboard.press('Enter');
      await win.waitForFunction(() => document.querySelector('.chip-cert') && !/…/.test(document.querySelector('#encrypt-state').textContent), { timeout: 20_000, polling: 100 });
      assert.equal(await win.$eval('.chip-cert', (n) => n.textContent), 'V4 · Demo User, Mailseal Demo Ltd (GB)');
      assert.equal(await win.$eval('#encrypt', (n) => n.disabled), true, 'a recipient without a certificate');
      const state = await win.$eval('#encrypt-state', (n) => n.textContent);
      assert.match(state, /no usable certificate for nobody@example\.org/);
      assert.match(await win.$eval('#encrypt-missing', (n) => n.textContent), /nobody@example\.org: no certificate: no validly signed mail/);
      await win.screenshot({ path: join(out, `${kind}-a-recipient-lacks-a-certificate.png`) });
      // The draft kept so far holds the text.
      const before = await win.evaluate(() => (globalThis.browser ?? chrome).storage.session.get(null).then((s) => JSON.stringify(s)));
      assert.ok(before.includes('MARKER-plaintext'), 'a signed-only draft is kept');

      const chips = await win.$$('.chip');
      await (await chips[1].$('.chip-remove')).click();
      await win.waitForFunction(() => !document.querySelector('#encrypt').disabled, { timeout: 20_000, polling: 100 });
      await win.click('#encrypt');
      assert.equal(await win.$eval('#encrypt', (n) => n.checked), true);
      assert.equal(await win.$eval('#encrypt-no-draft', (n) => n.hidden), false);
      assert.equal(await win.$eval('#draft-kept', (n) => n.hidden), true, 'the window no longer says a draft is kept');
      await win.screenshot({ path: join(out, `${kind}-encrypt-on.png`) });
      // Writing on with Encrypt on keeps no draft: the one kept before is gone.
      await win.click('#text');
      await win.keyboard.type(' More of it.');
      await new Promise((r) => setTimeout(r, 800)); // the draft's timer is 300 ms
      const during = await win.evaluate(() => (globalThis.browser ?? chrome).storage.session.get(null).then((s) => JSON.stringify(s)));
      assert.ok(!during.includes('MARKER-plaintext'), 'a draft of the text to encrypt is kept');

      const step = await review(win, passphrase);
      assert.match(step.recipients, /bob@bank\.example/);
      assert.equal(await win.$eval('#confirm-encryption', (n) => n.textContent), 'Encrypted to 1 recipient and you');
      await win.screenshot({ path: join(out, `${kind}-last-step.png`) });
      const sent = await pressSend(win);
      assert.equal(sent.kind, 'ok', sent.text);
      assert.equal(sent.text, `Signed, encrypted and sent to <${bobAddress}>.`);

      // Nothing of the text in extension storage: local or session.
      const stored = await win.evaluate(async () => {
        const api = globalThis.browser ?? chrome;
        return JSON.stringify([await api.storage.local.get(null), await api.storage.session.get(null)]);
      });
      assert.ok(!stored.includes('MARKER-plaintext'), 'the plaintext is in extension storage');

      // What the demo received and stored.
      const list = await (await fetch(`${world.demo.gmail}/demo/sent.json`)).json();
      const last = list.at(-1);
      const raw = Buffer.from(last.raw, 'base64');
      // Bob's mail (signed by mailseal) announced AES-256-GCM: the message is AuthEnvelopedData.
      assert.match(raw.toString('latin1'), /Content-Type: application\/pkcs7-mime; smime-type=authEnveloped-data/i);
      assert.ok(!raw.includes(marker) && !JSON.stringify(list).includes('MARKER-plaintext'), 'the demo stored the plaintext');
      for (const [who, sealed, pass] of [['Bob', bob.sealed, 'bob passphrase, long enough'], ['the sender', me.sealed, passphrase]]) {
        const out = await core.decrypt([{ sealed, passphrase: pass }], new Uint8Array(raw), { roots });
        assert.equal(out.report.encryption?.decrypted, true, `${who}: ${JSON.stringify(out.report.encryption)}`);
        assert.equal(out.report.encryption?.tamperEvident, true, `${who}: AES-GCM`);
        assert.equal(out.report.status, 'valid', `${who}: the signature inside`);
        assert.ok(Buffer.from(out.content).includes(marker), `${who}: the text`);
      }
      await win.close();
      sentCopy = raw;
    });

    it('reads the sent copy in the decrypt window, as the sender finds it in their mailbox', { timeout: 120_000 }, async () => {
      assert.ok(sentCopy, 'the encrypted message was sent');
      const m = world.demo.deliver(sentCopy, 'expect: encrypted\n');
      await page.bringToFront();
      await page.goto('about:blank');
      await page.goto(`${world.demo.gmail}/mail/u/0/#inbox/${m.legacy}`);
      await settle(page, 1);
      const frame = await extensionFrame(page, b.origin);
      assert.equal(await frame.evaluate(() => document.body.dataset.status), 'encrypted');
      await frame.waitForSelector('.decrypt-open');
      const open = await b.browser.pages();
      await frame.click('.decrypt-open');
      const reader = await decryptWindow(b, open);
      // Unlocked since sending, or asks for the passphrase again (the lock time may have passed).
      await reader.waitForFunction(() => document.body.dataset.state === 'shown' || !document.getElementById('unlock').hidden, { timeout: 30_000, polling: 100 });
      if (await reader.evaluate(() => !document.getElementById('unlock').hidden)) {
        await reader.type('#passphrase', passphrase);
        await reader.click('#unlock-button');
      }
      await reader.waitForFunction(() => document.body.dataset.state === 'shown' && !document.getElementById('result').hidden, { timeout: 30_000, polling: 100 });
      assert.match(await reader.$eval('#verdict', (n) => n.innerText), /^Encrypted and signed ·/);
      const shown = await reader.evaluate(() => document.getElementById('content').innerText + (document.querySelector('iframe.html-content')?.srcdoc ?? ''));
      assert.ok(shown.includes(marker), `the sent text is shown: ${shown.slice(0, 200)}`);
      // The webmail page never holds the decrypted text.
      assert.ok(!(await page.content()).includes(marker), 'the decrypted text reached the webmail page');
      await reader.close();
    });

    it('takes a certificate the user imports from a file, validated by the core, and encrypts with AES-CBC to it', { timeout: 120_000 }, async () => {
      const { dir, p12: carolFile } = identityOf(carolAddress, 'carol-p12');
      const carolP12 = readFileSync(carolFile);
      // As a user exports it: the certificate and its CA, "Bag Attributes" lines before each.
      writeFileSync(join(dir, 'carol.pem'), execFileSync('openssl', ['pkcs12', '-nokeys', '-passin', 'pass:carol-p12'], { input: carolP12 }));
      writeFileSync(join(dir, 'not-a-certificate.cer'), 'hello');
      const carol = await core.sealIdentity(carolP12, 'carol-p12', 'carol passphrase, long enough', { roots });

      await page.goto(`${world.demo.gmail}/mail/u/0/`);
      const win = await writeSigned(b, page, '[gh="mtb"]');
      await win.click('#to');
      await win.keyboard.type(`${bobAddress}, ${carolAddress}`);
      await win.keyboard.press('Enter');
      await win.waitForFunction(() => /no usable certificate for carol@/.test(document.querySelector('#encrypt-state').textContent), { timeout: 20_000, polling: 100 });
      await (await win.$('#cert-files')).uploadFile(join(dir, 'carol.pem'), join(dir, 'not-a-certificate.cer'));
      await win.waitForFunction(() => !document.querySelector('#encrypt').disabled, { timeout: 20_000, polling: 100 });
      assert.equal(await win.$$eval('.chip-cert', (ns) => ns.length), 2, 'both chips show a level');
      const notes = await win.$eval('#cert-files-notes', (n) => n.innerText);
      assert.match(notes, /carol\.pem: a certificate for carol@example\.org/);
      assert.match(notes, /not-a-certificate\.cer: the file holds no certificate mailseal can read/);
      await win.click('#encrypt');
      await win.click('#subject');
      await win.keyboard.type('To Bob and Carol');
      await win.click('#text');
      await win.keyboard.type(`For both: ${marker}.`);
      await review(win, '');
      assert.equal(await win.$eval('#confirm-encryption', (n) => n.textContent), 'Encrypted to 2 recipients and you');
      const sent = await pressSend(win);
      assert.equal(sent.kind, 'ok', sent.text);
      const raw = Buffer.from((await (await fetch(`${world.demo.gmail}/demo/sent.json`)).json()).at(-1).raw, 'base64');
      assert.match(raw.toString('latin1'), /smime-type=enveloped-data/i, 'Carol announced nothing: AES-CBC');
      assert.ok(!raw.includes(marker));
      const out = await core.decrypt([{ sealed: carol.sealed, passphrase: 'carol passphrase, long enough' }], new Uint8Array(raw), { roots });
      assert.equal(out.report.encryption?.decrypted, true, JSON.stringify(out.report.encryption));
      assert.ok(Buffer.from(out.content).includes(marker), 'Carol reads it');
      await win.close();
    });
  });
}
