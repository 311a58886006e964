// Screenshots of the first-run page in English and Simplified Chinese, light and dark, from the
// demo build in headless Chromium, for the demo's screenshot index.
//
//	node test/e2e/first-run-screenshots.mjs [OUT_DIR]     default out/demo/screenshots
//
// writes OUT_DIR/first-run-{en,zh-CN}-{light,dark}.png. firstRunScreenshots(outDir) does the same
// for a caller that has its own demo running (it starts its own demo webmail either way).
import { mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startWorld, launch, close, root } from './harness.mjs';

export async function firstRunScreenshots(outDir = join(root, 'out', 'demo', 'screenshots')) {
  mkdirSync(outDir, { recursive: true });
  const world = await startWorld('first-run-screenshots');
  const written = [];
  try {
    for (const lang of ['en', 'zh-CN']) {
      const b = await launch('chromium', world.extDirs.chromium, { lang: lang === 'en' ? 'en-US' : lang });
      try {
        const page = await b.browser.newPage();
        await page.setViewport({ width: 820, height: 900 });
        for (const scheme of ['light', 'dark']) {
          await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
          await page.goto(`${b.origin}/pages/first-run.html`);
          // Filled in from the background: the mark, then whether a signing identity exists.
          await page.waitForFunction(() => document.querySelector('#sample-mark .mark-word')?.textContent, { timeout: 20000, polling: 100 });
          await page.waitForFunction(() => document.querySelector('#identity-state').textContent, { timeout: 3000, polling: 100 }).catch(() => {});
          const path = join(outDir, `first-run-${lang}-${scheme}.png`);
          await page.screenshot({ path, fullPage: true });
          written.push(path);
        }
      } finally {
        await close(b);
      }
    }
  } finally {
    await world.demo.close();
  }
  return written;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const written = await firstRunScreenshots(process.argv[2]);
  for (const p of written) console.log(relative(process.cwd(), p));
}
