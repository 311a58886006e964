// The benchmark's JavaScript side, one measurement per process so that the module, the JIT
// and the heap start fresh for each (bench/run.mjs starts them and reads the JSON printed):
//
//	node bench/node.mjs wasm   DIR   mailseal's core.wasm through dist/wasm/loader.js, as the extension runs it
//	node bench/node.mjs start  DIR   core.wasm: compile + instantiate, then the first verify, in a fresh process
//	node bench/node.mjs pkijs  DIR   PKI.js + WebCrypto (bench/pkijs.mjs)
//	node bench/node.mjs memory DIR   core.wasm on the large message: linear memory and peak RSS
//
// Cold runs add a different throwaway root (DIR/dummy.pem) each time, so no cache of a
// verified chain can answer; warm runs repeat the same call. Figures are medians in ms.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { certificates, verifyPKIjs } from "./pkijs.mjs";

const [what, dir] = process.argv.slice(2);
const root = join(import.meta.dirname ?? new URL(".", import.meta.url).pathname, "..");
const wasmDir = process.env.WASM_DIR ?? join(root, "dist", "wasm");
const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
const now = manifest.now;
const COLD = Number(process.env.COLD_RUNS ?? 10);
const WARM = Number(process.env.WARM_RUNS ?? 30);
const WARMUP_PASSES = 3;
const dummies = [...readFileSync(join(dir, "dummy.pem"), "utf8").matchAll(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n/g)].map((m) => m[0]);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function timed(f) {
  const t = performance.now();
  await f();
  return performance.now() - t;
}

// measure runs verify(raw, rootPEM, extraRootPEM?) cold and warm on every message.
async function measure(verify) {
  const out = {};
  let next = 0;
  // Passes first, so that the engine's optimising tier has compiled the hot code before
  // timing: V8 starts WebAssembly in its baseline compiler and optimises functions in the
  // background as they run, which takes more than one pass on 2 cores (the first verify
  // after loading is measured on its own, by `start`).
  for (let pass = 0; pass < WARMUP_PASSES; pass++) {
    for (const m of manifest.messages) await verify(readFileSync(join(dir, m.file)), readFileSync(join(dir, m.root), "utf8"));
  }
  for (const m of manifest.messages) {
    const raw = readFileSync(join(dir, m.file));
    const rootPEM = readFileSync(join(dir, m.root), "utf8");
    const cold = [];
    for (let i = 0; i < COLD; i++) cold.push(await timed(() => verify(raw, rootPEM, dummies[next++])));
    await verify(raw, rootPEM);
    const warm = [];
    for (let i = 0; i < WARM; i++) warm.push(await timed(() => verify(raw, rootPEM)));
    out[m.file] = { coldMS: median(cold), warmMS: median(warm) };
  }
  return out;
}

async function loadWASM() {
  const { loadCore } = await import(pathToFileURL(join(wasmDir, "loader.js")).href);
  return loadCore(readFileSync(join(wasmDir, "core.wasm")));
}

async function wasm() {
  const core = await loadWASM();
  const verify = async (raw, rootPEM, extra) => {
    const report = await core.verify(raw, { now, roots: extra ? [rootPEM, extra] : rootPEM });
    if (report.status !== "valid") throw new Error(`wasm: ${report.status}: ${report.reasons}`);
  };
  return { messages: await measure(verify) };
}

// start times what a fresh extension worker pays before its first banner: compiling the module
// (from bytes in memory), instantiating it and running the Go program up to serving calls (its
// runtime and package initialisers), then verifying the first message (RSA-2048, 1 KB).
// V8 compiles a WebAssembly function when it is first called, so the last two include compiling
// what they run. bench/run.mjs runs it in several processes and takes the medians.
async function start() {
  const first = manifest.messages[0];
  const raw = readFileSync(join(dir, first.file));
  const rootPEM = readFileSync(join(dir, first.root), "utf8");
  const { loadCore } = await import(pathToFileURL(join(wasmDir, "loader.js")).href);
  const bytes = readFileSync(join(wasmDir, "core.wasm"));
  const t0 = performance.now();
  const module = await WebAssembly.compile(bytes);
  const t1 = performance.now();
  const core = await loadCore(module); // instantiate, then run the Go program up to serving calls
  const t2 = performance.now();
  const r = await core.verify(raw, { now, roots: rootPEM });
  const t3 = performance.now();
  if (r.status !== "valid") throw new Error(`${first.file}: ${r.status}: ${r.reasons}`);
  return { file: first.file, compileMS: t1 - t0, goStartMS: t2 - t1, startMS: t2 - t0, firstVerifyMS: t3 - t2 };
}

async function pkijs() {
  const verify = (raw, rootPEM, extra) => verifyPKIjs(raw, certificates(extra ? rootPEM + extra : rootPEM), new Date(now));
  return { messages: await measure(verify) };
}

// memory loads core.wasm without the loader, to read the instance's linear memory.
async function memory() {
  await import(pathToFileURL(join(wasmDir, "wasm_exec.js")).href);
  const go = new globalThis.Go();
  const { instance } = await WebAssembly.instantiate(readFileSync(join(wasmDir, "core.wasm")), go.importObject);
  go.run(instance);
  const mem = instance.exports.mem;
  const raw = readFileSync(join(dir, manifest.large.file));
  const rootPEM = readFileSync(join(dir, manifest.large.root), "utf8");
  const before = { linear: mem.buffer.byteLength, rss: peakRSS() };
  const r = await globalThis.mailseal.verify(raw, { now, roots: rootPEM });
  if (r.status !== "valid") throw new Error(`memory: ${r.status}: ${r.reasons}`);
  return {
    bytes: raw.length, linearBeforeBytes: before.linear, linearPeakBytes: mem.buffer.byteLength,
    rssBeforeKB: before.rss, peakRSSKB: peakRSS(),
  };
}

// peakRSS is the process's peak resident set (VmHWM) in KB (Linux).
function peakRSS() {
  const m = readFileSync("/proc/self/status", "utf8").match(/VmHWM:\s+(\d+) kB/);
  return m ? Number(m[1]) : -1;
}

const runs = { wasm, start, pkijs, memory };
if (!runs[what]) {
  console.error("usage: node bench/node.mjs wasm|start|pkijs|memory DIR");
  process.exit(2);
}
console.log(JSON.stringify(await runs[what]()));
process.exit(0); // the Go program never exits by itself
