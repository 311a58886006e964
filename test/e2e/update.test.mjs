// After an update: an open webmail tab keeps its banners without a reload (the background injects
// the new content script, background/open-tabs.js), shows each banner once (the newest copy
// takes over, content/instance.js), and what the previous version stored is migrated
// (background/migrations.js).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { session, banners, settle } from './harness.mjs';
import { extensionFrame } from './extension-api.mjs';
import { defaultVectors } from '../../demo/server.mjs';

const skip = existsSync(join(defaultVectors, 'root.pem')) ? false : 'no sample messages (make testdata)';

function bumpVersion(extDir) {
  const file = join(extDir, 'manifest.json');
  const m = JSON.parse(readFileSync(file, 'utf8'));
  m.version = m.version.replace(/\d+$/, (n) => String(Number(n) + 1));
  writeFileSync(file, JSON.stringify(m, null, 2));
  return m.version;
}

// update installs the same build with a higher version over the running one: an update, as the
// browser does it from a store (onInstalled reason "update"). Chromium loads it as an unpacked
// extension again (puppeteer: CDP Extensions.loadUnpacked), Firefox as a temporary add-on.
async function update(b, extDir) {
  const version = bumpVersion(extDir);
  await b.browser.installExtension(extDir);
  return version;
}

for (const kind of (process.env.E2E_BROWSERS ?? 'chromium,firefox').split(',')) {
  describe(`an update in ${kind}`, { skip }, () => {
    let s, world, b, page;

    before(async () => {
      s = await session(`update-${kind}`, kind);
      ({ world, b, page } = s);
    });
    after(() => s?.end());

    it('keeps an open webmail tab working without a reload, one banner a message, and migrates stored data', { timeout: 90_000 }, async () => {
      const [first, second] = world.demo.threads.filter((t) => t.members.length === 1 && t.members[0].expect.expect === 'valid');
      await page.goto(`${world.demo.gmail}/mail/u/0/#inbox/${first.id}`);
      await settle(page, 1);
      // What the previous version stored: no schema version, no first-run record.
      const frame = await extensionFrame(page, b.origin);
      await frame.evaluate(async () => {
        const local = (globalThis.browser ?? chrome).storage.local;
        await local.remove(['schemaVersion', 'firstRun']);
        await local.set({ settings: { mark: { word: 'lantern', color: '#00695c' } } });
      });
      await page.evaluate(() => document.querySelector('div[data-mailseal]').setAttribute('data-test', 'before-update'));

      const version = await update(b, world.extDirs[kind]);

      // The banner of the open message is drawn again by the new content script, and only once.
      await page.waitForFunction(() => !document.querySelector('[data-test="before-update"]'), { timeout: 20000, polling: 100 });
      await settle(page, 1);
      let shown = await banners(page, b.origin);
      assert.deepEqual(shown.map((s) => s.status), ['valid']);
      assert.equal(shown[0].mark, 'lantern', 'the banner lost the stored security mark');
      // The tab opens another message (Gmail changes only the address fragment): a banner, once.
      await page.evaluate((id) => { location.hash = `#inbox/${id}`; }, second.id);
      await page.waitForFunction((name) => document.querySelector(`[data-demo-name="${name}"]`), {}, second.members[0].name);
      await settle(page, 1);
      shown = await banners(page, b.origin);
      assert.deepEqual(shown.map((s) => s.status), ['valid']);
      assert.equal(await page.evaluate(() => document.querySelectorAll('div[data-mailseal]').length), 1);

      const stored = await (await extensionFrame(page, b.origin)).evaluate(async () => {
        const api = globalThis.browser ?? chrome;
        return { ...(await api.storage.local.get(['schemaVersion', 'firstRun'])), version: api.runtime.getManifest().version };
      });
      assert.equal(stored.version, version, 'the extension was not updated');
      assert.equal(stored.schemaVersion, 2);
      assert.equal(stored.firstRun?.by, 'update');
    });
  });
}
