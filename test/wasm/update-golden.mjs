// Rewrites testdata/golden/*.json, the result shapes the Go tests (wasm/golden_test.go) and the
// node tests (golden.test.mjs) both hold the WebAssembly core to. Run after a deliberate change
// to a result, then read the diff:
//
//	make cli wasm && node test/wasm/update-golden.mjs
//
// Reports come from the native CLI (`mailseal verify --json`), the reference the module must
// match; classifications from the module itself, since the CLI has no classify command.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { cliDecrypt, cliReport, goldenArgs, goldenDir, loadTestCore, samples, testdata } from "./samples.mjs";

// One report per verdict the samples can give, and the shapes around them (opaque, attached).
// Statuses without a sample yet: revoked, unsupported (add a case when testdata has one).
const reports = {
  "report-valid-v1": "openssl/detached-sha256-rsa2048-mailbox.eml",
  "report-valid-v2": "openssl/detached-sha512-rsa2048-individual.eml",
  "report-valid-v3": "openssl/detached-sha256-p256-organization.eml",
  "report-valid-v4": "openssl/detached-sha256-p256-sponsor.eml",
  "report-valid-opaque": "openssl/opaque-sha256-rsa2048.eml",
  // The readable text of opaque content, asked for with { text: true }.
  "report-valid-opaque-text": { message: "openssl/opaque-sha256-rsa2048.eml", text: true },
  "report-weak": "openssl/sha1-rsa2048.eml",
  "report-untrusted": "openssl/no-intermediate.eml",
  "report-expired": "openssl/expired-rsa2048.eml",
  "report-invalid": "openssl/tampered.eml",
  "report-mismatch": "openssl/from-mismatch.eml",
  "report-partial": "openssl/partial-footer.eml",
  "report-unsigned": "openssl/unsigned.eml",
  "report-encrypted": "openssl/encrypted.eml",
  "report-malformed": "golden/malformed.eml",
  "report-attached": "golden/attached.eml",
  // A display-name warning: a vector, judged with the vectors' own root and clock.
  "report-display-name": { message: "vectors/valid-display-name-trick.eml", anchor: "vectors/root.pem", now: "2026-06-02T00:00:00Z" },
};
const classifications = ["v1", "v2", "v3", "v4"];
// Decryption with the demo identity (mailseal decrypt; the module's decrypt): the report of a
// signed-then-encrypted message and the content it shows, and the refusal of an encrypted part.
const decryptions = {
  "decrypt-signed": "vectors/encrypted-demo-signed.eml",
  "decrypt-part-only": "vectors/encrypted-demo-part-only.eml",
};

const byName = new Map(samples().map((s) => [s.name, s]));
const anchor = "openssl/root.pem";
const now = byName.get("openssl/unsigned.eml").now;

function write(name, golden) {
  writeFileSync(join(goldenDir, `${name}.json`), JSON.stringify(golden, null, 2) + "\n");
  console.log(`wrote testdata/golden/${name}.json`);
}

for (const [name, entry] of Object.entries(reports)) {
  const { message, anchor: root = anchor, now: clock = now, text } = typeof entry === "string" ? { message: entry } : entry;
  const options = { now: clock, roots: [root], ...(text && { text }) };
  const sample = { name: message, raw: goldenArgs({ call: "verify", message, options })[0], now: clock, rootFiles: [join(testdata, root)], text };
  write(name, { call: "verify", message, options, result: cliReport(sample) });
}

for (const [name, message] of Object.entries(decryptions)) {
  const options = { now: "2026-06-02T00:00:00Z", roots: ["vectors/root.pem"] };
  const [raw] = goldenArgs({ call: "decrypt", message, options });
  write(name, { call: "decrypt", message, options, result: cliDecrypt({ raw, now: options.now, rootFiles: options.roots.map((f) => join(testdata, f)) }) });
}

const core = await loadTestCore();
for (const level of classifications) {
  const g = { call: "classify", certificate: `golden/signer-${level}.pem` };
  write(`classification-${level}`, { ...g, result: await core.classify(...goldenArgs(g)) });
}
