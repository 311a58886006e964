// Words and access (issue 12), in Chromium: every screen passes axe-core's WCAG 2 A/AA rules
// (contrast of every severity included) in light and dark; the banner announces its verdict in a
// live region; the details open and close by keyboard alone, their technical part too; "not
// checked" has its own words and badge; the popup names the messages open now, not every verdict
// the tab ever showed; zh_CN says the core's reasons in Chinese.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { startWorld, launch, close, banners, settle } from './harness.mjs';
import { extensionFrame, openWithFrame } from './extension-api.mjs';
import { defaultVectors } from '../../demo/server.mjs';

const skip = existsSync(join(defaultVectors, 'root.pem')) ? false : 'no sample messages (make testdata)';
const wanted = (process.env.E2E_BROWSERS ?? 'chromium,firefox').split(',');
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

// audit runs axe-core inside a page or frame and returns its WCAG 2 A and AA violations, each as
// "rule: target" lines a failure can be read from.
async function audit(frame) {
  await frame.evaluate(axeSource);
  const found = await frame.evaluate(async () => {
    const r = await globalThis.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => `${n.target.join(' ')} (${n.failureSummary?.split('\n')[1]?.trim() ?? ''})`).join('; ')}`);
  });
  return found;
}

const thread = (world, name) => {
  const t = world.demo.threads.find((x) => x.members.length === 1 && x.members[0].name === name);
  assert.ok(t, `${name} is not in the demo inbox`);
  return t;
};

// The screens with a banner: one of each look (V4 trusted, V1 confirmed, caution, danger, the
// quiet chip, not checked) and the partial message whose details say what did hold.
const bannerScreens = ['level-v4-sponsor-title', 'level-v1-mailbox-strict', 'partial-prepended-text', 'untrusted-unknown-root',
  'invalid-tampered-body', 'valid-display-name-trick', 'unsigned-plain', 'unavailable'];

describe('words and accessibility in chromium', { skip: skip || (!wanted.includes('chromium') && 'not asked for') }, () => {
  let world;
  const browsers = {};
  before(async () => {
    world = await startWorld('words');
    browsers.en = await launch('chromium', world.extDirs.chromium, { lang: 'en-US' });
    browsers.zh = await launch('chromium', world.extDirs.chromium, { lang: 'zh-CN' });
  });
  after(async () => {
    for (const b of Object.values(browsers)) await close(b);
    await world?.demo.close();
  });

  async function open(b, name, theme = 'light') {
    const page = (await b.browser.pages())[0] ?? await b.browser.newPage();
    await page.setViewport({ width: 1000, height: 900 });
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: theme }]);
    await page.goto('about:blank');
    await page.goto(`${world.demo.gmail}/mail/u/0/${theme === 'dark' ? '?theme=dark' : ''}#inbox/${thread(world, name).id}`);
    await settle(page, 1);
    await page.bringToFront();
    return page;
  }

  for (const theme of ['light', 'dark']) {
    it(`every banner, its details and their technical part pass axe (${theme})`, async () => {
      const problems = [];
      for (const name of bannerScreens) {
        if (!existsSync(join(defaultVectors, `${name}.eml`)) && name !== 'unavailable') continue;
        const page = await open(browsers.en, name, theme);
        const hidden = await page.$('div[data-mailseal="hidden"]');
        if (hidden) continue; // an unsigned message shows no chip unless asked to
        const { frame } = await openWithFrame(() => open(browsers.en, name, theme), browsers.en.origin, { opened: page });
        await frame.waitForSelector('button.summary');
        problems.push(...(await audit(frame)).map((v) => `${name} closed: ${v}`));
        await frame.click('button.summary');
        const technical = await frame.$('details.technical > summary');
        if (technical) await technical.click();
        problems.push(...(await audit(frame)).map((v) => `${name} open: ${v}`));
      }
      assert.deepEqual(problems, []);
    });

    it(`the popup, options, identity, first-run and compose pages pass axe (${theme})`, async () => {
      const b = browsers.en;
      const problems = [];
      for (const path of ['popup.html', 'options.html', 'identity.html', 'first-run.html', 'compose.html']) {
        const page = await b.browser.newPage();
        await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: theme }]);
        await page.goto(`${b.origin}/pages/${path}`, { waitUntil: 'networkidle0' });
        problems.push(...(await audit(page)).map((v) => `${path}: ${v}`));
        await page.close();
      }
      assert.deepEqual(problems, []);
    });
  }

  it('the banner announces its verdict\'s words in a live region', async () => {
    const { frame } = await openWithFrame(() => open(browsers.en, 'level-v4-sponsor-title'), browsers.en.origin);
    await frame.waitForFunction(() => document.getElementById('announce')?.textContent !== '', { timeout: 5000 });
    const live = await frame.evaluate(() => {
      const n = document.getElementById('announce');
      return { role: n.getAttribute('role'), live: n.getAttribute('aria-live'), text: n.textContent, mainLive: document.getElementById('banner').getAttribute('aria-live') };
    });
    assert.equal(live.role, 'status');
    assert.equal(live.live, 'polite');
    assert.match(live.text, /^Verified: V4 · /);
    // The banner itself is not live: opening the details does not read everything again.
    assert.equal(live.mainLive, null);
  });

  it('the details open and close by keyboard alone, their technical part too', async () => {
    const { page, frame } = await openWithFrame(() => open(browsers.en, 'partial-prepended-text'), browsers.en.origin);
    await frame.waitForSelector('button.summary');
    await frame.focus('button.summary');
    await page.keyboard.press('Enter');
    await frame.waitForFunction(() => document.querySelector('button.summary').getAttribute('aria-expanded') === 'true', { timeout: 3000 });
    // Tab moves to the technical details' summary; Space opens it.
    let reached = false;
    for (let i = 0; i < 10 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await frame.evaluate(() => document.activeElement?.matches('details.technical > summary') ?? false);
    }
    assert.ok(reached, 'Tab reaches "Technical details"');
    await page.keyboard.press('Space');
    assert.equal(await frame.evaluate(() => document.querySelector('details.technical').open), true);
    const text = await frame.evaluate(() => document.querySelector('.details').innerText);
    // Partial: the facts lead, and the level's reason says what held.
    assert.ok(text.indexOf('Who signed') < text.indexOf('Technical details'), text);
    assert.match(text, /the signature and its certificate chain are good, but they cover only part 2/);
    assert.doesNotMatch(text, /signature is not valid and trusted/);
    assert.doesNotMatch(text, /\(given\)/);
  });

  it('"not checked" says so, with why, in a look and badge of its own', async () => {
    const { page, frame } = await openWithFrame(() => open(browsers.en, 'unavailable'), browsers.en.origin);
    const [shown] = await banners(page, browsers.en.origin);
    assert.equal(shown.status, 'unavailable');
    assert.equal(shown.severity, 'unchecked');
    assert.match(shown.text, /^Not checked/m);
    assert.match(shown.headline, /could not be fetched/);
    assert.doesNotMatch(shown.text, /Not signed/);
    const badge = await frame.evaluate(async () => {
      const [tab] = (await chrome.tabs.query({})).filter((x) => x.url?.includes('/mail/u/0/'));
      return chrome.action.getBadgeText({ tabId: tab.id });
    });
    assert.equal(badge, '?');
  });

  it('the popup names the messages open now, not every verdict the tab showed', async () => {
    const b = browsers.en;
    await open(b, 'level-v1-mailbox-strict');
    const page = await open(b, 'level-v4-sponsor-title');
    const worker = await (await b.browser.waitForTarget((x) => x.type() === 'service_worker' && x.url() === `${b.origin}/background.js`)).worker();
    await worker.evaluate(() => chrome.action.openPopup());
    const popup = await (await b.browser.waitForTarget((x) => x.url() === `${b.origin}/pages/popup.html`)).asPage();
    await popup.waitForSelector('.status-item');
    const items = await popup.$$eval('.status-item', (ns) => ns.map((n) => n.innerText));
    await popup.close();
    assert.equal(items.length, 1, items.join('\n---\n'));
    assert.match(items[0], /V4 · /);
    // Named from the verified message: its raw subject and the report's From mailbox.
    const m = thread(world, 'level-v4-sponsor-title').members[0];
    assert.ok(items[0].includes(`“${m.subject}” from `), items[0]);
    assert.ok(items[0].includes(m.fromEmail), items[0]);
    assert.ok(page);
  });

  it('zh_CN says the core\'s reasons in Chinese and keeps the V4 country', async () => {
    const b = browsers.zh;
    let page = await open(b, 'untrusted-unknown-root');
    let frame = await extensionFrame(page, b.origin);
    await frame.click('button.summary');
    const text = await frame.evaluate(() => document.querySelector('.details').innerText);
    assert.match(text, /根证书不受信任/, text);
    assert.doesNotMatch(text, /untrusted root: the message carries/);
    page = await open(b, 'level-v4-sponsor-title');
    frame = await extensionFrame(page, b.origin);
    const headline = await frame.evaluate(() => document.querySelector('.headline').textContent);
    assert.match(headline, /\(GB\)/, headline);
  });
});
