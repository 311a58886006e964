// size.mjs attributes core.wasm's bytes to Go packages, from the module's name
// section: which packages make it large. Build without -s to keep the names:
//
//	GOOS=js GOARCH=wasm go build -trimpath -o /tmp/core-names.wasm ./wasm
//	node bench/size.mjs /tmp/core-names.wasm [top]
import { readFileSync } from "node:fs";

const buf = readFileSync(process.argv[2]);
const top = Number(process.argv[3] ?? 30);
let pos = 8;
const leb = () => {
  let result = 0, shift = 0, b;
  do { b = buf[pos++]; result += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80);
  return result;
};
const sections = {};
let importedFuncs = 0, codeSizes = [], names = new Map(), dataSize = 0;
while (pos < buf.length) {
  const id = buf[pos++];
  const size = leb();
  const start = pos;
  if (id === 2) { // imports: count imported functions, whose indices come first
    for (let n = leb(); n > 0; n--) {
      for (let k = 0; k < 2; k++) { const l = leb(); pos += l; }
      const kind = buf[pos++];
      if (kind === 0) { leb(); importedFuncs++; } else if (kind === 1) { pos++; const f = leb(); leb(); if (f & 1) leb(); }
      else if (kind === 2) { const f = leb(); leb(); if (f & 1) leb(); } else { pos += 2; }
    }
  } else if (id === 10) {
    for (let n = leb(), i = 0; i < n; i++) { const l = leb(); codeSizes.push(l); pos += l; }
  } else if (id === 11) {
    dataSize = size;
  } else if (id === 0) {
    const l = leb(); const name = buf.subarray(pos, pos + l).toString(); pos += l;
    if (name === "name") {
      while (pos < start + size) {
        const sub = buf[pos++]; const sl = leb(); const send = pos + sl;
        if (sub === 1) for (let n = leb(); n > 0; n--) { const idx = leb(); const nl = leb(); names.set(idx, buf.subarray(pos, pos + nl).toString()); pos += nl; }
        pos = send;
      }
    }
  }
  sections[id] = (sections[id] ?? 0) + size;
  pos = start + size;
}
const byPkg = new Map();
codeSizes.forEach((s, i) => {
  const name = names.get(i + importedFuncs) ?? "?";
  // Go writes "pkg/path.Func" as "pkg_path.Func" ("github.com_x_y.Func"): the package is
  // everything before the first "." that is not the domain's.
  const domain = name.match(/^(github\.com|golang\.org|software\.sslmate\.com)_/)?.[0].length ?? 0;
  const dot = name.indexOf(".", domain);
  const pkg = dot > 0 ? name.slice(0, dot) : name;
  byPkg.set(pkg, (byPkg.get(pkg) ?? 0) + s);
});
const kb = (n) => (n / 1024).toFixed(0).padStart(6) + " KB";
console.log(`total ${kb(buf.length)}  code ${kb(sections[10] ?? 0)}  data ${kb(dataSize)}`);
for (const [pkg, s] of [...byPkg].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(kb(s), pkg);
