// When the webmail changes its page: the demo serves its message views with renamed selectors
// (?layout=changed, demo/public/common.js) and mailseal says "mailseal cannot read this page
// layout" on the toolbar button of that tab (badge and title) and in the popup, instead of
// showing nothing; the known layout clears it. Firefox: what the popup reads (tabLayout) only.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { session, settle, artefacts, extensionPage } from './harness.mjs';
import { defaultVectors } from '../../demo/server.mjs';
import { graceMillis } from '../../extension/src/content/layout-watch.js';

const skip = existsSync(join(defaultVectors, 'root.pem')) ? false : 'no sample messages (make testdata)';
const sentence = 'mailseal cannot read this page layout';

for (const kind of (process.env.E2E_BROWSERS ?? 'chromium,firefox').split(',')) {
  describe(`a changed page layout in ${kind}`, { skip }, () => {
    let s, world, b, page, helper;

    before(async () => {
      s = await session(`layout-${kind}`, kind);
      ({ world, b, page } = s);
      // A webmail tab with a banner: its banner frame reaches the extension's API for the test.
      helper = await b.browser.newPage();
      await helper.goto(`${world.demo.gmail}/mail/u/1/#inbox/${world.demo.threads[0].id}`);
      await settle(helper, 1);
    });
    after(() => s?.end());

    // buttonOf reads the toolbar button and the background's answer (tabLayout, what the popup
    // shows) for the tab whose address contains part, from the popup page opened at the top level
    // (tabLayout is answered to the popup only).
    async function buttonOf(part) {
      b.popupPage ??= await extensionPage(b, helper, 'popup.html');
      return b.popupPage.evaluate(async (p) => {
        const api = globalThis.browser ?? chrome;
        const tabLayout = async (tabId) => (await api.runtime.sendMessage({ request: 'tabLayout', args: { tabId } })).result;
        if (!api.tabs) {
          for (let tabId = 1; tabId < 100; tabId++) {
            const layout = await tabLayout(tabId);
            if (layout) return { layout };
          }
          return { layout: null };
        }
        const tab = (await api.tabs.query({})).find((t) => t.url?.includes(p));
        if (!tab) return null;
        return { badge: await api.action.getBadgeText({ tabId: tab.id }), title: await api.action.getTitle({ tabId: tab.id }), layout: await tabLayout(tab.id) };
      }, part);
    }

    async function waitForButton(part, want) {
      const until = Date.now() + graceMillis + 15000;
      let got;
      while (Date.now() < until) {
        got = await buttonOf(part);
        if (got && want(got)) return got;
        await new Promise((r) => setTimeout(r, 500));
      }
      assert.fail(`the toolbar button of ${part} never changed: ${JSON.stringify(got)}`);
    }

    const unreadable = (s) => (kind === 'firefox' ? s.layout !== null : s.badge !== '');
    // Readable again, the button shows the verdict of the message (badge.js), not the "!".
    const readable = (s) => (kind === 'firefox' ? s.layout === null : s.title !== sentence && s.badge !== '!');

    const thread = () => world.demo.threads.find((t) => t.members.length === 1 && t.members[0].expect.expect === 'valid');

    it('Gmail: says so on the toolbar button and in the popup, and clears it when the page reads again', { timeout: 90_000 }, async () => {
      const t = thread();
      await page.goto(`${world.demo.gmail}/mail/u/0/?layout=changed#inbox/${t.id}`);
      await page.waitForSelector('.msg-v2');
      const shown = await waitForButton('layout=changed', unreadable);
      assert.equal(shown.layout?.provider, 'gmail');
      if (kind === 'chromium') assert.deepEqual([shown.badge, shown.title], ['!', sentence]);
      assert.equal(await page.evaluate(() => document.querySelectorAll('div[data-mailseal]').length), 0);

      if (kind === 'chromium') {
        // The popup, as the user opens it over this tab (Firefox opens a popup only on a click).
        await b.popupPage?.close(); // the popup page buttonOf reads from, opened in a tab
        b.popupPage = null;
        await page.bringToFront();
        const worker = await (await b.browser.waitForTarget((x) => x.type() === 'service_worker' && x.url() === `${b.origin}/background.js`)).worker();
        await worker.evaluate(() => chrome.action.openPopup());
        const popup = await (await b.browser.waitForTarget((x) => x.url() === `${b.origin}/pages/popup.html`)).asPage();
        await popup.waitForSelector('#layout-problem');
        assert.match(await popup.$eval('#layout-problem', (n) => n.textContent), new RegExp(`^. ${sentence}Gmail changed its page`));
        await popup.screenshot({ path: join(artefacts, 'popup-layout-unreadable.png') }).catch(() => {});
        await popup.close();
      }

      // The webmail serves the layout mailseal knows again.
      await page.goto(`${world.demo.gmail}/mail/u/0/#inbox/${t.id}`);
      await settle(page, 1);
      const cleared = await waitForButton('/mail/u/0/#inbox', readable);
      assert.equal(cleared.layout, null);
      if (kind === 'chromium') {
        const { level } = t.members[0].expect;
        const verdict = await waitForButton('/mail/u/0/#inbox', (x) => x.badge === level);
        assert.match(verdict.title, new RegExp(`^mailseal: .* · ${level} · `));
      }
    });

    it('Outlook: says so on the toolbar button and to the popup', { timeout: 90_000 }, async () => {
      const t = thread();
      await page.goto(`${world.demo.outlook}/mail/inbox/id/${encodeURIComponent(t.convId)}?layout=changed`);
      await page.waitForSelector('[aria-label="Message content"]');
      const shown = await waitForButton('layout=changed', unreadable);
      assert.equal(shown.layout?.provider, 'outlook');
      if (kind === 'chromium') assert.deepEqual([shown.badge, shown.title], ['!', sentence]);
    });
  });
}
