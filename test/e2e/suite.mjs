// The end-to-end suite, run once per browser (chromium.test.mjs, firefox.test.mjs): the real
// extension (demo build) on the demo webmail. Screenshots of every state go to out/e2e/screenshots/.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { defaultVectors } from '../../demo/server.mjs';
import { join } from 'node:path';
import { startWorld, launch, close, banners, settle, artefacts, firefoxIdleSeconds, stopWorker, root, optionsRequest, optionsEval, backgroundStats, sleep, waitFor } from './harness.mjs';

export function suite(kind) {
  // The sample messages come from `make testdata` (the core's fixture CA); without them there is
  // nothing to show, and the suite says so instead of passing.
  const skip = existsSync(join(defaultVectors, 'root.pem')) ? false : `no sample messages in ${defaultVectors} (make testdata)`;
  describe(`mailseal in ${kind}`, { skip }, () => {
    let world, b, page;
    const shots = join(artefacts, 'screenshots', kind);

    before(async () => {
      rmSync(shots, { recursive: true, force: true });
      mkdirSync(shots, { recursive: true });
      world = await startWorld(kind);
      b = await launch(kind, world.extDirs[kind]);
      page = await b.browser.newPage();
      await page.setViewport({ width: 1000, height: 700 });
    });
    after(async () => {
      if (b) await close(b);
      if (world) await world.demo.close();
    });

    const views = {
      gmail: (t, account = 0) => `${world.demo.gmail}/mail/u/${account}/#inbox/${t.id}`,
      outlook: (t) => `${world.demo.outlook}/mail/inbox/id/${encodeURIComponent(t.convId)}`,
    };

    async function open(provider, thread, account) {
      // A fresh document each time: Gmail's hash routing would otherwise keep the page.
      await page.goto('about:blank');
      await page.goto(views[provider](thread, account));
      await settle(page, thread.members.length);
      // The silent Outlook sign-in opens a hidden window; headless Chromium does not paint a page
      // left behind it, and a screenshot would wait forever.
      await page.bringToFront();
      return banners(page, b.origin);
    }

    const stats = () => backgroundStats(b, page);

    for (const provider of ['gmail', 'outlook']) {
      it(`shows the right banner for every sample message in ${provider}`, async () => {
        const singles = world.demo.threads.filter((t) => t.members.length === 1 && !t.graphOnly);
        assert.ok(singles.length > 0, 'the demo inbox is empty');
        const wrong = [];
        for (const t of singles) {
          const m = t.members[0];
          const shown = await open(provider, t);
          await page.screenshot({ path: join(shots, `${provider}-${m.name}.png`) });
          const want = m.expect;
          const got = shown[0];
          if (shown.length !== 1) wrong.push(`${m.name}: ${shown.length} banners`);
          // A message without its intermediate is valid once the sender memory holds it from the
          // valid mail of that CA opened before it in this loop (`remembered:` in its .expect).
          else if (got.status !== (want.remembered ?? want.expect)) wrong.push(`${m.name}: status ${got.status}, want ${want.remembered ?? want.expect}`);
          else if (want.banner && got.headline !== want.banner) wrong.push(`${m.name}: banner ${JSON.stringify(got.headline)}, want ${JSON.stringify(want.banner)}`);
          else if (!got.mark) wrong.push(`${m.name}: no security mark`);
          if (provider === 'outlook' && got && !/experimental/.test(got.text)) wrong.push(`${m.name}: Outlook banner not labelled experimental`);
        }
        assert.deepEqual(wrong, []);
      });

      it(`shows one banner per open message of a conversation in ${provider}`, async () => {
        const t = world.demo.threads.find((x) => x.members.length > 1);
        if (!t) return;
        const shown = await open(provider, t);
        await page.screenshot({ path: join(shots, `${provider}-conversation.png`) });
        assert.deepEqual(shown.map((s) => s.status), t.members.map((m) => m.expect.expect));
      });

      it(`draws no banner for a copy of our markup in a body (${provider})`, async () => {
        const t = world.demo.threads.find((x) => x.members[0].name === 'spoof-banner');
        const before = world.demo.state.rawFetches;
        const shown = await open(provider, t);
        await sleep(300); // room for a wrong second banner to appear
        const hosts = await page.evaluate(() => document.querySelectorAll('[data-mailseal]').length);
        // One genuine host (the unsigned chip) and the body's imitation; no banner frame for the
        // imitation, and no fetch of the signed message the fake container names.
        assert.equal(hosts, 2);
        assert.deepEqual((await banners(page, b.origin)).map((s) => s.status), ['unsigned']);
        assert.equal(shown.length, 1);
        assert.ok(world.demo.state.rawFetches - before <= 1, 'the fake container made the extension fetch another message');
      });
    }

    it('reads an Outlook item link (item view) through translateExchangeIds', async () => {
      const t = world.demo.threads.find((x) => x.members.length === 1 && x.members[0].expect.level === 'V4');
      await page.goto('about:blank');
      await page.goto(`${world.demo.outlook}/mail/inbox/id/${encodeURIComponent(t.members[0].itemId)}`);
      await settle(page, 1);
      await page.bringToFront();
      const [shown] = await banners(page, b.origin);
      assert.equal(shown.status, 'valid');
      assert.equal(shown.headline, t.members[0].expect.banner ?? shown.headline);
      assert.match(shown.text, /V4/);
    });

    it('refuses an Outlook verdict when Graph returns another message than the one shown', async () => {
      const t = world.demo.threads.find((x) => x.graphOnly);
      const [shown] = await open('outlook', t);
      await page.screenshot({ path: join(shots, 'outlook-hidden-message.png') });
      assert.equal(shown.status, 'unavailable');
      const reasons = await (await bannerFrame()).evaluate(() => document.querySelector('.details').textContent);
      assert.match(reasons, /not the one on the page/);
      assert.equal((await open('gmail', t))[0].status, t.members[0].expect.expect);
    });

    // bannerFrame gives the first banner frame of the page (an extension page).
    async function bannerFrame() {
      for (const frame of page.frames().slice(1)) {
        const href = await frame.evaluate(() => location.href).catch(() => '');
        if (href.startsWith(`${b.origin}/pages/banner.html`) && await frame.evaluate(() => Boolean(document.body?.dataset.status)).catch(() => false)) return frame;
      }
      throw new Error('no banner frame');
    }

    it('opens details from the keyboard, follows a dark webmail, shows opaque content as text', async () => {
      const valid = world.demo.threads.filter((x) => x.members.length === 1 && x.members[0].expect.expect === 'valid');
      const t = valid.find((x) => x.members[0].attachments.includes('smime.p7m')) ?? valid[0];
      await page.goto('about:blank');
      await page.goto(`${world.demo.gmail}/mail/u/0/?theme=dark#inbox/${t.id}`);
      await settle(page, 1);
      const frame = await bannerFrame();
      const hostHeight = () => page.evaluate(() => document.querySelector('div[data-mailseal]').getBoundingClientRect().height);
      const closed = await hostHeight();
      assert.equal(await frame.evaluate(() => document.documentElement.dataset.theme), 'dark');
      assert.equal(await frame.evaluate(() => document.querySelector('[role=status]').getAttribute('aria-live')), 'polite');
      await frame.focus('button.summary');
      await page.keyboard.press('Enter');
      await frame.waitForFunction(() => document.querySelector('button.summary').getAttribute('aria-expanded') === 'true', { polling: 100 });
      // The facts lead; the chain and the checks are under "Technical details", opened by keyboard.
      await frame.focus('details.technical > summary');
      await page.keyboard.press('Enter');
      await frame.waitForFunction(() => document.querySelector('details.technical').open, { polling: 100 });
      const text = await frame.evaluate(() => document.querySelector('.details').innerText);
      for (const heading of ['Who signed', 'Validated by', 'Certificate chain', 'Checks', 'SHA-256']) assert.ok(text.includes(heading), `details lack ${heading}`);
      await page.waitForFunction((h) => document.querySelector('div[data-mailseal]').getBoundingClientRect().height > h + 50, { polling: 100 }, closed);
      if (t.members[0].attachments.includes('smime.p7m')) {
        // By keyboard: the button may lie below the page's viewport once the details are open.
        await frame.focus('button.link');
        await page.keyboard.press('Enter');
        await frame.waitForFunction(() => document.querySelector('.signed-content pre, .signed-content iframe, .signed-content p'), { polling: 100 });
        const shown = await frame.evaluate(() => document.querySelector('.signed-content').innerText);
        assert.ok(shown.trim().length > 0, 'opaque content not shown');
      }
      await page.screenshot({ path: join(shots, 'gmail-details-dark.png') });
    });

    it('follows the settings: the security mark, and hiding the unsigned chip', async () => {
      const spoof = world.demo.threads.find((x) => x.members[0].name === 'spoof-banner');
      const valid = world.demo.threads.find((x) => x.members[0].expect.expect === 'valid');
      // Settings are saved from the options page (no other page may save them).
      const save = async (args) => {
        await open('gmail', valid);
        return optionsRequest(b, page, 'saveSettings', args);
      };
      try {
        assert.ok((await save({ mark: { word: 'heron', color: '#00695c' } })).result);
        assert.equal((await open('gmail', valid))[0].mark, 'heron');
        assert.ok((await save({ showUnsignedChip: false })).result);
        assert.deepEqual(await open('gmail', spoof), []);
        assert.equal(await page.evaluate(() => document.querySelector('.adn > .gs > div[data-mailseal]')?.getAttribute('data-mailseal')), 'hidden');
      } finally {
        await save({ showUnsignedChip: true });
      }
    });

    // forgetMemory empties the sender memory, which has learnt from every message the tests above
    // opened: a test that judges messages alone starts without it (test/e2e/memory.test.mjs tests it).
    async function forgetMemory() {
      const { result } = await optionsRequest(b, page, 'memoryAccounts', {});
      for (const account of result.accounts) await optionsRequest(b, page, 'memoryEdit', { account, edit: { forgetAll: true } });
    }

    it('counts a root the user adds as "trusted by you": valid, at most V1', async () => {
      const t = world.demo.threads.find((x) => x.members[0].name === 'untrusted-other-root');
      if (!t) return;
      await forgetMemory();
      const pem = readFileSync(join(defaultVectors, 'other-root.pem'), 'utf8');
      const ask = async (request, args) => {
        await open('gmail', world.demo.threads.find((x) => x.members[0].expect.expect === 'valid'));
        return optionsRequest(b, page, request, args);
      };
      assert.equal((await open('gmail', t))[0].status, 'untrusted');
      assert.equal((await ask('addUserRoots', { pem })).result, 1);
      try {
        const [shown] = await open('gmail', t);
        assert.equal(shown.status, 'valid');
        assert.match(shown.text, /V1/);
        assert.doesNotMatch(shown.text, /V[234]/);
      } finally {
        const { result } = await ask('getSettings', {});
        for (const r of result.userRoots) await ask('removeUserRoot', { sha256: r.sha256 });
      }
      assert.equal((await open('gmail', t))[0].status, 'untrusted');
    });

    it('checks revocation lists when the user turns it on: revoked and valid, each in words', async () => {
      // Two messages signed now by certificates whose CRL address is this demo webmail, and the
      // CA's list, which names the first signer (test/e2e/revoked). The demo build may reach
      // 127.0.0.1, so no permission prompt is needed here.
      const dir = mkdtempSync(join(tmpdir(), 'mailseal-revoked-'));
      const url = `${world.demo.gmail}/demo/crl/ca-${kind}.crl`;
      execFileSync('go', ['run', './test/e2e/revoked', '-url', url, '-out', dir], { cwd: root, stdio: 'pipe' });
      world.demo.publishCRL(`ca-${kind}.crl`, readFileSync(join(dir, 'ca.crl')));
      const thread = (m) => ({ id: m.legacy, convId: m.convId, members: [m] });
      const sample = (name) => world.demo.deliver(readFileSync(join(dir, `${name}.eml`)), readFileSync(join(dir, `${name}.expect`), 'utf8'));
      const revoked = thread(sample('revoked'));
      const good = thread(sample('good'));
      const save = async (args) => {
        await open('gmail', world.demo.threads.find((x) => x.members[0].expect.expect === 'valid'));
        return optionsRequest(b, page, 'saveSettings', args);
      };
      assert.ok((await save({ checkRevocation: true })).result);
      try {
        const fetches = world.demo.state.crlFetches;
        const [bad] = await open('gmail', revoked);
        assert.equal(bad.status, 'revoked', bad.text);
        assert.equal(bad.severity, 'danger');
        assert.equal(world.demo.state.crlFetches, fetches + 1, 'the CRL was not fetched');
        const [ok] = await open('gmail', good);
        assert.equal(ok.status, 'valid', ok.text);
        assert.equal(world.demo.state.crlFetches, fetches + 1, 'the CRL was fetched again within the hour');
      } finally {
        await save({ checkRevocation: false });
        rmSync(dir, { recursive: true, force: true });
        // The later tests pick threads by their expectations, which held with checking on only.
        for (const t of [revoked, good]) world.demo.threads.splice(world.demo.threads.findIndex((x) => x.id === t.id), 1);
      }
    });

    it('keeps the page away from the background and from banner content', async () => {
      const t = world.demo.threads.find((x) => x.members[0].expect.expect === 'valid');
      await open('gmail', t);
      const extId = b.origin.split('//')[1];
      const reach = await page.evaluate(async (id) => {
        const api = globalThis.chrome?.runtime ?? globalThis.browser?.runtime;
        if (!api?.sendMessage) return 'no api';
        try {
          const r = await api.sendMessage(id, { request: 'stats' });
          return `answered ${JSON.stringify(r)}`;
        } catch (err) {
          return `refused: ${err.message}`;
        }
      }, extId);
      assert.ok(!reach.startsWith('answered'), reach);
      // A frame of our banner page that the page makes itself has no channel: no verdict.
      await page.evaluate((origin) => {
        const f = document.createElement('iframe');
        f.src = `${origin}/pages/banner.html?c=${'0'.repeat(32)}`;
        f.id = 'forged';
        document.body.append(f);
      }, b.origin);
      await sleep(1500);
      const shown = await banners(page, b.origin);
      assert.equal(shown.filter((s) => s.status === 'none').length, 1, JSON.stringify(shown));
      assert.equal(shown.filter((s) => s.status === 'valid').length, 1);
      // The banner's frame sits in a closed shadow root: the page cannot read its URL (channel).
      const visible = await page.evaluate(() => [...document.querySelectorAll('[data-mailseal]')].map((h) => h.shadowRoot));
      assert.ok(visible.every((r) => r === null));
      // A banner frame (the one extension page a webmail embeds) may ask only for its own banner:
      // not for settings, trust roots, the identity or sending, and it cannot compile WebAssembly
      // (only the background, which runs the core, may).
      const frame = await bannerFrame();
      const asked = await frame.evaluate(async () => {
        const out = {};
        for (const r of ['saveSettings', 'getSettings', 'addUserRoots', 'removeUserRoot', 'connectOutlook', 'tabStatus', 'identityStatus', 'identityLock', 'identityUnlock', 'signAndSend', 'composeDraft']) {
          out[r] = (await (globalThis.browser ?? chrome).runtime.sendMessage({ request: r, args: {} }))?.error?.code ?? 'answered';
        }
        out.wasm = await WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])).then(() => 'compiled', (e) => e.name);
        return out;
      });
      const { wasm, ...requests } = asked;
      assert.ok(Object.values(requests).every((v) => v === 'refused'), JSON.stringify(asked));
      assert.equal(wasm, 'CompileError', 'a banner frame compiled WebAssembly');
    });

    it('puts a banner the page hid or moved back above its message, and says so on the toolbar badge', { timeout: 60_000 }, async () => {
      const t = world.demo.threads.find((x) => x.members.length >= 2 && x.members.every((m) => m.expect.expect === 'valid'));
      assert.ok(t, 'no conversation of two or more signed messages');
      await forgetMemory();
      await open('gmail', t);
      const badge = () => optionsEval(b, page, async (prefix) => {
        const api = globalThis.browser ?? chrome;
        const tab = (await api.tabs.query({})).find((x) => x.url?.startsWith(prefix));
        return { text: await api.action.getBadgeText({ tabId: tab.id }), title: await api.action.getTitle({ tabId: tab.id }) };
      }, world.demo.gmail);
      const before = await badge(); // the last verdict's level (background/badge.js), no warning yet
      assert.notEqual(before.text, '!', 'a warning badge before the page did anything');
      assert.doesNotMatch(before.title, /hid a mailseal banner|moved a mailseal banner/);
      // Each attack, then: every shown banner is visible and sits right above its own message.
      const back = () => page.waitForFunction(() => {
        const hosts = [...document.querySelectorAll('div[data-mailseal="shown"]')].filter((h) => !h.closest('.a3s'));
        return hosts.length >= 2 && hosts.every((h) => h.checkVisibility() && h.getBoundingClientRect().height > 10
          && h.nextElementSibling?.matches('div.ii.gt, div.a3s') && getComputedStyle(h).position === 'static');
      }, { timeout: 5000, polling: 50 });
      const attacks = {
        'display:none': () => { hosts()[0].style.display = 'none'; },
        'opacity in a stylesheet': () => { document.head.append(Object.assign(document.createElement('style'), { textContent: '[data-mailseal] { opacity: 0.01 !important }' })); },
        'moved beside the next message': () => { const [a, b] = hosts(); b.nextElementSibling.before(a); },
        'moved by CSS': () => { Object.assign(hosts()[0].style, { position: 'absolute', top: '600px' }); },
        'removed': () => { hosts()[1].remove(); },
      };
      for (const [name, attack] of Object.entries(attacks)) {
        await page.evaluate(`(() => { const hosts = () => [...document.querySelectorAll('div[data-mailseal="shown"]')].filter((h) => !h.closest('.a3s')); (${attack})(); })()`);
        await back().catch(() => assert.fail(`not put back after: ${name}`));
      }
      const { text, title } = await badge();
      assert.equal(text, '!');
      assert.match(title, /hid a mailseal banner|moved a mailseal banner/);
      // The frame names its message in its details.
      const frame = await bannerFrame();
      await frame.click('button.summary');
      assert.match(await frame.evaluate(() => document.querySelector('.message-is').textContent), new RegExp(`belongs to the message from .*${t.members[0].fromEmail.replace(/[.+]/g, '\\$&')}`, 'i'));
    });

    it('says "not checked" when a verify does not finish within its bound', { timeout: 90_000 }, async () => {
      // Gmail's download route hangs (the demo holds the raw message back longer than the bound).
      const t = world.demo.threads.filter((x) => x.members.length === 1 && x.members[0].expect.expect === 'valid').at(-1);
      world.demo.state.rawDelayMillis = 60_000;
      try {
        await page.goto('about:blank');
        await page.goto(`${world.demo.gmail}/mail/u/3/#inbox/${t.id}`); // an account not seen yet: no cached report
        const started = Date.now();
        await settle(page, 1, 40_000);
        const [shown] = await banners(page, b.origin);
        assert.equal(shown?.status, 'unavailable', JSON.stringify(shown));
        const waited = Date.now() - started;
        assert.ok(waited >= 19_000 && waited < 35_000, `shown after ${waited} ms`);
      } finally {
        world.demo.state.rawDelayMillis = 0;
      }
    });

    it('brings banners back after the background stops', async () => {
      const [first, second] = world.demo.threads.filter((x) => x.members.length === 1 && x.members[0].expect.expect !== 'unavailable');
      await open('gmail', first);
      const booted = (await stats()).bootedAt;
      assert.ok(booted > 0);
      const fetches = world.demo.state.rawFetches;
      if (kind === 'chromium') {
        await stopWorker(b);
      } else {
        await page.goto('about:blank');
        await sleep((firefoxIdleSeconds + 3) * 1000); // the event page idles out
      }
      // A message seen before comes from the session cache (no second fetch) ...
      const again = await open('gmail', first);
      assert.equal(again.length, 1);
      assert.equal(again[0].status, first.members[0].expect.expect);
      assert.equal(world.demo.state.rawFetches, fetches, 'the message was fetched and verified twice');
      // ... and one not seen in this account (Gmail's second signed-in account) is verified by a
      // freshly loaded core (Firefox), or by the kept one that outlived the worker (Chromium).
      const next = await open('gmail', second, 1);
      assert.equal(world.demo.state.rawFetches, fetches + 1);
      // The raw fetch is same-origin with the webmail (the content script's own fetch, which the
      // page cannot intercept), so a real Gmail would see the user's session.
      assert.equal(world.demo.state.lastRawFetchSite, 'same-origin');
      assert.equal(next[0]?.status, second.members[0].expect.expect);
      const after = await stats();
      if (kind === 'chromium') {
        assert.ok(after.kept?.loads === 1 && after.kept.loadedAt < after.bootedAt, 'the kept core did not outlive the worker');
      } else {
        assert.ok(after.loads >= 1, 'the new background loaded no core');
      }
      assert.notEqual(after.bootedAt, booted, 'the background did not restart');
    });

    // Last: keepText (reports.js) keeps the text of three reports and drops the oldest report
    // whole, even one whose banner frame has yet to read it; run before the guard test, the two
    // signed messages opened here left one of its conversation's three banners "no result".
    it('opens a message in a spare banner frame loaded ahead, which the page can neither wake nor count on', async () => {
      const valid = world.demo.threads.filter((t) => t.members.length === 1 && t.members[0].expect.expect === 'valid');
      const [first, second] = valid;
      const frames = async () => {
        const out = [];
        for (const frame of page.frames().slice(1)) {
          const f = await frame.evaluate(() => (/\/pages\/banner\.html\?w=/.test(location.href)
            ? { status: document.body.dataset.status ?? '', loadedAt: performance.timeOrigin } : null)).catch(() => null);
          if (f) out.push(f);
        }
        return out;
      };
      const spareLoaded = () => waitFor(async () => (await frames()).some((f) => f.status === ''));
      await page.goto('about:blank');
      await page.goto(`${world.demo.gmail}/mail/u/7/#inbox`);
      await spareLoaded();
      // The page posts wakes to every frame it can reach, with wait ids it made up: the spare
      // draws nothing (a wake must name its own wait id, which sits in a closed shadow root).
      const reached = await page.evaluate(() => {
        let n = 0;
        for (let i = 0; i < window.frames.length; i++, n++) window.frames[i].postMessage({ mailseal: 'wake', wait: '0'.repeat(32), theme: 'dark' }, '*');
        return n;
      });
      await sleep(500);
      assert.ok((await frames()).every((f) => f.status === ''), `a page's wake woke a spare (${reached} frames reached)`);
      // Opened: the spare, loaded before the message was, shows its banner.
      const openedAt = await page.evaluate((id) => { location.hash = `#inbox/${id}`; return performance.timeOrigin + performance.now(); }, first.id);
      await settle(page, 1);
      const shown = (await frames()).filter((f) => f.status !== '');
      assert.deepEqual(shown.map((f) => f.status), ['valid']);
      assert.ok(shown[0].loadedAt < openedAt, 'the banner\'s frame was loaded before its message opened');
      assert.deepEqual((await banners(page, b.origin)).map((x) => x.status), ['valid']);
      // A page that removes every element it did not make (a spare among them) only costs speed:
      // the next message's banner loads its own frame, and is right.
      await page.evaluate(() => { location.hash = '#inbox'; });
      await spareLoaded();
      const removed = await page.evaluate(() => {
        const extra = [...document.body.children].filter((el) => el.tagName === 'DIV' && getComputedStyle(el).position === 'fixed' && el.getBoundingClientRect().height === 0);
        for (const el of extra) el.remove();
        return extra.length;
      });
      assert.equal(removed, 1, 'one spare per tab');
      await page.evaluate((id) => { location.hash = `#inbox/${id}`; }, second.id);
      await settle(page, 1);
      assert.deepEqual((await banners(page, b.origin)).map((x) => x.status), [second.members[0].expect.expect]);
    });
  });
}
