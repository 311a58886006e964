// The sender memory in core.wasm, as the extension runs it (one process; bench/run.mjs prints
// the line, or run it alone: `node bench/memory.mjs`):
//   load    memoryLoad of a memory of 10,000 senders over 2,500 domains, each with a 1.2 KB
//           certificate, and of 100 senders (medians of 5): from the JSON file (what users
//           export and import, and what earlier versions stored) and from the stored form
//           (memoryExport with form "stored", what the extension keeps)
//   fresh   the same loads as a restarted extension pays them: in a fresh process (the core's
//           code not yet compiled), the text read from storage encoded and loaded, then the first
//           verify with the memory (medians of 5 processes for the stored form, 3 for JSON)
//   first   the first verify after loading, which builds the indexes
//   export  memoryExport of the same memory, in the stored form (what the extension writes)
//   lookup  what the memory adds to verify: verify of an unsigned message with the memory
//           option minus verify without it, medians of 200 each, alternated. The message
//           comes from a look-alike of a remembered domain and names a remembered
//           organization, so every index is consulted.
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(import.meta.dirname ?? new URL(".", import.meta.url).pathname, "..");
const wasmDir = process.env.WASM_DIR ?? join(root, "dist", "wasm");
const SENDERS = 10000;
const RUNS = 200;
const now = "2026-06-01T12:00:00Z";
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// A DER SEQUENCE of 1,200 bytes: the memory keeps a signer's certificate and checks its shape.
const cert = Buffer.concat([Buffer.from([0x30, 0x82, 0x04, 0xb0]), Buffer.alloc(1200)]).toString("base64");
const levels = ["V1", "V2", "V3", "V4"];
function memoryFile(senders) {
  const mailboxes = [];
  const domains = [];
  for (let i = 0; i < senders; i++) {
    const d = Math.floor(i / 4);
    const level = levels[d % 4];
    mailboxes.push({
      address: `sender${i}@org${d}-bank.example`, level,
      identity: level === "V1" ? {} : level === "V2" ? { name: `Person ${i}` } : { organization: `Org ${d} Ltd`, country: "GB" },
      certificate: cert, issuer: "CN=Bench CA", firstSeen: "2026-01-01T00:00:00Z",
      lastSeen: new Date(Date.parse(now) - (senders - i) * 60000).toISOString(), count: 5,
    });
    if (i % 4 === 0) domains.push({ domain: `org${d}-bank.example`, bestLevel: level, mailboxes: 4, lastSeen: now });
  }
  return new TextEncoder().encode(JSON.stringify({ format: "mailseal-memory", version: 1, mailboxes, domains, intermediates: [] }));
}

const { loadCore } = await import(pathToFileURL(join(wasmDir, "loader.js")).href);
const core = await loadCore(readFileSync(join(wasmDir, "core.wasm")));
const raw = new TextEncoder().encode("Received: from mx.example; Mon, 01 Jun 2026 11:00:00 +0000\r\n" +
  "From: \"Org 11 Ltd\" <alerts@org10-bamk.example>\r\nTo: you@example.com\r\nSubject: s\r\n" +
  "Date: Mon, 01 Jun 2026 11:00:00 +0000\r\n\r\nbody\r\n");
const withMemory = { now, memory: { account: "bench", opened: true } };

// `node bench/memory.mjs fresh FILE`: one fresh core loads FILE's text, as memory.js does.
if (process.argv[2] === "fresh") {
  const text = readFileSync(process.argv[3], "utf8");
  let t = performance.now();
  const r = await core.memoryLoad("bench", new TextEncoder().encode(text), { now });
  const loadMS = performance.now() - t;
  t = performance.now();
  const first = await core.verify(raw, withMemory);
  const verifyMS = performance.now() - t;
  if (r.senders !== SENDERS || first.memoryWarnings?.[0]?.code !== "memory-lookalike-edit") throw new Error("fresh: not the bench's memory");
  console.log(JSON.stringify({ loadMS, verifyMS }));
  process.exit(0);
}
// loads times memoryLoad of data, 5 times, and returns the median.
async function loads(data, senders) {
  const times = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    const r = await core.memoryLoad("bench", data, { now });
    times.push(performance.now() - t);
    if (r.senders !== senders) throw new Error(`loaded ${r.senders} senders of ${senders}`);
  }
  return median(times);
}
const small = memoryFile(100);
await core.memoryLoad("bench", small, { now });
const smallStored = await core.memoryExport("bench", { now, form: "stored" });
const file = memoryFile(SENDERS);
await core.memoryLoad("bench", file, { now });
const stored = await core.memoryExport("bench", { now, form: "stored" });
const load = {
  file100MS: await loads(small, 100), stored100MS: await loads(smallStored, 100),
  fileMS: await loads(file, SENDERS), storedMS: await loads(stored, SENDERS),
};
// The same in fresh processes, from files written here.
const fresh = {};
for (const [form, data, runs] of [["stored", stored, 5], ["file", file, 3]]) {
  const path = join(tmpdir(), `mailseal-bench-memory-${process.pid}-${form}`);
  writeFileSync(path, data);
  const out = Array.from({ length: runs }, () => JSON.parse(execFileSync(process.execPath, [fileURLToPath(import.meta.url), "fresh", path], { encoding: "utf8" })));
  rmSync(path);
  fresh[form] = { loadMS: median(out.map((o) => o.loadMS)), verifyMS: median(out.map((o) => o.verifyMS)) };
}
let t0 = performance.now();
const first = await core.verify(raw, withMemory);
const firstMS = performance.now() - t0; // builds the look-alike and organization indexes
t0 = performance.now();
const exported = await core.memoryExport("bench", { now, form: "stored" });
const exportMS = performance.now() - t0;
if (first.memoryWarnings?.[0]?.code !== "memory-lookalike-edit") throw new Error(`warnings: ${JSON.stringify(first.memoryWarnings)}`);
const plain = [], remembered = [];
for (let i = 0; i < RUNS; i++) {
  let t = performance.now();
  await core.verify(raw, { now });
  plain.push(performance.now() - t);
  t = performance.now();
  await core.verify(raw, withMemory);
  remembered.push(performance.now() - t);
}
console.log(JSON.stringify({
  senders: SENDERS, fileBytes: file.length, storedBytes: stored.length, loadMS: load.storedMS, loadFileMS: load.fileMS,
  load100MS: load.stored100MS, loadFile100MS: load.file100MS, firstVerifyWithMemoryMS: firstMS,
  freshLoadMS: fresh.stored.loadMS, freshLoadFileMS: fresh.file.loadMS, freshFirstVerifyMS: fresh.stored.verifyMS,
  exportMS, exportBytes: exported.length,
  verifyMS: median(plain), verifyWithMemoryMS: median(remembered), lookupMS: median(remembered) - median(plain),
}));
process.exit(0);
