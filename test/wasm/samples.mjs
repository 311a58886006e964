// Shared by the node tests of the WebAssembly core (test/wasm/*.test.mjs), the golden
// update script and the benchmark: where the samples are, how to run the native CLI on
// one, and how to start the built module the way the extension does (dist/wasm/loader.js).
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { readVector } from "../../demo/vectors.mjs";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const testdata = join(root, "testdata");
export const goldenDir = join(testdata, "golden");
export const cli = join(root, "bin", "mailseal");

/** The built module: dist/wasm (make wasm), or dist/wasm/test with the test hooks. */
export function moduleDir(hooks = false) {
  return join(root, "dist", "wasm", ...(hooks ? ["test"] : []));
}

/** Starts the built core through its loader, as the extension's background does. */
export async function loadTestCore(hooks = false) {
  const dir = moduleDir(hooks);
  const wasm = join(dir, "core.wasm");
  if (!existsSync(wasm)) throw new Error(`${wasm} is missing: run make wasm${hooks ? " wasm-testhooks" : ""}`);
  const { loadCore } = await import(pathToFileURL(join(dir, "loader.js")).href);
  return loadCore(readFileSync(wasm));
}

/**
 * Every sample message with how to verify it: testdata/openssl (MANIFEST: file status=… level=…
 * now=…, anchor root.pem) and testdata/vectors with its subfolders (NAME.eml, and NAME.expect beside it
 * with `key: value` lines naming the verdict, roots, CRLs and the clock) when that directory exists.
 */
export function samples() {
  const out = [];
  const openssl = join(testdata, "openssl");
  for (const line of readFileSync(join(openssl, "MANIFEST"), "utf8").split("\n")) {
    if (line.trim() === "" || line.startsWith("#")) continue;
    const [file, ...fields] = line.trim().split(/\s+/);
    const f = Object.fromEntries(fields.map((kv) => kv.split("=", 2)));
    out.push({
      name: `openssl/${file}`,
      raw: readFileSync(join(openssl, file)),
      expect: { status: f.status, level: f.level === "none" ? "" : f.level },
      now: f.now,
      rootFiles: [join(openssl, "root.pem")],
      crlFiles: [],
    });
  }
  const vectors = join(testdata, "vectors");
  if (existsSync(vectors)) {
    const files = readdirSync(vectors, { recursive: true }).filter((f) => f.endsWith(".eml")).sort();
    for (const file of files) {
      const dir = dirname(join(vectors, file));
      const { headers, raw } = readVector(join(vectors, file));
      const list = (value) => (value ?? "").split(/[\s,]+/).filter(Boolean).map((f) => join(dir, f));
      out.push({
        name: `vectors/${file}`,
        raw,
        expect: { status: headers.expect, level: headers.level },
        now: headers.now,
        rootFiles: list(headers.roots),
        crlFiles: list(headers.crl),
      });
    }
  }
  return out;
}

/** The options verify takes for a sample: the same anchors and clock the CLI gets. */
export function verifyOptions(sample) {
  const opts = {};
  if (sample.now) opts.now = sample.now;
  if (sample.rootFiles.length) opts.roots = sample.rootFiles.map((f) => readFileSync(f, "utf8"));
  if (sample.crlFiles?.length) opts.crls = sample.crlFiles.map((f) => new Uint8Array(readFileSync(f)));
  return opts;
}

/** The native CLI's report for a sample: `mailseal verify --json --now … --roots … -`. */
export function cliReport(sample) {
  const args = ["verify", "--json"];
  if (sample.now) args.push("--now", sample.now);
  for (const f of sample.rootFiles) args.push("--roots", f);
  for (const f of sample.crlFiles ?? []) args.push("--crl", f);
  if (sample.text) args.push("--text");
  args.push("-");
  const r = spawnSync(cli, args, { input: sample.raw, maxBuffer: 64 << 20 });
  if (r.status !== 0 && r.status !== 1) {
    throw new Error(`mailseal ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  }
  return JSON.parse(r.stdout.toString("utf8"));
}

/** Golden files: testdata/golden/*.json, each { call, input…, options, result }. */
export function goldenFiles() {
  return readdirSync(goldenDir).filter((f) => f.endsWith(".json")).sort()
    .map((f) => ({ file: f, ...JSON.parse(readFileSync(join(goldenDir, f), "utf8")) }));
}

/** The arguments a golden file's call takes, read from the files it names (paths under testdata/). */
export function goldenArgs(g) {
  if (g.call === "classify") return [pemToDER(readFileSync(join(testdata, g.certificate), "utf8"))];
  if (g.call === "decrypt") return [readFileSync(join(testdata, g.message)), { now: g.options.now, roots: g.options.roots.map((f) => readFileSync(join(testdata, f), "utf8")) }];
  const opts = { ...g.options };
  if (opts.roots) opts.roots = opts.roots.map((f) => readFileSync(join(testdata, f), "utf8"));
  return [readFileSync(join(testdata, g.message)), opts];
}

export function pemToDER(pem) {
  const b64 = pem.match(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/)[1];
  return new Uint8Array(Buffer.from(b64.replace(/\s+/g, ""), "base64"));
}

/** The go binary's idea of GOROOT, for the benchmark and the update script. */
export function goEnv(name) {
  return execFileSync("go", ["env", name], { encoding: "utf8" }).trim();
}

/**
 * The demo account's identity (test/e2e/p12: a new certificate for the fixture key the demo's
 * encrypted vectors are encrypted to), written once per process: { path, p12, password }.
 */
export const demoIdentity = (() => {
  let made;
  return () => {
    if (made) return made;
    const dir = mkdtempSync(join(tmpdir(), "mailseal-golden-identity-"));
    const password = "golden-p12-password";
    execFileSync("go", ["run", "./test/e2e/p12", "-email", "demo@mailseal.test", "-password", password, "-out", dir], { cwd: root, stdio: "pipe" });
    const path = join(dir, "identity.p12");
    made = { path, p12: new Uint8Array(readFileSync(path)), password };
    return made;
  };
})();

/**
 * The native CLI's decryption of a sample with the demo identity: `mailseal decrypt --json`,
 * { report, content } with content (the decrypted entity, as text) only when it decrypted.
 */
export function cliDecrypt(sample) {
  const id = demoIdentity();
  const pw = join(dirname(id.path), "password");
  writeFileSync(pw, id.password);
  const args = ["decrypt", "--json", "--identity", id.path, "--password-file", pw];
  if (sample.now) args.push("--now", sample.now);
  for (const f of sample.rootFiles) args.push("--roots", f);
  args.push("-");
  const r = spawnSync(cli, args, { input: sample.raw, maxBuffer: 64 << 20 });
  if (r.status !== 0 && r.status !== 1) throw new Error(`mailseal ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  // The report is the first JSON value on stderr (a line may follow it).
  const err = r.stderr.toString("utf8");
  const report = JSON.parse(err.slice(0, err.indexOf("\n}\n") + 2));
  return r.status === 0 ? { report, content: r.stdout.toString("utf8") } : { report };
}
