// The core's signing methods as the background calls them (dist/wasm/loader.js in Node): import,
// unlock, sign 1 KB and 1 MB, verify what was signed with the core's own verify. Prints the sign
// times (the figures of docs/signing.md). The PKCS #12 file comes from test/e2e/p12.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = join(import.meta.dirname, '..', '..');
const wasmDir = join(root, 'dist', 'wasm');
const account = 'demo@mailseal.test';

async function loadCore() {
  const { loadCore } = await import(pathToFileURL(join(wasmDir, 'loader.js')).href);
  return loadCore(readFileSync(join(wasmDir, 'core.wasm')));
}

function identity() {
  const dir = mkdtempSync(join(tmpdir(), 'mailseal-signing-'));
  execFileSync('go', ['run', './test/e2e/p12', '-email', account, '-password', 'pw', '-out', dir], { cwd: root, stdio: 'pipe' });
  return readFileSync(join(dir, 'identity.p12'));
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

test('sign 1 KB and 1 MB in the core, and the core verifies both', { skip: !existsSync(join(wasmDir, 'core.wasm')) && 'make wasm first' }, async (t) => {
  const core = await loadCore();
  const roots = readFileSync(join(root, 'testdata', 'vectors', 'root.pem'), 'utf8');
  const p12 = identity();
  const { sealed, summary } = await core.sealIdentity(p12, 'pw', 'tin roof rusted', { roots });
  assert.equal(summary.level, 'V4');
  assert.equal(summary.trusted, true);
  let started = performance.now();
  const unlocked = await core.unlockIdentity(sealed, 'tin roof rusted', { lockAt: new Date(Date.now() + 60_000) });
  const unlockMillis = performance.now() - started;
  const ident = { session: unlocked.session, sessionKey: unlocked.sessionKey };
  for (const [label, size] of [['1 KB', 1024], ['1 MB', 1024 * 1024]]) {
    const text = 'Grüße aus dem Test. '.repeat(Math.ceil(size / 21)).slice(0, size);
    const times = [];
    let raw;
    for (let i = 0; i < 5; i++) {
      started = performance.now();
      ({ raw } = await core.sign(ident, { from: account, to: 'bob@example.net', subject: label, text }));
      times.push(performance.now() - started);
    }
    const report = await core.verify(raw, { roots });
    assert.equal(report.status, 'valid', JSON.stringify(report.reasons));
    assert.equal(report.level, 'V4');
    assert.equal(report.signer.email, account);
    t.diagnostic(`sign ${label} text (RSA 2048, WASM in Node): median ${median(times).toFixed(1)} ms of 5, message ${raw.length} bytes`);
  }
  t.diagnostic(`unlock (scrypt N=2^17 r=8 in WASM, then re-wrap): ${unlockMillis.toFixed(0)} ms`);
});
