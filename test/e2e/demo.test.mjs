// make demo without a display: every screen photographed, in Chinese with a font that has the
// characters, and one index page that shows them all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './harness.mjs';
import { bannerStates, memoryStates } from '../../demo/screens.mjs';
import { startDemo } from '../../demo/server.mjs';

test('make demo photographs every screen and indexes them', { timeout: 240000 }, async () => {
  // Chinese text needs a CJK font, or the zh_CN screenshots show empty boxes (scripts/setup.sh installs one).
  assert.notEqual(execFileSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' }).trim(), '', 'no font covers Chinese');

  execFileSync(process.execPath, [join(root, 'demo', 'run.mjs'), '--headless', '--screenshots-only', '--variants', 'zh-dark'], {
    cwd: root, stdio: 'pipe', env: { ...process.env, DEMO_GMAIL_PORT: '0', DEMO_OUTLOOK_PORT: '0' },
  });
  const dir = join(root, 'out', 'demo', 'screenshots');
  const shots = JSON.parse(readFileSync(join(dir, 'screens.json'), 'utf8'));
  const screens = new Set(shots.map((s) => s.screen));

  const demo = await startDemo({ gmailPort: 0, outlookPort: 0 });
  const states = bannerStates(demo.threads).map((s) => s.key);
  const remembered = memoryStates(demo.threads).filter((s) => s.shoot).map((s) => s.message.name.slice('memory-'.length));
  await demo.close();
  assert.ok(remembered.length >= 5, 'the demo inbox has no sender-memory sequence');
  // A leaf-only message (untrusted-missing-intermediate) is not among them: once earlier valid mail
  // of its CA was opened, the sender memory completes its chain (its screens are memory-*).
  for (const key of ['valid V1', 'valid V2', 'valid V3', 'valid V4', 'invalid', 'untrusted',
    'untrusted unknown-root', 'unsigned', 'unavailable', 'spoof', 'display-name']) {
    assert.ok(states.includes(key), `the demo inbox has no ${key} message`);
  }
  const wanted = ['first-run', 'popup', 'options', 'identity', 'details-gmail', 'details-outlook', 'details-technical-gmail',
    'details-partial-gmail', 'details-untrusted-unknown-root-gmail', 'details-unavailable-gmail',
    'compose-no-identity', 'identity-imported', 'compose-gmail', 'compose-outlook', 'compose-confirm-gmail',
    'compose-confirm-outlook', 'compose-sent-outlook', 'compose-too-large-outlook', 'compose-close-ask',
    ...states.flatMap((k) => ['gmail', 'outlook'].map((p) => `banner-${k.replace(' ', '-')}-${p}`)),
    ...remembered.flatMap((n) => ['gmail', 'outlook'].map((p) => `memory-${n}-${p}`))];
  for (const screen of wanted) assert.ok(screens.has(screen), `no screenshot of ${screen}`);

  const index = readFileSync(join(dir, 'index.html'), 'utf8');
  // V4, V1 and the display-name trick side by side, before the rest.
  const levels = index.slice(index.indexOf('<section id="levels">'));
  const order = ['V4', 'V1', 'display-name'].map((k) => levels.indexOf(`zh-dark/banner-${k.startsWith('V') ? `valid-${k}` : k}-gmail.png`));
  assert.ok(order.every((i, n) => i > 0 && (n === 0 || i > order[n - 1])), `no V4 | V1 | display-name row: ${order}`);
  for (const s of shots) {
    assert.ok(existsSync(join(dir, s.file)) && statSync(join(dir, s.file)).size > 2000, `${s.file} is missing or blank`);
    assert.ok(index.includes(`src="${s.file}"`), `index.html does not show ${s.file}`);
  }
});
