// Reading encrypted mail end to end, in each browser (decrypt-{chromium,firefox}.test.mjs): the
// demo's encrypted message (cmd/genvectors encrypted-demo-signed, to the demo identity's key)
// has a banner that says encrypted and offers Decrypt; the decrypt window asks for the passphrase,
// then shows "Encrypted and signed" with the signer's level and whom the signer wrote to, the HTML
// in a sandboxed frame that reaches no network (no remote image, style sheet, @import or
// background; no form; no script), and the attachment; the EFAIL-shaped message (an encrypted
// part inside an unsigned one) gets no Decrypt, and the window refuses it with its reason. Then
// the marker every decrypted part carries is searched for everywhere but the window: the webmail
// page and its frames, storage local/session/sync (the report cache lives in session), and every
// console line the browser reported.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { close, journal, optionsEval, settle, artefacts, sleep } from './harness.mjs';
import { extensionFrame } from './extension-api.mjs';
import { skip, signedInGmail, passphrase } from './signing-helpers.mjs';

const secret = 'MAILSEAL-DECRYPTED-7f3a9c'; // cmd/genvectors/encrypted.go demoSecret

/** decryptWindow waits for the decrypt window and returns it (each page asked for its own location). */
export async function decryptWindow(b, not = [], timeout = 15000) {
  const until = Date.now() + timeout;
  while (Date.now() < until) {
    for (const p of await b.browser.pages()) {
      if (not.includes(p)) continue;
      const href = await p.evaluate(() => location.href).catch(() => '');
      if (href.startsWith(`${b.origin}/pages/decrypt.html#`)) return p;
    }
    await sleep(100);
  }
  throw new Error('no decrypt window opened');
}

/** contentFrameOf is the window's frame that shows the decrypted HTML, or null when the browser's automation cannot reach it. */
async function contentFrameOf(win) {
  const until = Date.now() + 10000;
  while (Date.now() < until) {
    // Firefox's frame list leaves the sandboxed frame out; its element still gives it.
    const element = await win.$('iframe.html-content');
    const own = await element?.contentFrame().catch(() => null);
    for (const f of [...(own ? [own] : []), ...win.frames().slice(1)]) {
      const ok = await f.evaluate(() => document.body?.innerText ?? '').catch(() => '');
      if (ok.includes('Dear Demo User')) return f;
    }
    await sleep(100);
  }
  return null; // Firefox's WebDriver BiDi gives no handle on a sandboxed srcdoc frame
}

export function decryptSuite(kind) {
  describe(`reading encrypted mail in ${kind}`, { skip }, () => {
    let world, b, page, log, win;
    const consoleLines = []; // every console line of the pages this test watches
    const requests = []; // every request the decrypt window and its frame made
    const watch = (p, who) => {
      p.on('console', (m) => consoleLines.push(`${who}: ${m.text()}`));
      p.on('pageerror', (e) => consoleLines.push(`${who} error: ${e.message}`));
    };

    // The decrypted HTML tries to load from 127.0.0.1:8719 (cmd/genvectors demoContent): listen
    // there, so that any request that got out is counted, whatever the browser reports.
    const beacon = { hits: [], server: null };
    before(async () => {
      beacon.server = createServer((req, res) => { beacon.hits.push(req.url); res.end(); });
      await new Promise((resolve) => beacon.server.once('error', () => { beacon.server = null; resolve(); }).listen(8719, '127.0.0.1', resolve));
      ({ world, b, page } = await signedInGmail(kind, `decrypt-${kind}`, {
        onLaunch: (browser) => { log = journal(browser); },
        onPage: (p) => watch(p, 'webmail'),
      }));
    });
    after(async () => {
      beacon.server?.close();
      if (b) await close(b);
      if (world) await world.demo.close();
    });

    async function open(vector) {
      const t = world.demo.threads.find((x) => x.members.length === 1 && x.members[0].name === vector);
      assert.ok(t, `${vector} is not in the demo inbox`);
      await page.bringToFront();
      await page.goto('about:blank');
      await page.goto(`${world.demo.gmail}/mail/u/0/#inbox/${t.id}`);
      await settle(page, 1);
      return extensionFrame(page, b.origin);
    }

    it('the banner says encrypted and offers Decrypt; the window asks to unlock, then shows the message', { timeout: 120_000 }, async () => {
      const frame = await open('encrypted-demo-signed');
      assert.equal(await frame.evaluate(() => document.body.dataset.status), 'encrypted');
      const before = await frame.evaluate(() => document.getElementById('banner').innerText);
      await frame.waitForSelector('.decrypt-open');
      await frame.click('.decrypt-open');
      win = await decryptWindow(b);
      watch(win, 'decrypt window');
      // Chromium reports a load the policy blocked as a failed request (with no reason) and says
      // why on the console; a request that was answered, or failed without that line, reached out.
      win.on('requestfailed', (r) => requests.push({ url: r.url(), answered: false }));
      win.on('response', (r) => requests.push({ url: r.url(), answered: true }));
      await win.waitForSelector('#unlock:not([hidden])', { timeout: 20000 });
      await win.type('#passphrase', passphrase);
      await win.click('#unlock-button');
      await win.waitForFunction(() => document.body.dataset.state === 'shown' && !document.getElementById('result').hidden, { timeout: 30000, polling: 100 });
      log.step('decrypted');

      const verdict = await win.$eval('#verdict', (n) => n.innerText);
      assert.match(verdict, /^Encrypted and signed ·\s+✔\s+Verified\s+V3 · statements@bank\.example · Example Bank Ltd \(GB\), Identity Validated and Trusted$/);
      assert.equal(await win.$eval('#addressed', (n) => n.innerText), 'The signer addressed it to: demo@mailseal.test');
      await win.screenshot({ path: join(artefacts, `decrypt-window-${kind}.png`), fullPage: true }).catch(() => {});
      // The webmail's banner is unchanged: the decrypted verdict is the window's alone.
      assert.equal(await frame.evaluate(() => document.getElementById('banner').innerText), before);
    });

    it('shows the HTML in a frame that reaches no network and runs nothing, and the attachment to save', { timeout: 60_000 }, async () => {
      // Nothing got out (checked first: it is what matters most).
      await sleep(1000);
      if (beacon.server) assert.deepEqual(beacon.hits, [], 'the decrypted HTML reached the network');
      const frame = await win.$eval('iframe.html-content', (f) => ({ sandbox: f.getAttribute('sandbox'), src: f.getAttribute('src'), srcdoc: f.srcdoc, height: f.getBoundingClientRect().height }));
      assert.deepEqual([frame.sandbox, frame.src], ['', null], 'sandboxed with nothing allowed, and nothing loaded into it');
      assert.match(frame.srcdoc, /^<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:;/);
      assert.match(frame.srcdoc, new RegExp(secret));
      assert.ok(frame.height > 100, 'the frame has room to show the message');
      const content = await contentFrameOf(win);
      if (content) {
        assert.match(await content.evaluate(() => document.body.innerText), new RegExp(secret));
        // The script did not run (it would retitle the frame's document).
        assert.notEqual(await content.evaluate(() => document.title), 'script ran');
        assert.equal(await content.evaluate(() => document.querySelector('img').naturalWidth), 0);
        // Submitting the form goes nowhere (the frame stays the srcdoc document).
        await content.click('#submit').catch(() => {});
        await sleep(500);
        assert.equal(await content.evaluate(() => location.href).catch(() => 'gone'), 'about:srcdoc');
        const blocked = (url) => consoleLines.some((l) => l.includes(`'${url}' violates the following Content Security Policy directive`) && l.endsWith('The action has been blocked.'));
        const remote = requests.filter((r) => /^https?:/.test(r.url) && (r.answered || !blocked(r.url))).map((r) => r.url);
        assert.deepEqual(remote, [], `the decrypt window reached the network: ${remote.join(', ')}`);
        assert.ok(consoleLines.some((l) => /Blocked form submission to 'http:\/\/127\.0\.0\.1:8719\/form'/.test(l)), 'the form was not blocked');
      }

      const link = await win.$eval('#attachment-list a', (a) => ({ name: a.getAttribute('download'), href: a.href, text: a.closest('li').innerText }));
      assert.equal(link.name, 'statement.txt');
      assert.match(link.href, new RegExp(`^blob:${b.origin.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/`));
      assert.match(link.text, /^statement\.txt \(text\/plain, \d+ B\)$/);
      if (kind === 'chromium') {
        // Saved as the user saves it: the file holds the decrypted attachment.
        const dir = mkdtempSync(join(tmpdir(), 'mailseal-decrypt-download-'));
        const cdp = await win.createCDPSession();
        await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: dir });
        await win.click('#attachment-list a');
        const file = join(dir, 'statement.txt');
        const until = Date.now() + 10000;
        while (!existsSync(file) && Date.now() < until) await sleep(100);
        assert.match(readFileSync(file, 'utf8'), new RegExp(`Reference: ${secret}`));
      }
    });

    it('the EFAIL shape gets no Decrypt, and the window refuses it with its reason', { timeout: 60_000 }, async () => {
      const frame = await open('encrypted-demo-part-only');
      assert.equal(await frame.$('.decrypt-open'), null, 'a message not encrypted as a whole offers no Decrypt');
      // The banner frame asks anyway (only a banner frame may, and only for its own message).
      // Its channel: in its URL, or (a frame loaded before its verdict, under a wait id) the one
      // its report names.
      const channel = await frame.evaluate(async () => {
        const params = new URLSearchParams(location.search);
        if (params.get('c')) return params.get('c');
        const got = await (globalThis.browser ?? chrome).runtime.sendMessage({ request: 'bannerReport', args: { wait: params.get('w') } });
        return got?.result?.channel ?? null;
      });
      const asked = await frame.evaluate((c) => (globalThis.browser ?? chrome).runtime.sendMessage({ request: 'decryptOpen', args: { channel: c } }), channel);
      assert.deepEqual(asked, { result: { opened: true } });
      const refused = await decryptWindow(b, [win]);
      watch(refused, 'refusal window');
      await refused.waitForSelector('#problem:not([hidden])', { timeout: 30000 });
      const text = await refused.$eval('#problem', (n) => n.innerText);
      assert.match(text, /part 2 is encrypted, but the message around it is not/);
      assert.equal(await refused.$eval('#content', (n) => n.childElementCount), 0);
      assert.doesNotMatch(await refused.evaluate(() => document.body.innerText), new RegExp(secret));
      await refused.close();
    });

    it('no decrypted text reaches the webmail page, storage, the report cache or any log', { timeout: 60_000 }, async () => {
      // The window holds it (the control: the search would find it where it is).
      assert.match(await win.$eval('iframe.html-content', (f) => f.srcdoc), new RegExp(secret));
      const found = [];
      const b64 = [0, 1, 2].map((s) => Buffer.from(secret.slice(s)).toString('base64').slice(4, -4));
      const search = (where, text) => {
        if (text.includes(secret) || b64.some((x) => text.includes(x))) found.push(where);
      };
      // The webmail page (every open of it in this test) and each of its frames (the banners).
      await open('encrypted-demo-signed');
      search('webmail page', await page.content());
      for (const f of page.frames()) search(`frame ${f.url()}`, await f.evaluate(() => document.documentElement.outerHTML).catch(() => ''));
      // Storage: local, session (channels and the report cache, r:…), sync.
      const stored = await optionsEval(b, page, async () => {
        const api = globalThis.browser ?? chrome;
        const [local, session, sync] = await Promise.all([api.storage.local.get(null), api.storage.session.get(null), api.storage.sync.get(null).catch(() => ({}))]);
        return { local: JSON.stringify(local), session: JSON.stringify(session), sync: JSON.stringify(sync), cacheKeys: Object.keys(session).filter((k) => k.startsWith('r:')).length };
      });
      for (const area of ['local', 'session', 'sync']) search(`storage.${area}`, stored[area]);
      assert.ok(stored.cacheKeys > 0, 'the report cache was searched, and holds the messages opened');
      // Every console line of the webmail page, the windows and (Chromium) the background's worker.
      search('console', consoleLines.join('\n'));
      const journalled = [];
      const print = console.log;
      console.log = (s) => journalled.push(String(s));
      try { log.print('search'); } finally { console.log = print; }
      search('journal', journalled.join('\n'));
      assert.deepEqual(found, [], `decrypted text found outside the window: ${found.join(', ')}`);
      await win.close();
    });
  });
}
