// What was validated decides the look: a V4 banner (a person in an organization) and a
// V1 banner (an address only) must not look alike, the level is written once, and a display name
// that claims another address is called out with the signed address first. Each banner is
// photographed in both browsers; out/e2e/levels/index.html puts them side by side.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { session, banners, settle, artefacts } from './harness.mjs';
import { extensionFrame } from './extension-api.mjs';
import { defaultVectors } from '../../demo/server.mjs';

const skip = existsSync(join(defaultVectors, 'root.pem')) ? false : 'no sample messages (make testdata)';
const wanted = (process.env.E2E_BROWSERS ?? 'chromium,firefox').split(',');
const out = join(artefacts, 'levels');

const cases = [
  { id: 'V4', vector: 'level-v4-sponsor-title', severity: 'trusted', word: 'Verified', badge: 'V4' },
  { id: 'V1', vector: 'level-v1-mailbox-strict', severity: 'confirmed', word: 'Address confirmed', badge: 'V1' },
  { id: 'display-name', vector: 'valid-display-name-trick', severity: 'danger', word: 'Check the sender', badge: '!',
    warning: "Signed by eve@evil.example, but the sender's name shows another address: boss@bank.com" },
];

for (const kind of ['chromium', 'firefox']) {
  describe(`levels and display names in ${kind}`, { skip: skip || (!wanted.includes(kind) && 'not asked for') }, () => {
    let s;
    const seen = {};
    before(async () => {
      s = await session(`levels-${kind}`, kind);
      mkdirSync(out, { recursive: true });
    });
    after(() => s?.end());

    // look opens the message in the demo Gmail and reads its banner frame: what it says and the
    // colours it draws the line in.
    async function look(c) {
      const { page, world, b } = s;
      const t = world.demo.threads.find((x) => x.members.length === 1 && x.members[0].name === c.vector);
      assert.ok(t, `${c.vector} is not in the demo inbox`);
      await page.goto('about:blank');
      await page.goto(`${world.demo.gmail}/mail/u/0/#inbox/${t.id}`);
      await settle(page, 1);
      await page.bringToFront();
      const [shown] = await banners(page, b.origin);
      const frame = await extensionFrame(page, b.origin);
      const style = await frame.evaluate(() => {
        const summary = getComputedStyle(document.querySelector('.summary'));
        return { background: summary.backgroundColor, border: `${summary.borderStyle} ${summary.borderColor}`, icon: document.querySelector('.icon').textContent };
      });
      const host = await page.$('div[data-mailseal="shown"]');
      await host.screenshot({ path: join(out, `${kind}-${c.id}.png`) });
      return { ...shown, style, expect: t.members[0].expect };
    }

    for (const c of cases) {
      it(`${c.id}: "${c.word}", the level once`, async () => {
        const got = await look(c);
        seen[c.id] = got;
        assert.equal(got.status, 'valid');
        assert.equal(got.severity, c.severity);
        assert.equal(got.headline, got.expect.banner, 'the level sentence is the core\'s own');
        const line = got.text.split('\n').filter(Boolean);
        assert.ok(line.includes(c.word), `no "${c.word}" in ${JSON.stringify(line)}`);
        const level = c.id === 'V4' ? 'V4' : 'V1';
        assert.equal(got.text.split(level).length - 1, 1, `the level appears more than once: ${got.text}`);
        if (c.warning) {
          assert.ok(line.includes(c.warning), `no warning line in ${JSON.stringify(line)}`);
          assert.ok(got.text.indexOf('eve@evil.example') < got.text.indexOf('boss@bank.com'), 'the signed address is not named first');
        } else {
          assert.doesNotMatch(got.text, /sender's name/);
        }
      });
    }

    it('V1, V4 and the display-name warning look different from each other', () => {
      const styles = cases.map((c) => JSON.stringify(seen[c.id]?.style));
      assert.equal(new Set(styles).size, cases.length, styles.join('\n'));
    });

    it('the details say what the From field claimed and what was validated', async () => {
      const got = await look(cases[2]);
      assert.equal(got.severity, 'danger');
      const frame = await extensionFrame(s.page, s.b.origin);
      await frame.click('button.summary');
      const details = await frame.$eval('.details', (n) => n.innerText);
      assert.match(details, /From field\s+Display name\s+boss@bank\.com\s+Address\s+eve@evil\.example/);
      assert.match(details, /Only the address was validated/);
      assert.match(details, /signed by eve@evil\.example, but the display name "boss@bank\.com" shows another address/);
    });

    // Firefox gives an extension frame inside a web page no action API to read the badge with.
    // Chromium only: a Firefox frame has no action API to read the badge with.
    if (kind === 'chromium') it('the toolbar badge follows the same split', async () => {
      for (const c of cases) {
        await look(c);
        const frame = await extensionFrame(s.page, s.b.origin);
        const badge = await frame.evaluate(async () => {
          const [tab] = (await chrome.tabs.query({})).filter((x) => x.url?.includes('/mail/u/0/'));
          return chrome.action.getBadgeText({ tabId: tab.id });
        });
        assert.equal(badge, c.badge, c.id);
      }
    });

    // The popup, as the user opens it over the tab (Firefox opens a popup only on a click).
    // Chromium only: Firefox opens a popup only on a user's click.
    if (kind === 'chromium') it('the popup makes the same split and repeats the warning', async () => {
      const { b } = s;
      const worker = await (await b.browser.waitForTarget((x) => x.type() === 'service_worker' && x.url() === `${b.origin}/background.js`)).worker();
      for (const c of [cases[1], cases[2]]) {
        await look(c);
        await worker.evaluate(() => chrome.action.openPopup());
        const popup = await (await b.browser.waitForTarget((x) => x.url() === `${b.origin}/pages/popup.html`)).asPage();
        await popup.waitForSelector('.status-item');
        const item = await popup.$eval('.status-item', (n) => ({ severity: n.dataset.severity, text: n.innerText }));
        await popup.screenshot({ path: join(out, `${kind}-popup-${c.id}.png`) }).catch(() => {});
        await popup.close();
        assert.equal(item.severity, c.severity, item.text);
        assert.match(item.text, new RegExp(`^. ${c.word} V1 · `));
        if (c.warning) assert.ok(item.text.includes(c.warning), item.text);
      }
    });

    after(() => writeFileSync(join(out, 'index.html'), comparison()));
  });
}

// comparison is a page with each browser's banners side by side, V4 then V1 then the warning.
function comparison() {
  const rows = ['chromium', 'firefox'].map((kind) => `<h2>${kind}</h2><div class="row">${cases.map((c) =>
    `<figure><img src="${kind}-${c.id}.png" alt="${c.id} in ${kind}"><figcaption>${c.id}: ${c.word}</figcaption></figure>`).join('')}</div>`).join('\n');
  return `<!doctype html><meta charset="utf-8"><title>mailseal: V1 and V4 side by side</title>
<style>body{font:14px system-ui;margin:20px}.row{display:grid;grid-template-columns:repeat(3,1fr);gap:12px}img{width:100%;border:1px solid #ccc}figure{margin:0}</style>
<h1>V4, V1 and a display-name trick, side by side</h1>
${rows}
`;
}
