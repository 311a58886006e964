// Firefox's kept event page (extension/src/keep-awake.js) in headless Firefox ESR: a message
// opened after the event page's idle timeout passed is verified by the core the background had
// already loaded; the page cannot reach the keeper; a tab that goes away lets the event page idle
// out as before.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defaultVectors } from '../../demo/server.mjs';
import { startWorld, launch, close, banners, firefoxIdleSeconds, backgroundStats, sleep } from './harness.mjs';

const skip = existsSync(join(defaultVectors, 'root.pem')) ? false : `no sample messages in ${defaultVectors} (make testdata)`;

describe('Firefox keeps the event page and its core between messages', { skip }, () => {
  let world, b, page, threads;
  before(async () => {
    world = await startWorld('keep-awake-firefox');
    b = await launch('firefox', world.extDirs.firefox);
    page = await b.browser.newPage();
    threads = world.demo.threads.filter((t) => t.members.length === 1 && t.members[0].expect.expect === 'valid');
  });
  after(async () => {
    if (b) await close(b);
    if (world) await world.demo.close();
  });

  // view opens thread in the page's document (the webmail's own routing, as a user's click does)
  // and returns its banner once shown.
  async function view(thread) {
    const name = thread.members[0].name;
    await page.evaluate(() => { location.hash = '#inbox'; });
    await sleep(50);
    await page.evaluate((id) => { location.hash = `#inbox/${id}`; }, thread.id);
    await page.waitForFunction((n) => window.demoTimings.shown[n] !== undefined, { timeout: 20000, polling: 50 }, name);
    await sleep(100);
    return (await banners(page, b.origin)).at(-1);
  }

  it('verifies a message opened after the idle timeout with the core already loaded', async () => {
    await page.goto(`${world.demo.gmail}/mail/u/0/#inbox`);
    await sleep(500);
    assert.equal((await view(threads[0]))?.status, 'valid');
    // The tests' idle timeout (2 s) is shorter than the keeper's first interval (20 s, under
    // Firefox's default 30 s): the event page stops once (after one more timeout, as it stores
    // the timeout it measured), the keeper starts it again at once (which loads its core before
    // any message asks), and the new event page tells it the timeout: half that from then on.
    await sleep((2 * firefoxIdleSeconds + 3) * 1000);
    const before = await backgroundStats(b, page);
    assert.equal(before.loads, 1);
    assert.ok(before.loadedAt > 0);
    // Three idle timeouts and more without a message: without the keeper the event page stops.
    await sleep((3 * firefoxIdleSeconds + 1) * 1000);
    const fetches = world.demo.state.rawFetches;
    assert.equal((await view(threads[1]))?.status, 'valid');
    assert.equal(world.demo.state.rawFetches, fetches + 1, 'the message was not fetched and verified');
    const afterStats = await backgroundStats(b, page);
    assert.equal(afterStats.bootedAt, before.bootedAt, 'the event page stopped under the kept port');
    assert.equal(afterStats.loads, 1, 'the core was loaded again');
    assert.equal(afterStats.loadedAt, before.loadedAt);
  });

  it('gives the page nothing to reach the keeper with', async () => {
    const reach = await page.evaluate(() => ({
      browser: typeof globalThis.browser,
      runtime: typeof globalThis.chrome?.runtime?.connect,
    }));
    assert.deepEqual(reach, { browser: 'undefined', runtime: 'undefined' });
  });

  it('lets the event page idle out once the tab is gone', async () => {
    const before = await backgroundStats(b, page);
    await page.goto('about:blank'); // the content script, and its port, go with the document
    await sleep((firefoxIdleSeconds + 3) * 1000);
    await page.goto(`${world.demo.gmail}/mail/u/1/#inbox`);
    await sleep(500);
    assert.equal((await view(threads[2]))?.status, 'valid');
    const afterStats = await backgroundStats(b, page);
    assert.notEqual(afterStats.bootedAt, before.bootedAt, 'the event page outlived its last webmail tab');
  });

  it('keeps the event page from a new document\'s first verdict, with the idle timeout learnt from the last stop', async () => {
    // The event page told the new document's keeper the timeout it measured when it stopped
    // (runtime.onSuspend): no stop to learn from this time.
    const before = await backgroundStats(b, page);
    await sleep((3 * firefoxIdleSeconds + 1) * 1000);
    assert.equal((await view(threads[3 % threads.length]))?.status, 'valid');
    const afterStats = await backgroundStats(b, page);
    assert.equal(afterStats.bootedAt, before.bootedAt, 'the event page stopped under the kept port');
    assert.equal(afterStats.loadedAt, before.loadedAt, 'the core was loaded again');
  });
});
