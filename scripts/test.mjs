// make test: every layer in order, each to the end even when one before it failed, then one table.
// A layer fails when its command fails, when it ran no test, or when any of its Node tests was
// skipped, cancelled or left as todo: a test that did not run is not a test that passed. Go tests
// may skip only for the shared corpora beside the repository (../shared/corpora), and the table
// says when they did.
//   node scripts/test.mjs [LAYER...]     layers: setup go interop wasm extension e2e
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { counts, problems } from './test-summary.mjs';

const root = join(import.meta.dirname, '..');
const layers = [
  { name: 'setup', target: 'test-setup', what: 'scripts/setup.sh on a bare machine' },
  { name: 'go', target: 'test-go', what: 'Go core: vet, unit, vectors, corpora, fuzz seeds' },
  { name: 'interop', target: 'test-interop', what: 'openssl cms, gpgsm, NSS cmsutil' },
  { name: 'wasm', target: 'test-wasm', what: 'the core as WebAssembly in Node' },
  { name: 'extension', target: 'test-extension', what: 'providers, views, requests, manifests, web-ext lint' },
  { name: 'e2e', target: 'test-e2e', what: 'the extension in Chromium and Firefox on the demo webmail' },
];
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !layers.some((l) => l.name === w));
if (unknown.length) {
  console.error(`test: no layer ${unknown.join(', ')}; the layers are ${layers.map((l) => l.name).join(', ')}`);
  process.exit(2);
}
const run = wanted.length ? layers.filter((l) => wanted.includes(l.name)) : layers;
const logs = join(root, 'out', 'test');
mkdirSync(logs, { recursive: true });

function runLayer(layer) {
  return new Promise((resolve) => {
    const started = Date.now();
    console.log(`\n== ${layer.name}: ${layer.what} (make ${layer.target})`);
    const child = spawn('make', ['-s', '--no-print-directory', layer.target], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    for (const [stream, sink] of [[child.stdout, process.stdout], [child.stderr, process.stderr]]) {
      stream.on('data', (d) => { text += d; sink.write(d); });
    }
    child.on('close', (code) => {
      writeFileSync(join(logs, `${layer.name}.log`), text);
      resolve({ layer, code, seconds: (Date.now() - started) / 1000, ...counts(text) });
    });
  });
}

const results = [];
for (const layer of run) results.push(await runLayer(layer));

console.log('\n== summary (logs in out/test/)');
console.log('layer      result  passed  failed  skipped  seconds  notes');
let bad = 0;
const total = { passed: 0, failed: 0, skipped: 0 };
for (const r of results) {
  const p = problems(r);
  if (p.length) bad++;
  total.passed += r.passed; total.failed += r.failed; total.skipped += r.skipped + r.cancelled + r.todo;
  const notes = [...p];
  if (r.corporaSkips) notes.push(`${r.corporaSkips} corpus tests skipped: ../shared/corpora is absent`);
  if (r.layer.name === 'go' && r.skipped > r.corporaSkips) notes.push(`${r.skipped - r.corporaSkips} skipped for a stated reason (listed above)`);
  console.log([r.layer.name.padEnd(10), (p.length ? 'FAIL' : 'ok').padEnd(6), String(r.passed).padStart(6),
    String(r.failed).padStart(7), String(r.skipped + r.cancelled + r.todo).padStart(8),
    r.seconds.toFixed(0).padStart(8), ' ' + notes.join('; ')].join('  '));
}
const failedCount = total.failed || bad;
console.log(`mailseal: ${total.passed} passed, ${failedCount} failed, ${total.skipped} skipped`);
process.exit(bad ? 1 : 0);
