// How long from a message entering the webmail's DOM to its banner being shown, in Chromium and
// Firefox, on the demo webmail (make latency). Three cases, each the median of RUNS runs:
//   first view    background warm, core loaded, message not seen before (fetch + verify)
//   reopen        the same message again (session cache: no fetch, no verify)
//   after restart the background was stopped first (Chromium: CDP stops the service worker;
//                 Firefox: the event page idles out), message not seen before (core load + verify)
// Times come from the page's clock: the demo records when it inserts a message and when
// mailseal's host reports "shown" (demo/public/common.js). RAW_DELAY_MS=n makes the demo hold
// each raw message back n ms, as Gmail's download route over a real network does (it is
// answered in under a millisecond on 127.0.0.1); the background loads the core meanwhile.
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startWorld, launch, close, artefacts, firefoxIdleSeconds, stopWorker } from './harness.mjs';

const runs = Number(process.env.RUNS ?? 7);
const rawDelayMillis = Number(process.env.RAW_DELAY_MS ?? 0);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length ? Math.round(s[Math.floor((s.length - 1) / 2)] * 10) / 10 : NaN; };

async function view(page, thread) {
  const name = thread.members[0].name;
  await page.evaluate((id) => { delete window.demoTimings.inserted[id]; delete window.demoTimings.shown[id]; }, name);
  await page.evaluate(() => { location.hash = '#inbox'; });
  await page.evaluate((id) => { location.hash = `#inbox/${id}`; }, thread.id);
  await page.waitForFunction((id) => window.demoTimings.shown[id] !== undefined, { timeout: 20000, polling: 20 }, name);
  return page.evaluate((id) => window.demoTimings.shown[id] - window.demoTimings.inserted[id], name);
}

async function stopBackground(b, world) {
  if (b.kind === 'chromium') {
    await stopWorker(b);
  } else {
    await sleep((firefoxIdleSeconds + 3) * 1000);
  }
}

async function measure(kind) {
  const world = await startWorld(`latency-${kind}`, { rawDelayMillis });
  const b = await launch(kind, world.extDirs[kind]);
  const threads = world.demo.threads.filter((t) => t.members.length === 1 && t.members[0].expect.expect === 'valid');
  const page = await b.browser.newPage();
  const out = { first: [], reopen: [], restart: [] };
  try {
    for (let i = 0; i < runs; i++) {
      // A new Gmail account index each run: its cache keys are new, so nothing is cached.
      await page.goto(`${world.demo.gmail}/mail/u/${i + 1}/#inbox`);
      await sleep(500); // the content script starts at document_idle
      const [a, c] = [threads[i % threads.length], threads[(i + 1) % threads.length]];
      await view(page, threads[(i + 2) % threads.length]); // wakes the background and loads the core
      out.first.push(await view(page, a));
      out.reopen.push(await view(page, a));
      await stopBackground(b, world);
      out.restart.push(await view(page, c));
    }
  } finally {
    await close(b);
    await world.demo.close();
  }
  return { runs, medianMillis: { first: median(out.first), reopen: median(out.reopen), restart: median(out.restart) }, samples: out };
}

const results = {};
for (const kind of (process.env.BROWSERS ?? 'chromium,firefox').split(',')) results[kind] = await measure(kind);
mkdirSync(artefacts, { recursive: true });
writeFileSync(join(artefacts, 'latency.json'), JSON.stringify({ rawDelayMillis, ...results }, null, 2));
console.log(`message in DOM → banner shown, median of ${runs} runs (ms)${rawDelayMillis ? `, raw message answered after ${rawDelayMillis} ms` : ''}:`);
console.log('browser    first view   reopen   after restart');
for (const [kind, r] of Object.entries(results)) {
  const m = r.medianMillis;
  console.log(`${kind.padEnd(10)} ${String(m.first).padStart(10)} ${String(m.reopen).padStart(8)} ${String(m.restart).padStart(15)}`);
}
console.log(`samples: ${join('out', 'e2e', 'latency.json')}`);
