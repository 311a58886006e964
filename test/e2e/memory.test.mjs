// The sender memory end to end (internal/memory, background/memory.js): in the demo Gmail, the
// user opens the bank's signed mail (memory-01 to memory-07 of testdata/vectors, from cmd/genvectors),
// which teaches the memory; each later message then shows its warning in the banner. Banners are
// photographed into out/e2e/memory/ (index.html puts the two browsers side by side); in Chromium
// the options page lists what was kept.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { session, banners, settle, artefacts } from './harness.mjs';
import { defaultVectors } from '../../demo/server.mjs';

const skip = existsSync(join(defaultVectors, 'memory-01-bank-statement.eml')) ? false : 'no sender-memory vectors (make testdata)';
const wanted = (process.env.E2E_BROWSERS ?? 'chromium,firefox').split(',');
const out = join(artefacts, 'memory');

const teach = ['memory-01-bank-statement', 'memory-02-bank-card', 'memory-03-bank-sign-in',
  'memory-04-statements-may', 'memory-05-statements-june', 'memory-06-statements-july'];
export const warnings = [
  { vector: 'memory-08-unsigned-from-bank', severity: 'danger',
    text: 'Example Bank Ltd (GB) signed its previous 4 messages at V3; this one is not signed' },
  { vector: 'memory-09-unsigned-other-mailbox', severity: 'caution',
    text: 'Mail from example-bank.example is usually signed (2 of its senders sign at V3 or above); this message from another of its addresses is not signed' },
  { vector: 'memory-10-lower-level', severity: 'danger',
    text: 'Example Bank Ltd (GB) signed its previous 4 messages at V3; this one is signed at only V1' },
  { vector: 'memory-11-lookalike', severity: 'danger',
    text: "The sender's domain examp1e-bank.example is written to look like example-bank.example, which you know from signed mail" },
  { vector: 'memory-12-claims-organization', severity: 'danger',
    text: "The sender's name “Example Bank Ltd” names an organization you know from signed mail from example-bank.example, but this message comes from security@bank-alerts.example" },
];

for (const kind of ['chromium', 'firefox']) {
  describe(`the sender memory in ${kind}`, { skip: skip || (!wanted.includes(kind) && 'not asked for') }, () => {
    let s;
    before(async () => {
      s = await session(`memory-${kind}`, kind);
      mkdirSync(out, { recursive: true });
    });
    after(() => s?.end());

    async function open(name) {
      const { page, world, b } = s;
      const t = world.demo.threads.find((x) => x.members.length === 1 && x.members[0].name === name);
      assert.ok(t, `${name} is not in the demo inbox`);
      await page.goto('about:blank');
      await page.goto(`${world.demo.gmail}/mail/u/0/#inbox/${t.id}`);
      await settle(page, 1);
      await page.bringToFront();
      const shown = await banners(page, b.origin);
      assert.equal(shown.length, 1, `${name}: ${shown.length} banners`);
      return shown[0];
    }

    async function photograph(name) {
      const host = await s.page.$('div[data-mailseal="shown"]');
      await new Promise((r) => setTimeout(r, 300)); // the host grows to the warning's height
      await host.screenshot({ path: join(out, `${kind}-${name}.png`) });
    }

    it('a sender that is new, and its signed mail, give no warning; the memory learns from each opened message', async () => {
      for (const name of teach) {
        const got = await open(name);
        assert.equal(got.status, 'valid', name);
        assert.equal(got.severity, 'trusted', `${name}: ${got.text}`);
      }
      await photograph('memory-01-bank-statement');
    });

    it('a message carrying only its certificate is completed by the intermediate remembered from earlier mail', async () => {
      const got = await open('memory-07-leaf-only');
      assert.equal(got.status, 'valid', got.text);
      await photograph('memory-07-leaf-only');
    });

    for (const w of warnings) {
      it(`${w.vector}: ${w.severity}`, async () => {
        const got = await open(w.vector);
        assert.equal(got.severity, w.severity, got.text);
        assert.ok(got.text.includes(w.text), `${w.vector}: the banner says ${JSON.stringify(got.text)}`);
        assert.ok(got.mark, 'the security mark is drawn');
        await photograph(w.vector);
      });
    }

    if (kind === 'chromium') {
      it('the options page lists what is kept, and forgets a sender', async () => {
        const { b } = s;
        const page = await b.browser.newPage();
        await page.setViewport({ width: 1000, height: 900 });
        await page.goto(`${b.origin}/pages/options.html`);
        await page.waitForFunction(() => document.querySelectorAll('#memory-senders tr').length >= 2, { timeout: 20000, polling: 100 });
        const rows = await page.$$eval('#memory-senders tr', (trs) => trs.map((tr) => tr.innerText));
        assert.ok(rows.some((r) => r.includes('alerts@example-bank.example') && r.includes('V3') && r.includes('Example Bank Ltd (GB)')), rows.join('\n'));
        assert.ok(rows.some((r) => r.includes('statements@example-bank.example')), rows.join('\n'));
        const section = await page.$('#memory-senders');
        await section.evaluate((n) => n.closest('table').scrollIntoView());
        await page.screenshot({ path: join(out, `${kind}-options.png`) });
        await page.$$eval('#memory-senders tr', (trs) => {
          const row = trs.find((tr) => tr.innerText.includes('statements@example-bank.example'));
          [...row.querySelectorAll('button')].at(-1).click(); // Forget
        });
        await page.waitForFunction(() => ![...document.querySelectorAll('#memory-senders tr')].some((tr) => tr.innerText.includes('statements@')), { timeout: 10000, polling: 100 });
        await page.close();
      });
    }
  });
}

after(() => {
  mkdirSync(out, { recursive: true });
  const names = ['memory-01-bank-statement', 'memory-07-leaf-only', ...warnings.map((w) => w.vector)];
  const rows = names.map((n) => `<tr><th>${n}</th>${['chromium', 'firefox'].map((k) => `<td><img src="${k}-${n}.png" width="480"></td>`).join('')}</tr>`).join('\n');
  writeFileSync(join(out, 'index.html'), `<!doctype html><meta charset="utf-8"><title>mailseal: sender memory</title>
<h1>The sender memory, end to end</h1><table><tr><th></th><th>Chromium</th><th>Firefox</th></tr>\n${rows}\n</table>
<p><img src="chromium-options.png" width="800"></p>\n`);
});
