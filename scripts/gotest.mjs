// Reads `go test -json` on standard input and prints what a person needs: one line per package,
// the whole output of every failed test, and every skipped test with its reason. Ends with the
// line `go: N passed, N failed, N skipped` that scripts/test.mjs adds up, and exits 1 when a test
// or a package failed, or when no test ran.
//   go test -json ./... | node scripts/gotest.mjs [LABEL]
import { createInterface } from 'node:readline';

const label = process.argv[2] ?? 'go';
const output = new Map(); // "pkg test" → output lines
const skipped = [];
const failedPkgs = new Set();
let passed = 0;
let failed = 0;
let loose = []; // lines that are not JSON (build errors printed by go itself)

const key = (e) => `${e.Package} ${e.Test ?? ''}`;

for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  let e;
  try {
    e = JSON.parse(line);
  } catch {
    loose.push(line);
    continue;
  }
  if (e.Action === 'build-output' || (e.Action === 'output' && !e.Test)) {
    const text = e.Output.replace(/\n$/, '');
    if (e.Action === 'build-output' || /^(ok|FAIL|---|panic|\?)\s/.test(text) || /^\s/.test(text)) {
      (output.get(key(e)) ?? output.set(key(e), []).get(key(e))).push(text);
    }
    if (/^(ok|FAIL)\s/.test(text)) console.log(text);
    continue;
  }
  if (e.Action === 'output') {
    (output.get(key(e)) ?? output.set(key(e), []).get(key(e))).push(e.Output.replace(/\n$/, ''));
    continue;
  }
  if (!e.Test) {
    if (e.Action === 'fail') {
      failedPkgs.add(e.Package);
      const lines = output.get(key(e)) ?? [];
      if (lines.some((l) => !/^(ok|FAIL)\s/.test(l))) console.log(lines.join('\n'));
    }
    continue;
  }
  const sub = e.Test.includes('/');
  if (e.Action === 'pass' && !sub) passed++;
  if (e.Action === 'fail') {
    if (!sub) failed++;
    console.log((output.get(key(e)) ?? [`--- FAIL: ${e.Test}`]).join('\n'));
  }
  if (e.Action === 'skip' && !sub) {
    const lines = (output.get(key(e)) ?? []).filter((l) => !/^\s*(=== |--- )/.test(l));
    const reason = lines.at(-1)?.trim().replace(/^\S+\.go:\d+: /, '') ?? '';
    skipped.push({ test: `${e.Package.replace(/^.*mailseal\/mailseal\//, '')} ${e.Test}`, reason });
  }
  if (['pass', 'fail', 'skip'].includes(e.Action)) output.delete(key(e));
}

if (loose.length) console.log(loose.join('\n'));
if (skipped.length) {
  console.log(`${label}: skipped, with the reason each gave:`);
  for (const s of skipped) console.log(`  ${s.test}: ${s.reason}`);
}
const pkgFailures = [...failedPkgs].length && failed === 0 ? 1 : 0; // a build failure has no failed test
console.log(`${label}: ${passed} passed, ${failed + pkgFailures} failed, ${skipped.length} skipped`);
process.exit(failedPkgs.size || failed || passed === 0 || loose.some((l) => /\S/.test(l)) ? 1 : 0);
