// The module, loaded as the extension loads it, gives exactly the golden results
// (testdata/golden/*.json, from the native CLI): same keys, same order, same values.
// wasm/golden_test.go holds the Go side of the boundary to the same files.
import assert from "node:assert/strict";
import test from "node:test";
import { demoIdentity, goldenArgs, goldenFiles, loadTestCore } from "./samples.mjs";

const core = await loadTestCore();
const files = goldenFiles();

test("there is a golden report for each verdict the samples give", () => {
  const statuses = new Set(files.filter((g) => g.call === "verify").map((g) => g.result.status));
  for (const s of ["valid", "malformed", "invalid", "weak", "untrusted", "expired", "mismatch", "partial", "encrypted", "unsigned"]) {
    assert.ok(statuses.has(s), `no golden report with status ${s}`);
  }
  const decrypted = files.filter((g) => g.call === "decrypt").map((g) => g.result.report.encryption);
  assert.ok(decrypted.some((e) => e.decrypted && e.signature === "inside"), "no golden decryption of signed, then encrypted mail");
  assert.ok(decrypted.some((e) => e.problem === "part-only"), "no golden refusal of an encrypted part");
  const levels = new Set(files.filter((g) => g.call === "classify").map((g) => g.result.level));
  assert.deepEqual([...levels].sort(), ["V1", "V2", "V3", "V4"]);
});

// decrypt takes the demo identity, sealed as the extension keeps it; its content is compared as text.
const passphrase = "a long golden passphrase 4 mailseal";
let sealed;
async function call(g) {
  if (g.call !== "decrypt") return core[g.call](...goldenArgs(g));
  const id = demoIdentity();
  sealed ??= (await core.sealIdentity(id.p12, id.password, passphrase)).sealed;
  const { report, content } = await core.decrypt([{ sealed, passphrase }], ...goldenArgs(g));
  return content ? { report, content: new TextDecoder().decode(content) } : { report };
}

for (const g of files) {
  test(g.file, async () => {
    const result = await call(g);
    assert.equal(JSON.stringify(result), JSON.stringify(g.result));
  });
}
