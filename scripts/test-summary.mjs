// How make test (scripts/test.mjs) reads a layer's output and judges it.

/** counts adds up the closing lines of go (scripts/gotest.mjs) and of node --test (spec reporter). */
export function counts(text) {
  const c = { passed: 0, failed: 0, skipped: 0, cancelled: 0, todo: 0, corporaSkips: 0 };
  for (const m of text.matchAll(/^\S+: (\d+) passed, (\d+) failed, (\d+) skipped$/gm)) {
    c.passed += +m[1]; c.failed += +m[2]; c.skipped += +m[3];
  }
  for (const m of text.matchAll(/^ℹ (pass|fail|skipped|cancelled|todo) (\d+)$/gm)) {
    const k = { pass: 'passed', fail: 'failed' }[m[1]] ?? m[1];
    c[k] += +m[2];
  }
  c.corporaSkips = [...text.matchAll(/^ {2}\S+ \S+: shared corpora absent/gm)].length;
  return c;
}

/** problems says why a layer's result r ({layer, code, passed, failed, skipped, …}) is a failure. */
export function problems(r) {
  const p = [];
  if (r.code !== 0) p.push(`make ${r.layer.target} exited ${r.code}`);
  if (r.passed + r.failed === 0) p.push('no test ran');
  if (r.skipped - r.corporaSkips > 0 && r.layer.name !== 'go') p.push(`${r.skipped} skipped`);
  if (r.cancelled) p.push(`${r.cancelled} cancelled`);
  if (r.todo) p.push(`${r.todo} todo`);
  return p;
}
