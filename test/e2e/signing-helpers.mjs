// Shared by the signing end-to-end tests (signing.test.mjs in Chromium, signing-firefox.test.mjs):
// the test identity, openssl's verdict on what was sent, and finding mailseal's frames.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultVectors } from '../../demo/server.mjs';
import { root } from './harness.mjs';

export const account = 'demo@mailseal.test';
export const p12Password = 'p12-pass-Zq8rT';
export const passphrase = 'long passphrase Kx4!vW9 for the demo';

export const skip = !existsSync(join(defaultVectors, 'root.pem')) ? `no fixture root in ${defaultVectors} (make testdata)`
  : !existsSync('/usr/bin/openssl') ? 'openssl is missing' : false;

/** identityFiles writes a V4 PKCS #12 identity of the demo account (test/e2e/p12) and its key. */
export function identityFiles() {
  const dir = mkdtempSync(join(tmpdir(), 'mailseal-identity-'));
  execFileSync('go', ['run', './test/e2e/p12', '-email', account, '-password', p12Password, '-out', dir], { cwd: root, stdio: 'pipe' });
  return { p12: join(dir, 'identity.p12'), key: readFileSync(join(dir, 'key.der')), dir };
}

/** opensslVerifies returns '' when `openssl cms -verify` accepts raw under the fixture root, else its complaint. */
export function opensslVerifies(raw, dir, name) {
  const file = join(dir, `${name}.eml`);
  writeFileSync(file, raw);
  try {
    execFileSync('openssl', ['cms', '-verify', '-in', file, '-CAfile', join(defaultVectors, 'root.pem'), '-out', '/dev/null'], { stdio: 'pipe' });
    return '';
  } catch (err) {
    return String(err.stderr);
  }
}

/**
 * frameAt waits for a frame of the page whose location starts with prefix. It asks each frame
 * itself: Firefox's frame list keeps a child frame's first URL.
 */
export async function frameAt(page, prefix, timeout = 15000) {
  const until = Date.now() + timeout;
  while (Date.now() < until) {
    for (const f of page.frames().slice(1)) {
      const href = await f.evaluate(() => location.href).catch(() => '');
      if (href.startsWith(prefix)) return f;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no frame at ${prefix}`);
}

/** sendFrom presses Send in a compose frame and returns what it says. */
export async function sendFrom(frame) {
  await frame.click('#send');
  await frame.waitForFunction(() => ['ok', 'error'].includes(document.querySelector('#result').dataset.kind), { timeout: 30000, polling: 100 });
  return frame.$eval('#result', (n) => ({ kind: n.dataset.kind, text: n.textContent }));
}
