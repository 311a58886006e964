// How make test judges a layer: a test that did not run is not a test that passed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { counts, problems } from '../../scripts/test-summary.mjs';

const layer = (name, text, code = 0) => ({ layer: { name, target: `test-${name}` }, code, ...counts(text) });
const node = (pass, { fail = 0, skipped = 0, cancelled = 0, todo = 0 } = {}) =>
  `ℹ tests ${pass + fail}\nℹ pass ${pass}\nℹ fail ${fail}\nℹ cancelled ${cancelled}\nℹ skipped ${skipped}\nℹ todo ${todo}\n`;

test('adds up Go and Node closing lines', () => {
  const c = counts(`go: 10 passed, 0 failed, 1 skipped\n${node(3)}${node(2, { fail: 1 })}`);
  assert.deepEqual([c.passed, c.failed, c.skipped], [15, 1, 1]);
});

test('a passing layer passes', () => {
  assert.deepEqual(problems(layer('e2e', node(39))), []);
});

test('a cancelled, skipped or todo Node test fails its layer', () => {
  assert.deepEqual(problems(layer('e2e', node(22, { cancelled: 17 }))), ['17 cancelled']);
  assert.deepEqual(problems(layer('e2e', node(38, { skipped: 1 }))), ['1 skipped']);
  assert.deepEqual(problems(layer('extension', node(5, { todo: 2 }))), ['2 todo']);
});

test('a layer that ran no test, or whose command failed, fails', () => {
  assert.deepEqual(problems(layer('wasm', '')), ['no test ran']);
  assert.deepEqual(problems(layer('go', 'go: 5 passed, 0 failed, 0 skipped\n', 2)), ['make test-go exited 2']);
});

test('Go tests may skip for a stated reason; the corpus skips are counted apart', () => {
  const text = 'go: skipped, with the reason each gave:\n  internal/smime TestThunderbirdCorpus: shared corpora absent: ../shared/corpora not found\ngo: 100 passed, 0 failed, 1 skipped\n';
  const r = layer('go', text);
  assert.equal(r.corporaSkips, 1);
  assert.deepEqual(problems(r), []);
});
