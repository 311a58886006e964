// The webmail page can never sign, unlock or send for the user. The review's
// attack, built in the page's own script (what an XSS in Gmail could do): scripted clicks on
// Write signed, an invisible frame of mailseal's compose and identity pages under a page-drawn
// "Dismiss" button, and a page-drawn "type your passphrase" prompt, which the user (puppeteer's
// real mouse and keyboard) clicks and fills; then a double click that opens the compose window
// under the cursor and lands its second click on Sign and send. Run with the identity locked and
// again unlocked: the demo's send APIs receive nothing and the identity stays locked. In between,
// the user's own input composes, unlocks and sends (and openssl accepts what was sent).
// compose-attack-chromium.test.mjs and compose-attack-firefox.test.mjs run it per browser.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorld, launch, close, settle, sleep } from './harness.mjs';
import { skip, identityFiles, opensslVerifies, importIdentity, composeWindows, writeSigned, review, pressSend, result, passphrase, recipientsOf } from './signing-helpers.mjs';

export function attackSuite(kind) {
  describe(`the webmail page cannot sign or unlock, in ${kind}`, { skip }, () => {
    let world, b, page, ids, thread;

    before(async () => {
      ids = identityFiles();
      world = await startWorld(`compose-attack-${kind}`);
      b = await launch(kind, world.extDirs[kind]);
      page = await b.browser.newPage();
      await page.setViewport({ width: 1200, height: 800 });
      thread = world.demo.threads.find((t) => t.members.length === 1 && t.members[0].expect.expect === 'valid');
      await openThread();
      const imported = await importIdentity(b, page, ids);
      assert.equal(imported?.ok, true, imported?.message);
    });
    after(async () => {
      if (b) await close(b);
      if (world) await world.demo.close();
    });

    async function openThread() {
      await page.bringToFront();
      await page.goto('about:blank');
      await page.goto(`${world.demo.gmail}/mail/u/0/#inbox/${thread.id}`);
      await settle(page, 1);
      await page.click('.demo-reply');
      await page.waitForSelector('.btC [data-mailseal-compose="button"]');
    }

    async function closeWindows() {
      for (const w of await composeWindows(b)) await w.close();
    }

    // lockState opens a compose window with the user's click and reads, at its last step,
    // whether it asks for the passphrase; the window is closed again without sending.
    async function locked() {
      const win = await writeSigned(b, page, '.btC');
      const shown = await review(win);
      await win.close();
      return shown.locked;
    }

    // The page's attack: everything a script in the webmail can do, then the user's real click on
    // the page-drawn button and real typing into the page-drawn prompt.
    async function pageAttack() {
      const sent = world.demo.state.sent.length;
      await openThread();
      await page.evaluate((origin) => {
        const all = () => [...document.querySelectorAll('[data-mailseal-compose="button"]')];
        const fire = () => {
          for (const btn of all()) {
            btn.click();
            for (const type of ['pointerdown', 'mousedown', 'pointerup', 'mouseup', 'click']) btn.dispatchEvent(new MouseEvent(type, { bubbles: true, cancelable: true, view: window }));
            btn.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
          }
        };
        fire();
        // The invisible frames, where the old compose frame was, under the page's own button.
        for (const p of ['compose.html', 'identity.html']) {
          const f = document.createElement('iframe');
          f.className = 'evil-frame';
          f.src = `${origin}/pages/${p}`;
          f.style.cssText = 'position:fixed;inset:5vh 10vw;width:80vw;height:90vh;opacity:0;z-index:2147483646;';
          document.body.append(f);
        }
        const overlay = document.createElement('div');
        overlay.style.cssText = 'position:fixed;inset:0;z-index:2147483647;display:flex;flex-direction:column;align-items:center;justify-content:center;gap:12px;background:rgba(255,255,255,.6)';
        const prompt = document.createElement('input');
        prompt.id = 'evil-passphrase';
        prompt.type = 'password';
        prompt.placeholder = 'mailseal: type your passphrase';
        const dismiss = document.createElement('button');
        dismiss.id = 'evil-dismiss';
        dismiss.textContent = 'Dismiss';
        const pushAll = () => {
          fire();
          for (const f of document.querySelectorAll('.evil-frame')) {
            f.contentWindow?.postMessage({ request: 'signAndSend', passphrase: prompt.value }, '*');
            f.contentWindow?.postMessage({ request: 'identityUnlock', args: { passphrase: prompt.value } }, '*');
          }
        };
        dismiss.addEventListener('click', pushAll);
        prompt.addEventListener('keydown', (e) => { if (e.key === 'Enter') pushAll(); });
        overlay.append(prompt, dismiss);
        document.body.append(overlay);
      }, b.origin);
      // The user does what the page asks, with the real keyboard and mouse.
      await page.click('#evil-passphrase');
      await page.keyboard.type(passphrase);
      await page.keyboard.press('Enter');
      await page.click('#evil-dismiss');
      await sleep(1500);
      assert.deepEqual(await composeWindows(b), [], 'no compose window opened without the user\'s click on Write signed');
      // The frames did not get mailseal's pages (compose.html and identity.html are not web-accessible).
      for (const f of page.frames().slice(1)) {
        const got = await f.evaluate(() => ({ href: location.href, send: Boolean(document.querySelector('#send, #import-form')) })).catch(() => null);
        if (got) assert.equal(got.send, false, `a frame shows mailseal's ${got.href}`);
      }
      assert.equal(world.demo.state.sent.length, sent, 'nothing sent');
    }

    // doubleClick: the user's double click on Write signed opens the window under the cursor, and
    // the second click, as fast as a double click, lands on Sign and send; then the page cannot
    // press it by script from anywhere either.
    async function doubleClickJack() {
      const sent = world.demo.state.sent.length;
      await openThread();
      const win = await writeSigned(b, page, '.btC');
      await win.click('#review');
      await win.waitForSelector('#confirm:not([hidden])');
      await win.click('#send', { delay: 0 });
      assert.equal((await result(win)).kind, 'error');
      assert.equal(await win.$eval('#result', (n) => n.textContent), await win.evaluate(() => (globalThis.browser ?? chrome).i18n.getMessage('composeGateWait')));
      await win.waitForSelector('#send[data-gate="ready"]');
      // A script's click (even in the window itself) is not the user's.
      await win.evaluate(() => { document.querySelector('#send').click(); document.querySelector('#send').dispatchEvent(new MouseEvent('click', { bubbles: true })); });
      await sleep(500);
      assert.equal(world.demo.state.sent.length, sent, 'nothing sent');
      await win.close();
    }

    it('with the identity locked, nothing is sent and nothing unlocked', { timeout: 120_000 }, async () => {
      await pageAttack();
      await doubleClickJack();
      assert.equal(await locked(), true, 'the identity is still locked');
      assert.equal(world.demo.state.sent.length, 0);
    });

    it('the user\'s own input composes, unlocks and sends, naming recipients and identity', { timeout: 90_000 }, async () => {
      await openThread();
      const win = await writeSigned(b, page, '.btC');
      assert.equal(await recipientsOf(win, 'to'), thread.members[0].fromEmail.toLowerCase());
      await win.click('#text');
      await win.keyboard.type('Approved, as discussed.');
      const shown = await review(win, passphrase);
      assert.equal(shown.locked, true);
      assert.match(shown.identity, /demo@mailseal\.test/);
      assert.match(shown.identity, /V4/);
      assert.match(shown.recipients, new RegExp(thread.members[0].fromEmail.replace(/[.+]/g, '\\$&'), 'i'));
      const out = await pressSend(win);
      assert.equal(out.kind, 'ok', out.text);
      const sent = world.demo.state.sent;
      assert.equal(sent.length, 1);
      assert.equal(opensslVerifies(Buffer.from(sent[0].raw, 'base64'), ids.dir, `attack-${kind}`), '');
      await closeWindows();
    });

    it('with the identity unlocked, nothing more is sent', { timeout: 120_000 }, async () => {
      assert.equal(await locked(), false, 'unlocked by the user\'s send');
      await pageAttack();
      await doubleClickJack();
      assert.equal(world.demo.state.sent.length, 1);
    });
  });
}
