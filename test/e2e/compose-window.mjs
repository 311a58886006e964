// The compose window as a person uses it, with the real keyboard and mouse: with no identity it
// says so and offers the import; with one, it names it in the words recipients' banner will show;
// recipients become chips and a bad one blocks the last step; an attachment is listed in KB with a
// remove button; pasted HTML arrives as plain text; formatted text goes out as multipart/alternative
// (both parts signed, openssl verifies); Ctrl+Enter opens the last step and never sends, held or
// pressed again there; Tab stays inside the step in use; Esc goes back, asks before closing a
// window with text in it, and closes one without. compose-window-{chromium,firefox}.test.mjs run
// it per browser.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startWorld, launch, close, sleep } from './harness.mjs';
import { skip, identityFiles, opensslVerifies, importIdentity, composeWindows, writeSigned, pressSend, passphrase } from './signing-helpers.mjs';

// visible says whether a selector has a box in the window (hidden, or inside something hidden, has none).
const visible = (win, selector) => win.$eval(selector, (n) => n.getClientRects().length > 0).catch(() => false);

async function chord(win, key, { times = 1 } = {}) {
  await win.keyboard.down('Control');
  for (let i = 0; i < times; i++) {
    await win.keyboard.down(key); // a key already down repeats (autoRepeat)
    if (times > 1) await sleep(33);
  }
  await win.keyboard.up(key);
  await win.keyboard.up('Control');
}

export function composeWindowSuite(kind) {
  describe(`the compose window in ${kind}`, { skip }, () => {
    let world, b, page, ids;

    before(async () => {
      ids = identityFiles();
      world = await startWorld(`compose-window-${kind}`);
      b = await launch(kind, world.extDirs[kind]);
      page = await b.browser.newPage();
      await page.setViewport({ width: 1200, height: 800 });
      await page.goto(`${world.demo.gmail}/mail/u/0/`);
      await page.waitForSelector('[gh="mtb"] [data-mailseal-compose="button"]');
    });
    after(async () => {
      if (b) await close(b);
      if (world) await world.demo.close();
    });

    const newMessage = async () => {
      await page.bringToFront();
      return writeSigned(b, page, '[gh="mtb"]');
    };
    const closeWindows = async () => { for (const w of await composeWindows(b)) await w.close().catch(() => {}); };

    it('with no identity, says so and offers the import, and cannot go on', { timeout: 60_000 }, async () => {
      const win = await newMessage();
      assert.equal(await visible(win, '#no-identity'), true);
      assert.match(await win.$eval('#identity-link', (n) => n.href), /\/pages\/identity\.html$/);
      assert.equal(await visible(win, '#signing-as'), false);
      assert.equal(await visible(win, '#passphrase'), false);
      assert.equal(await win.$eval('#review', (n) => n.disabled), true);
      await win.close();
      const imported = await importIdentity(b, page, ids);
      assert.equal(imported.ok, true, imported.message);
    });

    it('names the identity as recipients will see it, and makes chips of recipients', { timeout: 60_000 }, async () => {
      const win = await newMessage();
      assert.equal(await win.$eval('#signing-as-words', (n) => n.textContent),
        'V4 · demo@mailseal.test · Demo User, Mailseal Demo Ltd (GB), Tester, Identity Validated and Trusted');
      assert.match(await win.$eval('#change-identity', (n) => n.href), /\/pages\/identity\.html$/);

      await win.click('#to');
      await win.keyboard.type('Bob <bob@example.net>, bob at example');
      await win.keyboard.press('Enter');
      const chips = await win.$$eval('.chip', (ns) => ns.map((n) => `${n.dataset.valid} ${n.querySelector('bdi').textContent}`));
      assert.deepEqual(chips, ['true Bob <bob@example.net>', 'false bob at example']);
      assert.equal(await visible(win, '#recipients-error'), true);
      await chord(win, 'Enter');
      await sleep(300);
      assert.equal(await visible(win, '#confirm'), false, 'a bad address keeps the last step closed');
      assert.match(await win.$eval('#result', (n) => n.textContent), /not email addresses/);
      await win.click('.chip.bad .chip-remove');
      assert.equal(await visible(win, '#recipients-error'), false);

      const file = join(ids.dir, 'one-kilobyte.txt');
      writeFileSync(file, 'x'.repeat(1024));
      await (await win.$('#files')).uploadFile(file);
      await win.waitForSelector('#attachments li');
      assert.match(await win.$eval('#attachments li', (n) => n.textContent), /one-kilobyte\.txt\s*1 KB/);
      assert.match(await win.$eval('#size', (n) => n.textContent), /of the 35 MB Gmail accepts/);
      await win.click('#attachments li button.remove');
      assert.equal(await win.$$eval('#attachments li', (ns) => ns.length), 0);
      await win.close();
    });

    it('takes a paste as plain text, and Ctrl+Enter opens the last step but never sends', { timeout: 120_000 }, async () => {
      const sent = world.demo.state.sent.length;
      const win = await newMessage();
      await win.click('#to');
      await win.keyboard.type('bob@example.net');
      await win.click('#subject');
      await win.keyboard.type('Formatted and signed');
      await win.click('#text');
      await win.keyboard.type('Please **confirm** the _transfer_:\n- amount\n- date\nSee [the offer](https://bank.example/offer) ');
      // What a web page copied: HTML with an event handler and an image, and its plain text.
      // (Firefox leaves a constructed paste event without its clipboardData: checked in Chromium.)
      const pasted = await win.evaluate(() => {
        const data = new DataTransfer();
        data.setData('text/html', '<b onclick="steal()">pasted</b><img src="https://evil.example/x.png">');
        data.setData('text/plain', 'pasted words');
        const e = new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true });
        if (!e.clipboardData?.getData('text/plain')) return false;
        document.querySelector('#text').dispatchEvent(e);
        return true;
      });
      assert.equal(pasted || kind === 'firefox', true);
      if (!pasted) await win.keyboard.type('pasted words');
      const text = await win.$eval('#text', (n) => n.value);
      assert.match(text, /\(https:\/\/bank\.example\/offer\) pasted words$/);
      assert.doesNotMatch(text, /img|onclick/);
      assert.equal(await win.$eval('#preview a', (n) => n.textContent === n.getAttribute('href') && n.href), 'https://bank.example/offer');

      // Ctrl+Enter held down: the first press opens the last step, the repeats do nothing.
      await chord(win, 'Enter', { times: 40 });
      await win.waitForSelector('#confirm:not([hidden])');
      assert.equal(await win.$eval('#confirm-format', (n) => n.textContent), 'Formatted, with a plain-text copy');
      assert.equal(await visible(win, '#passphrase'), true, 'locked: the step asks for the passphrase');
      // A fresh Ctrl+Enter once Sign and send is ready does not press it.
      await win.waitForSelector('#send[data-gate="ready"]', { timeout: 10_000 });
      await win.focus('#send');
      await chord(win, 'Enter');
      await sleep(800);
      assert.equal(world.demo.state.sent.length, sent, 'Ctrl+Enter sent the message');
      assert.equal(await win.evaluate(() => document.body.dataset.step), 'confirm');

      // Tab and Shift+Tab stay inside the last step.
      for (const shift of [false, true]) {
        if (shift) await win.keyboard.down('Shift');
        for (let i = 0; i < 8; i++) {
          await win.keyboard.press('Tab');
          assert.equal(await win.evaluate(() => document.querySelector('#confirm').contains(document.activeElement)), true, `Tab ${i} left the step`);
        }
        if (shift) await win.keyboard.up('Shift');
      }

      // Esc goes back to the message; Ctrl+Enter comes back; the user's own click sends.
      await win.keyboard.press('Escape');
      assert.equal(await visible(win, '#confirm'), false);
      assert.equal(await win.evaluate(() => document.body.dataset.step), 'edit');
      await chord(win, 'Enter');
      await win.waitForSelector('#confirm:not([hidden])');
      await win.type('#passphrase', passphrase);
      const out = await pressSend(win);
      assert.equal(out.kind, 'ok', out.text);
      assert.equal(await visible(win, '#close-window'), true, 'the result offers to close the window');
      await win.close();

      const raw = Buffer.from(world.demo.state.sent.at(-1).raw, 'base64');
      assert.equal(opensslVerifies(raw, ids.dir, `formatted-${kind}`), '');
      // The signed entity follows the outer header; its parts read with quoted-printable undone.
      const signed = raw.toString('latin1').split('\r\n\r\n').slice(1).join('\r\n\r\n')
        .replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
      assert.match(signed, /Content-Type: multipart\/alternative;/i);
      assert.match(signed, /Content-Type: text\/plain;[^\r]*utf-8[\s\S]*Please \*confirm\* the _transfer_:\r\n- amount\r\n- date\r\nSee the offer \(https:\/\/bank\.example\/offer\) pasted words/i);
      assert.match(signed, /Content-Type: text\/html;[^\r]*utf-8[\s\S]*<b>confirm<\/b>[\s\S]*<a href="https:\/\/bank\.example\/offer">https:\/\/bank\.example\/offer<\/a>/i);
      assert.doesNotMatch(signed, /<img|onclick/);
    });

    it('unlocked, the last step asks for no passphrase', { timeout: 60_000 }, async () => {
      const win = await newMessage();
      await win.click('#to');
      await win.keyboard.type('bob@example.net');
      await chord(win, 'Enter');
      await win.waitForSelector('#confirm:not([hidden])');
      assert.equal(await visible(win, '#unlock'), false);
      assert.equal(await visible(win, '#passphrase'), false);
      await win.close();
    });

    it('Esc asks before closing a window with text, and closes one without', { timeout: 60_000 }, async () => {
      let win = await newMessage();
      await win.click('#text');
      await win.keyboard.type('Not finished.');
      await win.keyboard.press('Escape');
      await win.waitForSelector('#close-ask:not([hidden])');
      assert.equal(await win.evaluate(() => document.activeElement.id), 'close-no');
      for (let i = 0; i < 3; i++) {
        await win.keyboard.press('Tab');
        assert.equal(await win.evaluate(() => document.querySelector('#close-ask').contains(document.activeElement)), true);
      }
      await win.keyboard.press('Escape');
      assert.equal(await visible(win, '#close-ask'), false, 'Esc again keeps writing');
      await win.keyboard.press('Escape');
      await win.waitForSelector('#close-ask:not([hidden])');
      await win.click('#close-yes');
      await waitClosed();
      // The draft outlived the window; with nothing new written, Esc closes at once.
      win = await newMessage();
      assert.match(await win.$eval('#text', (n) => n.value), /Not finished\./);
      await win.keyboard.press('Escape').catch(() => {}); // the window may be gone before the key comes up
      await waitClosed();
    });

    async function waitClosed() {
      for (let i = 0; i < 50 && (await composeWindows(b)).length; i++) await sleep(100);
      assert.equal((await composeWindows(b)).length, 0, 'the compose window did not close');
    }

    after(closeWindows);
  });
}
