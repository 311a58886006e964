// How much encryption adds to a signed message, measured on the core's own output: the compose
// window's and the background's estimate (extension/src/message-size.js estimateEncrypted) must
// never be below what encrypt() makes, for text and attachments, one recipient and several.
// Prints the measured growth (the figures of docs/signing.md).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import test from "node:test";
import { loadTestCore } from "./samples.mjs";
import { estimateEncrypted, estimateSigned } from "../../extension/src/message-size.js";

const root = join(import.meta.dirname, "..", "..");
const roots = readFileSync(join(root, "testdata", "vectors", "root.pem"), "utf8");

function p12(email) {
  const dir = mkdtempSync(join(tmpdir(), "mailseal-size-"));
  execFileSync("go", ["run", "./test/e2e/p12", "-email", email, "-password", "pw", "-out", dir], { cwd: root, stdio: "pipe" });
  return readFileSync(join(dir, "identity.p12"));
}

// A recipient as encrypt takes one: the certificate and its intermediates, exported with openssl.
const recipientOf = (file) => ({
  certificate: execFileSync("openssl", ["pkcs12", "-nokeys", "-clcerts", "-passin", "pass:pw"], { input: file, encoding: "utf8" }),
  chain: execFileSync("openssl", ["pkcs12", "-nokeys", "-cacerts", "-passin", "pass:pw"], { input: file, encoding: "utf8" }),
});

test("encryption's growth stays within estimateEncrypted", async (t) => {
  const core = await loadTestCore();
  const sender = await core.sealIdentity(p12("demo@mailseal.test"), "pw", "a passphrase long enough", { roots });
  const session = await core.unlockIdentity(sender.sealed, "a passphrase long enough", { lockAt: new Date(Date.now() + 600_000) });
  const id = { session: session.session, sessionKey: session.sessionKey };
  const people = ["ann", "bob", "cat", "dan", "eve"].map((n) => `${n}@example.org`);
  const certs = [];
  for (const who of people) certs.push(recipientOf(p12(who)));
  const text = "Grüße aus dem Test, line after line.\n".repeat(6000); // ~220 KB of text
  const attachment = new Uint8Array(2 * 1024 * 1024).map((_, i) => (i * 7919) & 0xff);
  for (const [label, m] of [
    ["1 KB of text", { text: "Hello Bob, the code is 4711.\n".repeat(36) }],
    ["220 KB of text", { text }],
    ["a 2 MB attachment", { text: "see attached", attachments: [{ name: "a.bin", type: "application/octet-stream", data: attachment }] }],
  ]) {
    for (const n of [1, 5]) {
      const message = { from: "demo@mailseal.test", to: people.slice(0, n).join(", "), subject: label, ...m };
      const { raw: signed } = await core.sign(id, message);
      const { raw } = await core.encrypt(id, message, certs.slice(0, n), { roots });
      const estimate = estimateEncrypted(estimateSigned({ text: m.text, attachments: (m.attachments ?? []).map((a) => a.data.length) }), n);
      t.diagnostic(`${label}, ${n} recipient(s): signed ${signed.length} B, encrypted ${raw.length} B (×${(raw.length / signed.length).toFixed(3)}), estimate ${estimate} B`);
      assert.ok(raw.length <= estimate, `${label}, ${n}: ${raw.length} > estimate ${estimate}`);
      // Measured, not guessed: on the signed size, the formula lands within 1% + 8 KB.
      const fromSigned = estimateEncrypted(signed.length, n);
      assert.ok(raw.length <= fromSigned && fromSigned <= raw.length * 1.01 + 8192, `${label}, ${n}: ${raw.length} vs ${fromSigned} from the signed size`);
    }
  }
});
