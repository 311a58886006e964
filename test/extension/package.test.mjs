// The built packages: one manifest source, two browsers, and a demo build that differs from the
// production one only in the ways demo/README.md names.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const out = mkdtempSync(join(tmpdir(), 'mailseal-build-'));
const read = (...p) => JSON.parse(readFileSync(join(out, ...p), 'utf8'));
const hasCore = existsSync(join(root, 'dist', 'wasm', 'core.wasm'));

before(() => {
  if (!hasCore) return;
  execFileSync(process.execPath, [join(root, 'extension', 'build.mjs'), '--out', join(out, 'prod')]);
  const policy = join(out, 'policy.json');
  writeFileSync(policy, JSON.stringify({ roots: [], hosts: { '127.0.0.1:1': 'gmail' } }));
  execFileSync(process.execPath, [join(root, 'extension', 'build.mjs'), '--demo', policy, '--out', join(out, 'demo')]);
});

// 'wasm-unsafe-eval' is for the background and the kept core's worker (Chrome's offscreen
// document starts it), which run the core; the manifest's policy covers every extension page, so
// each page adds its own stricter one (both policies apply).
test('only the background and the kept core\'s worker may compile WebAssembly', { skip: !hasCore && 'make wasm first' }, () => {
  for (const browser of ['chrome', 'firefox']) {
    const dir = join(out, 'prod', browser, 'pages');
    const pages = readdirSync(dir).filter((f) => f.endsWith('.html'));
    assert.deepEqual(pages.sort(), ['banner.html', 'compose.html', 'decrypt.html', 'first-run.html', 'identity.html', 'kept-core.html', 'options.html', 'popup.html']);
    for (const p of pages) {
      const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(readFileSync(join(dir, p), 'utf8'))?.[1];
      assert.ok(csp, `${browser} ${p}: no policy of its own`);
      assert.match(csp, /(^|; )script-src 'self'(;|$)/, `${browser} ${p}`);
      assert.doesNotMatch(csp, /unsafe/, `${browser} ${p}`);
    }
    assert.ok(existsSync(join(out, 'prod', browser, 'background.js')));
  }
});

test('Chrome and Firefox manifests from one source', { skip: !hasCore && 'make wasm first' }, () => {
  const chrome = read('prod', 'chrome', 'manifest.json');
  const firefox = read('prod', 'firefox', 'manifest.json');
  for (const m of [chrome, firefox]) {
    assert.equal(m.manifest_version, 3);
    assert.equal(m.content_security_policy.extension_pages, "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'");
    assert.equal(m.externally_connectable, undefined); // no web page may message the background
    assert.ok(m.host_permissions.every((h) => h.startsWith('https://')), 'production reaches https origins only');
    // Pages may frame the banner only: never the compose window, the options, the popup or
    // anything holding keys (a compose frame in the page could be hidden and clicked through).
    assert.deepEqual(m.web_accessible_resources.flatMap((r) => r.resources), ['pages/banner.html']);
  }
  assert.equal(chrome.background.service_worker, 'background.js');
  assert.equal(chrome.browser_specific_settings, undefined);
  assert.deepEqual(firefox.background, { scripts: ['background.js'] });
  // Chrome keeps the core in an offscreen document (kept-core/); Firefox has no such API. The
  // browser's own permissions add to the shared ones, which both keep.
  assert.deepEqual(chrome.permissions, [...firefox.permissions, 'offscreen']);
  assert.ok(firefox.permissions.includes('storage') && !firefox.permissions.includes('offscreen'));
  // Mail the user signs goes to the Gmail API or Microsoft Graph, with sign-in tokens of Google
  // and Microsoft (docs/privacy.md): Mozilla's built-in consent names both.
  assert.deepEqual(firefox.browser_specific_settings.gecko.data_collection_permissions, { required: ['personalCommunications', 'authenticationInfo'] });
  assert.ok(existsSync(join(out, 'prod', 'mailseal-chrome.zip')) && existsSync(join(out, 'prod', 'mailseal-firefox.xpi')));
});

test('production has no demo policy and no path to one', { skip: !hasCore && 'make wasm first' }, () => {
  for (const browser of ['chrome', 'firefox']) {
    assert.equal(existsSync(join(out, 'prod', browser, 'demo-policy.json')), false);
    assert.doesNotMatch(readFileSync(join(out, 'prod', browser, 'background.js'), 'utf8'), /demo-policy\.json/);
    assert.match(readFileSync(join(out, 'demo', browser, 'background.js'), 'utf8'), /demo-policy\.json/);
  }
});

test('the demo build adds only 127.0.0.1 patterns, its policy and its name', { skip: !hasCore && 'make wasm first' }, () => {
  for (const browser of ['chrome', 'firefox']) {
    const prod = read('prod', browser, 'manifest.json');
    const demo = read('demo', browser, 'manifest.json');
    const strip = (m) => JSON.parse(JSON.stringify(m, (k, v) => (Array.isArray(v) ? v.filter((x) => x !== 'http://127.0.0.1/*') : v)));
    const { name: _n, browser_specific_settings: _b, ...d } = strip(demo);
    const { name: _p, browser_specific_settings: _c, ...p } = prod;
    assert.deepEqual(d, p);
    assert.ok(demo.host_permissions.includes('http://127.0.0.1/*'));
    assert.ok(existsSync(join(out, 'demo', browser, 'demo-policy.json')));
  }
});

test('every string the pages use exists in English and Simplified Chinese', () => {
  const en = JSON.parse(readFileSync(join(root, 'extension', '_locales', 'en', 'messages.json'), 'utf8'));
  const zh = JSON.parse(readFileSync(join(root, 'extension', '_locales', 'zh_CN', 'messages.json'), 'utf8'));
  assert.deepEqual(Object.keys(zh).sort(), Object.keys(en).sort());
  const used = new Set();
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) { walk(p); continue; }
      const src = readFileSync(p, 'utf8');
      for (const m of src.matchAll(/\bt\('([A-Za-z0-9_]+)'/g)) used.add(m[1]);
      for (const m of src.matchAll(/data-i18n(?:-label)?="([A-Za-z0-9_]+)"/g)) used.add(m[1]);
      for (const m of src.matchAll(/getMessage\('([A-Za-z0-9_]+)'/g)) used.add(m[1]);
    }
  };
  walk(join(root, 'extension', 'src'));
  for (const s of ['valid', 'malformed', 'invalid', 'unsupported', 'weak', 'untrusted', 'revoked', 'expired', 'mismatch', 'partial', 'encrypted', 'unsigned', 'unavailable']) used.add(`status_${s}`);
  for (const s of ['trusted', 'confirmed', 'caution', 'danger', 'none', 'unchecked', 'displayName']) used.add(`severity_${s}`);
  for (const s of ['address', 'domain', 'organization', 'person', 'bidi', 'invisible', 'lookalike']) used.add(`warning_${s}`);
  const missing = [...used].filter((k) => !(k in en));
  assert.deepEqual(missing, []);
  assert.ok(used.size > 40);
});
