// The banner speaks the browser's language: Simplified Chinese in a zh-CN Chromium (Chromium
// takes the extension's locale from --lang; Firefox ESR has no zh-CN language pack installed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startWorld, launch, close, banners, settle, artefacts } from './harness.mjs';
import { defaultVectors } from '../../demo/server.mjs';

const skip = existsSync(join(defaultVectors, 'root.pem')) ? false : 'no sample messages (make testdata)';

test('banners in Simplified Chinese', { skip }, async () => {
  const world = await startWorld('locale');
  const b = await launch('chromium', world.extDirs.chromium, { lang: 'zh-CN' });
  try {
    const page = await b.browser.newPage();
    const find = (pred) => world.demo.threads.find((t) => t.members.length === 1 && pred(t.members[0]));
    const cases = [
      [find((m) => m.expect.level === 'V3'), /^已验证/, /^V3 · sales@acme\.example · .*身份已验证且可信$/],
      [find((m) => m.expect.level === 'V1' && !m.expect.warning), /^地址已确认/, /^V1 · \S+ · 邮箱已验证，身份未验证$/],
      [find((m) => m.name === 'valid-display-name-trick'), /^请核对发件人.*签名者是 eve@evil\.example，但发件人名称显示的是另一个地址：boss@bank\.com/, /^V1 · eve@evil\.example · /],
      [find((m) => m.expect.expect === 'invalid'), /^警告/, /签名与此邮件不符/],
      [find((m) => m.name === 'spoof-banner'), /^未签名/, /无签名/],
    ];
    for (const [t, severity, headline] of cases) {
      await page.goto(`${world.demo.gmail}/mail/u/0/#inbox/${t.id}`);
      await settle(page, 1);
      await page.bringToFront();
      const [shown] = await banners(page, b.origin);
      await page.screenshot({ path: join(artefacts, `zh-CN-${t.members[0].name}.png`) });
      const words = shown.text.split('\n').slice(2).join(' ');
      assert.match(words, severity, shown.text);
      assert.match(shown.headline, headline);
    }
  } finally {
    await close(b);
    await world.demo.close();
  }
});
