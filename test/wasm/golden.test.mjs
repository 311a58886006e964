// The module, loaded as the extension loads it, gives exactly the golden results
// (testdata/golden/*.json, from the native CLI): same keys, same order, same values.
// wasm/golden_test.go holds the Go side of the boundary to the same files.
import assert from "node:assert/strict";
import test from "node:test";
import { goldenArgs, goldenFiles, loadTestCore } from "./samples.mjs";

const core = await loadTestCore();
const files = goldenFiles();

test("there is a golden report for each verdict the samples give", () => {
  const statuses = new Set(files.filter((g) => g.call === "verify").map((g) => g.result.status));
  for (const s of ["valid", "malformed", "invalid", "weak", "untrusted", "expired", "mismatch", "partial", "encrypted", "unsigned"]) {
    assert.ok(statuses.has(s), `no golden report with status ${s}`);
  }
  const levels = new Set(files.filter((g) => g.call === "classify").map((g) => g.result.level));
  assert.deepEqual([...levels].sort(), ["V1", "V2", "V3", "V4"]);
});

for (const g of files) {
  test(g.file, async () => {
    const result = await core[g.call](...goldenArgs(g));
    assert.equal(JSON.stringify(result), JSON.stringify(g.result));
  });
}
