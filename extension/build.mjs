// Build the extension for Chrome and Firefox from one source.
//
//	node extension/build.mjs                      dist/chrome, dist/firefox, dist/mailseal-chrome.zip, dist/mailseal-firefox.xpi
//	node extension/build.mjs --demo POLICY --out DIR
//	                                               DIR/chrome, DIR/firefox: the same code plus the demo
//	                                               webmail's origins and a demo policy (see demo/README.md)
//
// The demo variant differs from the production one in two ways only, both visible in its manifest
// and in demo-policy.json: http://127.0.0.1 match patterns, and a policy file whose roots and
// settings the background reads as it reads an administrator's managed storage. The production
// build contains neither, and its code has no path to read demo-policy.json (__DEMO__ is false,
// so esbuild drops that branch).
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeZip } from './tools/zip.mjs';
import { iconPNG } from './tools/icon.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');

const args = process.argv.slice(2);
const demoPolicy = flag('--demo');
const outRoot = flag('--out') ?? join(root, 'dist');
const wasmDir = flag('--wasm') ?? join(root, 'dist', 'wasm');

function flag(name) {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

// The demo webmail's origins: any port on 127.0.0.1 (match patterns cannot name a port).
const demoMatch = 'http://127.0.0.1/*';

const entries = {
  'background': 'src/worker.js',
  'content': 'src/content/main.js',
  'pages/banner': 'src/pages/banner.js',
  'pages/popup': 'src/pages/popup.js',
  'pages/options': 'src/pages/options.js',
  'pages/compose': 'src/pages/compose.js',
  'pages/identity': 'src/pages/identity.js',
  'pages/first-run': 'src/pages/first-run.js',
  'pages/decrypt': 'src/pages/decrypt.js',
  'pages/kept-core': 'src/pages/kept-core.js',
  'kept-core-worker': 'src/kept-core/worker.js',
};
// Copied as they are: [source under extension/, destination in the package].
const staticFiles = [
  ['src/pages/banner.html', 'pages/banner.html'], ['src/pages/popup.html', 'pages/popup.html'],
  ['src/pages/options.html', 'pages/options.html'], ['src/pages/mailseal.css', 'pages/mailseal.css'],
  ['managed-schema.json', 'managed-schema.json'], ['_locales', '_locales'],
  ['src/pages/compose.html', 'pages/compose.html'], ['src/pages/identity.html', 'pages/identity.html'],
  ['src/pages/signing.css', 'pages/signing.css'], ['src/pages/first-run.html', 'pages/first-run.html'],
  ['src/pages/decrypt.html', 'pages/decrypt.html'], ['src/pages/decrypt.css', 'pages/decrypt.css'],
  ['src/pages/kept-core.html', 'pages/kept-core.html'],
];

function manifestFor(browser, demo) {
  const source = JSON.parse(readFileSync(join(here, 'manifest.source.json'), 'utf8'));
  const own = source[browser];
  delete source['//']; delete source.chrome; delete source.firefox;
  const m = { ...source, ...own, permissions: [...source.permissions, ...(own.permissions ?? [])], version: packageVersion() };
  if (demo) {
    m.name = 'mailseal (demo build)';
    m.host_permissions = [...m.host_permissions, demoMatch];
    m.content_scripts = m.content_scripts.map((cs) => ({ ...cs, matches: [...cs.matches, demoMatch] }));
    m.web_accessible_resources = m.web_accessible_resources.map((r) => ({ ...r, matches: [...r.matches, demoMatch] }));
    if (browser === 'firefox') {
      m.browser_specific_settings = { gecko: { ...m.browser_specific_settings.gecko, id: 'mailseal-demo@mailseal' } };
    }
  }
  return m;
}

function packageVersion() {
  return JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version ?? '0.1.0';
}

async function buildOne(browser, outDir, demo) {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: Object.fromEntries(Object.entries(entries).map(([out, src]) => [out, join(here, src)])),
    outdir: outDir,
    bundle: true,
    format: 'iife',
    target: ['chrome122', 'firefox142'],
    alias: { 'mailseal-core': join(wasmDir, 'loader.js') },
    define: { __BROWSER__: JSON.stringify(browser), __DEMO__: String(Boolean(demo)) },
    legalComments: 'none',
    minifySyntax: true, // drops `if (false)` branches (the demo policy) while names stay readable
    logLevel: 'warning',
  });
  for (const [from, to] of staticFiles) cpSync(join(here, from), join(outDir, to), { recursive: true });
  mkdirSync(join(outDir, 'icons'));
  for (const size of [16, 32, 48, 128]) writeFileSync(join(outDir, 'icons', `${size}.png`), iconPNG(size));
  copyCore(outDir);
  if (demo) cpSync(demo, join(outDir, 'demo-policy.json'));
  writeFileSync(join(outDir, 'manifest.json'), JSON.stringify(manifestFor(browser, demo), null, 2) + '\n');
}

// The core is built by `make wasm` (see wasm/main.go); the extension ships it as is.
function copyCore(outDir) {
  const wasm = join(wasmDir, 'core.wasm');
  const exec = join(wasmDir, 'wasm_exec.js');
  if (!existsSync(wasm) || !existsSync(exec)) {
    throw new Error(`build: ${relative(root, wasm)} or wasm_exec.js is missing: run \`make wasm\` first`);
  }
  cpSync(wasm, join(outDir, 'core.wasm'));
}

function files(dir, base = dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p, base) : [relative(base, p)];
  }).sort();
}

function pack(dir, zipPath) {
  writeZip(zipPath, files(dir).map((name) => ({ name, data: readFileSync(join(dir, name)) })));
}

try {
  const browsers = ['chrome', 'firefox'];
  for (const browser of browsers) await buildOne(browser, join(outRoot, browser), demoPolicy);
  if (!demoPolicy) {
    pack(join(outRoot, 'chrome'), join(outRoot, 'mailseal-chrome.zip'));
    pack(join(outRoot, 'firefox'), join(outRoot, 'mailseal-firefox.xpi'));
  }
  console.log(`build: wrote ${browsers.map((b) => relative(root, join(outRoot, b))).join(', ')}${demoPolicy ? ' (demo)' : ' and packages'}`);
} catch (err) {
  console.error(err.message);
  process.exit(1);
}
