// The latency targets over several runs of `make latency`: each run's median per browser, fetch
// time and case, the median of those, and whether the target was met in every run (the issue's
// "met in three runs"). Reads the out/latency.json files that the runs wrote (copied aside).
//
//	node test/e2e/latency-summary.mjs out/latency-1.json out/latency-2.json out/latency-3.json
//
// Writes out/latency-summary.json beside the table it prints.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './harness.mjs';

const files = process.argv.slice(2);
if (!files.length) {
  console.error('usage: node test/e2e/latency-summary.mjs LATENCY.json...');
  process.exit(2);
}
const runs = files.map((f) => {
  try {
    return JSON.parse(readFileSync(f, 'utf8'));
  } catch (err) {
    console.error(`latency-summary: ${f}: ${err.message}`);
    process.exit(2);
  }
});

const caseNames = { first: 'first view', reopen: 'reopen', pointed: 'pointed', stop: 'after stop' };
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor((s.length - 1) / 2)]; };

const rows = [];
const browsers = Object.keys(runs[0].browsers);
for (const kind of browsers) {
  for (const f of runs[0].fetches) {
    for (const c of Object.keys(caseNames)) {
      const per = runs.map((r) => r.browsers[kind]?.this?.medianMillis?.[f]?.[c]);
      const verdicts = runs.map((r) => r.browsers[kind]?.this?.targets?.[f]?.[c]);
      if (per.some((x) => typeof x !== 'number') || verdicts.some((v) => !v)) {
        console.error(`latency-summary: ${kind} fetch ${f} ${caseNames[c]} is missing from a run`);
        process.exit(2);
      }
      rows.push({
        browser: kind, fetch: f, case: c, runs: per, median: median(per),
        mustMillis: verdicts[0].mustMillis, aimMillis: verdicts[0].aimMillis,
        mustMetEveryRun: verdicts.every((v) => v.must), aimMetEveryRun: verdicts.every((v) => v.aim),
      });
    }
  }
}

const out = { files, measuredAt: runs.map((r) => r.measuredAt), rows };
writeFileSync(join(root, 'out', 'latency-summary.json'), JSON.stringify(out, null, 2) + '\n');

const lines = [`${runs.length} runs of make latency: each run's median (ms), their median, and the target met in every run`];
lines.push('browser    fetch  case         runs                 median  must                aim');
for (const r of rows) {
  const must = Number.isFinite(r.mustMillis) ? `≤ ${r.mustMillis} ${r.mustMetEveryRun ? 'met' : 'NOT MET'}` : '';
  lines.push(`${r.browser.padEnd(10)} ${String(r.fetch).padStart(5)}  ${caseNames[r.case].padEnd(11)}  ${r.runs.join(' / ').padEnd(20)} ${String(r.median).padStart(6)}  ${must.padEnd(19)} ≤ ${r.aimMillis} ${r.aimMetEveryRun ? 'met' : 'not met'}`);
}
lines.push('figures: out/latency-summary.json');
console.log(lines.join('\n'));
