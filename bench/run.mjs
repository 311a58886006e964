// `make bench`: one run, one table. Generates the messages (bench/gen.sh into out/bench),
// then measures, each in its own process:
//   floor        openssl speed: the signatures of the chain (3 cold: message, signer
//                certificate, intermediate; 1 warm: the message) plus SHA-256 of the message
//   openssl cms  `openssl cms -verify` per message (a process each, so cold only)
//   native       mailseal's smime.Verify in Go (bench/native)
//   WASM         core.wasm through dist/wasm/loader.js in Node, as the extension runs it
//   PKI.js       PKI.js + Node's WebCrypto (bench/pkijs.mjs), the JavaScript peer
// cold = a chain not seen before (a fresh throwaway root defeats the chain cache), warm =
// the same message again, as a second message from one sender. Medians in milliseconds.
// Below the table: module size; start-up (compile, instantiate and start Go, first verify:
// medians of STARTS fresh processes, default 15) against the 100 ms target, met or not met;
// peak memory on a 25 MB message; the sender memory's lookup, load and store times.
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const root = join(import.meta.dirname ?? new URL(".", import.meta.url).pathname, "..");
const dir = join(root, "out", "bench");
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { cwd: root, encoding: "utf8", maxBuffer: 64 << 20, ...opts });
const json = (cmd, args) => JSON.parse(run(cmd, args, { stdio: ["ignore", "pipe", "inherit"] }));
const log = (s) => process.stderr.write(`bench: ${s}\n`);

log("generating messages");
run("bench/gen.sh", [dir], { stdio: ["ignore", "ignore", "inherit"] });
const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));

log("openssl speed");
const speed = {};
for (const line of run("openssl", ["speed", "-seconds", "1", "-mr", "rsa2048", "rsa3072", "ecdsap256", "ecdsap384"], { stdio: ["ignore", "pipe", "ignore"] }).split("\n")) {
  const f = line.split(":");
  if (f[0] === "+F2") speed[`rsa${f[2]}`] = 1000 / Number(f[4]); // ms per verify
  if (f[0] === "+F4") speed[`p${f[2]}`] = 1000 / Number(f[4]);
}
const shaLine = run("openssl", ["speed", "-seconds", "1", "-mr", "-evp", "sha256", "-bytes", "16384"], { stdio: ["ignore", "pipe", "ignore"] })
  .split("\n").find((l) => l.startsWith("+F:"));
const shaBytesPerMS = Number(shaLine.split(":")[3]) / 1000;

log("openssl cms -verify");
const opensslCMS = {};
for (const m of manifest.messages) {
  const times = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    const r = spawnSync("openssl", ["cms", "-verify", "-purpose", "smimesign", "-CAfile", join(dir, m.root),
      "-in", join(dir, m.file), "-out", "/dev/null"], { stdio: "ignore" });
    times.push(performance.now() - t);
    if (r.status !== 0) throw new Error(`openssl cms -verify ${m.file} failed`);
  }
  opensslCMS[m.file] = median(times);
}

log("mailseal native");
run("go", ["build", "-o", join(dir, "native"), "./bench/native"]);
const native = json(join(dir, "native"), ["-dir", dir]);
const nativeMemory = json(join(dir, "native"), ["-dir", dir, "-memory"]);

log("mailseal WASM in Node");
const wasm = json("node", ["bench/node.mjs", "wasm", dir]);
const STARTS = Number(process.env.STARTS ?? 15);
const STARTUP_TARGET_MS = 100; // the latency issue's target for compile + instantiate + first verify
const starts = Array.from({ length: STARTS }, () => json("node", ["bench/node.mjs", "start", dir]));
const startMS = median(starts.map((s) => s.startMS));
const compileMS = median(starts.map((s) => s.compileMS));
const goStartMS = median(starts.map((s) => s.goStartMS));
const firstVerifyMS = median(starts.map((s) => s.firstVerifyMS));
const togetherMS = starts.map((s) => s.startMS + s.firstVerifyMS);
const wasmMemory = json("node", ["bench/node.mjs", "memory", dir]);

log("PKI.js in Node");
const pkijs = json("node", ["bench/node.mjs", "pkijs", dir]);
log("sender memory in WASM");
const senderMemory = json("node", ["bench/memory.mjs"]);

// The table.
const ms = (x) => (x < 10 ? x.toFixed(2) : x.toFixed(1));
const ratio = (a, b) => `${(a / b).toFixed(1)}×`;
const rows = manifest.messages.map((m) => {
  const hash = m.bytes / shaBytesPerMS;
  const floor = { cold: hash + 3 * speed[m.alg], warm: hash + speed[m.alg] };
  const n = { cold: native[m.file].coldNS / 1e6, warm: native[m.file].warmNS / 1e6 };
  const w = { cold: wasm.messages[m.file].coldMS, warm: wasm.messages[m.file].warmMS };
  const p = { cold: pkijs.messages[m.file].coldMS, warm: pkijs.messages[m.file].warmMS };
  const name = { rsa2048: "RSA-2048", rsa3072: "RSA-3072", p256: "P-256", p384: "P-384" }[m.alg];
  return [`${name} ${m.size.replace("k", " KB").replace("m", " MB")}`,
    ms(floor.cold), ms(floor.warm), ms(opensslCMS[m.file]),
    ms(n.cold), ms(n.warm), ms(w.cold), ms(w.warm), ms(p.cold), ms(p.warm),
    `${ratio(n.cold, floor.cold)} / ${ratio(n.warm, floor.warm)}`,
    `${ratio(w.cold, n.cold)} / ${ratio(w.warm, n.warm)}`,
    `${ratio(p.cold, w.cold)} / ${ratio(p.warm, w.warm)}`];
});
const header = ["message", "floor cold", "floor warm", "openssl cms", "native cold", "native warm",
  "WASM cold", "WASM warm", "PKI.js cold", "PKI.js warm", "native ÷ floor (cold / warm)",
  "WASM ÷ native (cold / warm)", "PKI.js ÷ WASM (cold / warm)"];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(" | ")} |`;
console.log(line(header));
console.log(`|${widths.map((w, i) => (i === 0 ? "-".repeat(w + 2) : `${"-".repeat(w + 1)}:`)).join("|")}|`);
for (const r of rows) console.log(line(r));

const core = readFileSync(join(root, "dist", "wasm", "core.wasm"));
const mb = (n) => `${(n / 1e6).toFixed(2)} MB`;
const gz = gzipSync(core, { level: 9 }).length;
const br = brotliCompressSync(core, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
console.log();
console.log(`Times in ms, medians (cold ${process.env.COLD_RUNS ?? 10} runs, warm ${process.env.WARM_RUNS ?? 30}); ` +
  `openssl ${run("openssl", ["version"]).split(" ")[1]}, ${process.version}, ${run("go", ["version"]).split(" ")[2]}, ${run("nproc", []).trim()} cores.`);
console.log(`core.wasm: ${mb(core.length)} raw, ${mb(gz)} gzip, ${mb(br)} brotli.`);
const together = median(togetherMS);
console.log(`Start-up in Node: compile ${ms(compileMS)} ms, instantiate and start Go ${ms(goStartMS)} ms, ` +
  `first verify ${ms(firstVerifyMS)} ms; together ${ms(together)} ms (median of ${STARTS} fresh processes, ` +
  `range ${ms(Math.min(...togetherMS))}–${ms(Math.max(...togetherMS))}; load average ${run("cat", ["/proc/loadavg"]).split(" ")[0]}): ` +
  `target ≤ ${STARTUP_TARGET_MS} ms ${together <= STARTUP_TARGET_MS ? "met" : "not met"}.`);
const large = manifest.large.bytes;
console.log(`Peak memory verifying a ${mb(large)} message: native ${mb(nativeMemory.peakRSSKB * 1024)} RSS ` +
  `(${ratio(nativeMemory.peakRSSKB * 1024, large)} the message; Go heap ${mb(nativeMemory.heapSysKB * 1024)}); ` +
  `WASM linear memory ${mb(wasmMemory.linearPeakBytes)} (${ratio(wasmMemory.linearPeakBytes, large)}), ` +
  `Node process ${mb(wasmMemory.peakRSSKB * 1024)} RSS.`);
console.log(`Sender memory in WASM, ${senderMemory.senders} senders (a ${mb(senderMemory.fileBytes)} JSON file, ` +
  `${mb(senderMemory.storedBytes)} stored): lookup ${ms(senderMemory.lookupMS)} ms per verify (the budget is 1 ms); ` +
  `load from the stored form ${ms(senderMemory.loadMS)} ms (100 senders: ${ms(senderMemory.load100MS)} ms), ` +
  `from the JSON file ${ms(senderMemory.loadFileMS)} ms (100 senders: ${ms(senderMemory.loadFile100MS)} ms); ` +
  `in a fresh core, as after a restart: stored ${ms(senderMemory.freshLoadMS)} ms, JSON ${ms(senderMemory.freshLoadFileMS)} ms, ` +
  `then the first verify ${ms(senderMemory.freshFirstVerifyMS)} ms; ` +
  `first verify after it ${ms(senderMemory.firstVerifyWithMemoryMS)} ms (builds the indexes), storing ${ms(senderMemory.exportMS)} ms.`);

function median(xs) {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
}
