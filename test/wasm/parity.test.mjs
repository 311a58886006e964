// Every sample message gives exactly the same report in the module as in the native CLI
// (`mailseal verify --json`, bin/mailseal from make cli), and the verdict its manifest expects.
import assert from "node:assert/strict";
import test from "node:test";
import { cliReport, loadTestCore, samples, verifyOptions } from "./samples.mjs";

const core = await loadTestCore();

for (const s of samples()) {
  test(s.name, async () => {
    const [wasm, native] = [await core.verify(s.raw, verifyOptions(s)), cliReport(s)];
    assert.equal(JSON.stringify(wasm), JSON.stringify(native));
    if (s.expect.status) assert.equal(wasm.status, s.expect.status);
    if (s.expect.level !== undefined) assert.equal(wasm.level ?? "", s.expect.level);
  });
}
