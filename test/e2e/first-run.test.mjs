// The first-run page: opened on install (Chromium; a Firefox driven by WebDriver is told apart and
// gets none), it sets the security mark the banners then show, points to the identity page,
// connects Outlook, and records the first run, after which the popup stops pointing to it.
// Firefox cannot open a moz-extension:// page in a tab under WebDriver BiDi: there the page is
// reached through mailseal's compose window, which navigates itself to it (harness extensionPage).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { session, banners, settle, extensionPage, pageRequest } from './harness.mjs';
import { defaultVectors } from '../../demo/server.mjs';

const skip = existsSync(join(defaultVectors, 'root.pem')) ? false : 'no sample messages (make testdata)';
const wanted = (process.env.E2E_BROWSERS ?? 'chromium,firefox').split(',');

// chooseMark sets a word and colour on the first-run page (page or frame) and keeps them.
async function chooseMark(p, word, color) {
  await p.waitForFunction(() => document.querySelector('#mark-word').value !== '', { polling: 100 });
  await p.$eval('#mark-word', (n) => { n.value = ''; });
  await p.type('#mark-word', word);
  await p.$eval('#mark-color', (n, c) => { n.value = c; n.dispatchEvent(new Event('input')); }, color);
  assert.equal(await p.$eval('#sample-mark .mark-word', (n) => n.textContent), word, 'the sample banner does not show the mark');
  await p.click('#mark-form button[type=submit]');
  await p.waitForFunction(() => document.querySelector('#mark-result').textContent !== '', { polling: 100 });
  return p.$eval('#mark-result', (n) => n.textContent);
}

describe('the first-run page in chromium', { skip: skip || (!wanted.includes('chromium') && 'not asked for') }, () => {
  let s, world, b;

  before(async () => {
    s = await session('first-run-chromium', 'chromium');
    ({ world, b } = s);
  });
  after(() => s?.end());

  const opened = (page) => b.browser.waitForTarget((t) => t.url() === `${b.origin}/pages/${page}`, { timeout: 10000 }).then((t) => t.page());

  it('opens on install, sets the mark, links the identity, connects Outlook, and is reopened from the popup', { timeout: 90_000 }, async () => {
    assert.deepEqual(b.openedOnInstall, ['pages/first-run.html'], 'the first-run page did not open on install');
    const popup = await b.browser.newPage();
    await popup.goto(`${b.origin}/pages/popup.html`);
    await popup.waitForSelector('#first-run-pending:not([hidden])');
    await popup.click('#open-first-run');
    const page = await opened('first-run.html');
    await page.setViewport({ width: 900, height: 900 });
    assert.equal(await page.$eval('h1', (n) => n.textContent), 'Welcome to mailseal');

    assert.match(await chooseMark(page, 'heron', '#123456'), /^Saved/);
    assert.deepEqual((await page.evaluate(() => chrome.runtime.sendMessage({ request: 'getSettings' }))).result.settings.mark, { word: 'heron', color: '#123456' });

    await page.waitForFunction(() => document.querySelector('#identity-state').textContent !== '', { polling: 100 });
    assert.equal(await page.$eval('#identity-state', (n) => n.textContent), 'No signing identity yet.');
    await page.click('#open-identity');
    await (await opened('identity.html')).close();

    // The demo policy names an app registration, and the demo signs in without a prompt.
    assert.equal(await page.$eval('#outlook-needs-id', (n) => n.hidden), true);
    await page.click('#connect-outlook');
    await page.waitForFunction(() => document.querySelector('#outlook-result').textContent !== '', { timeout: 20000, polling: 100 });
    assert.equal(await page.$eval('#outlook-result', (n) => n.textContent), 'Outlook is connected.');
    assert.ok(world.demo.state.signIns >= 1);

    await page.click('#done');
    await page.waitForFunction(() => document.querySelector('#done-result').textContent !== '', { polling: 100 });
    await popup.reload();
    await popup.waitForSelector('#first-run-pending[hidden]');
    await popup.close();

    // The banners carry the chosen mark.
    await page.goto(`${world.demo.gmail}/mail/u/0/#inbox/${world.demo.threads.find((t) => t.members[0].expect.expect === 'valid').id}`);
    await settle(page, 1);
    assert.equal((await banners(page, b.origin))[0].mark, 'heron');
  });
});

describe('the first-run page in firefox', { skip: skip || (!wanted.includes('firefox') && 'not asked for') }, () => {
  let s, world, b, page;

  before(async () => {
    s = await session('first-run-firefox', 'firefox', { width: 1000, height: 900 });
    ({ world, b, page } = s);
  });
  after(() => s?.end());

  it('sets the mark the banners show and records the first run', { timeout: 90_000 }, async () => {
    const thread = world.demo.threads.find((t) => t.members.length === 1 && t.members[0].expect.expect === 'valid');
    const open = async () => {
      await page.goto('about:blank');
      await page.goto(`${world.demo.gmail}/mail/u/0/#inbox/${thread.id}`);
      await settle(page, 1);
    };
    await open();
    assert.deepEqual((await pageRequest(b, page, 'popup.html', 'firstRun')).result, { done: false });
    const frame = await extensionPage(b, page, 'first-run.html');
    await frame.waitForSelector('h1');
    assert.equal(await frame.$eval('h1', (n) => n.textContent), 'Welcome to mailseal');
    assert.match(await chooseMark(frame, 'heron', '#123456'), /^Saved/);
    await frame.click('#done');
    await frame.waitForFunction(() => document.querySelector('#done-result').textContent !== '', { polling: 100 });

    await frame.close();
    await open();
    assert.equal((await banners(page, b.origin))[0].mark, 'heron');
    assert.deepEqual((await pageRequest(b, page, 'popup.html', 'firstRun')).result, { done: true });
  });
});
