// scripts/setup.sh, which make test, make demo and CI run first: on a machine that lacks things
// it names each one on a line of its own with what installs it, and it stops.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const setup = (args, env = {}) => spawnSync('bash', [join(root, 'scripts', 'setup.sh'), ...args], {
  cwd: root, encoding: 'utf8', env: { ...process.env, ...env },
});

test('a bare machine: one line per missing Debian package, with the command that installs it', () => {
  const r = setup(['test'], { SETUP_PREFIX: mkdtempSync(join(tmpdir(), 'bare-')) });
  assert.equal(r.status, 1);
  const lines = r.stderr.trim().split('\n');
  for (const pkg of ['chromium', 'firefox-esr', 'fonts-wqy-zenhei', 'openssl', 'gpgsm', 'gpg-agent', 'libnss3-tools', 'zip']) {
    const line = lines.filter((l) => l.includes(`apt-get install --no-install-recommends ${pkg}'`));
    assert.equal(line.length, 1, `${pkg}: ${r.stderr}`);
    assert.match(line[0], /^setup: \/usr\/\S+ is missing: run 'sudo apt-get install/);
  }
  assert.equal(lines.length, 10, r.stderr); // the eight above, make and git
});

test('the demo needs less than the tests', () => {
  const r = setup(['demo'], { SETUP_PREFIX: mkdtempSync(join(tmpdir(), 'bare-')) });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /chromium/);
  assert.doesNotMatch(r.stderr, /firefox-esr|gpgsm/);
});

test('an old or missing toolchain gets one sentence that says what to install', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oldgo-'));
  const oldGo = join(dir, 'go');
  writeFileSync(oldGo, '#!/bin/sh\n[ "$1 $2" = "env GOVERSION" ] && echo go1.19.8\n');
  chmodSync(oldGo, 0o755);
  let r = setup(['toolchains'], { GO: oldGo });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^setup: Go 1\.26 or later is needed, .* is 1\.19\.8: install it from https:\/\/go\.dev\/dl\//);
  r = setup(['toolchains'], { GO: join(dir, 'no-such-go') });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^setup: Go 1\.26 or later is missing/);
  r = setup(['toolchains']);
  assert.equal(r.status, 0, r.stderr);
});

test('a wrong argument is a usage error', () => {
  const r = setup(['everything']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /usage: scripts\/setup.sh/);
});
