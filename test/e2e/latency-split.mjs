// Where the time of a first view and a reopen goes (make latency measures only the whole): for
// each view, the demo page's clock (message inserted, banner shown) and the banner frame's own
// (its navigation start, DOMContentLoaded, the report answered, the verdict drawn: the marks
// pages/banner.js leaves in its own performance timeline, which the webmail page cannot read),
// all as wall-clock times from each document's timeOrigin. Medians of RUNS (default 7) at
// fetch 0, in BROWSERS (default chromium,firefox): `node test/e2e/latency-split.mjs`.
import { startWorld, launch, close } from './harness.mjs';

const runs = Number(process.env.RUNS ?? 7);
const kinds = (process.env.BROWSERS ?? 'chromium,firefox').split(',');
const median = (xs) => { const s = xs.filter(Number.isFinite).sort((a, b) => a - b); return s.length ? Math.round(s[Math.floor((s.length - 1) / 2)] * 10) / 10 : NaN; };

// open shows thread and returns, as wall-clock times: inserted, shown, and the banner frame's
// stages (navigation start, DOMContentLoaded, report, drawn).
async function open(page, origin, thread) {
  const name = thread.members[0].name;
  await page.evaluate(() => { location.hash = '#inbox'; });
  await page.evaluate((id) => new Promise((r) => { delete window.demoTimings.inserted[id]; delete window.demoTimings.shown[id]; setTimeout(r, 30); }), name);
  await page.evaluate((id) => { location.hash = `#inbox/${id}`; }, thread.id);
  await page.waitForFunction((id) => window.demoTimings.shown[id] !== undefined, { timeout: 20000, polling: 20 }, name);
  const t = await page.evaluate((id) => ({ inserted: performance.timeOrigin + window.demoTimings.inserted[id], shown: performance.timeOrigin + window.demoTimings.shown[id] }), name);
  for (const frame of page.frames().slice(1)) {
    const f = await frame.evaluate(() => {
      if (!/\/pages\/banner\.html/.test(location.href) || !document.body?.dataset.status) return null;
      const at = (n) => performance.timeOrigin + n;
      const nav = performance.getEntriesByType('navigation')[0];
      const mark = (m) => performance.getEntriesByName(m).at(-1)?.startTime;
      return { nav: at(0), dcl: at(nav?.domContentLoadedEventEnd ?? NaN), report: at(mark('mailseal:report') ?? NaN), drawn: at(mark('mailseal:drawn') ?? NaN) };
    }).catch(() => null);
    // The frame of this view: drawn after the message was inserted.
    if (f && f.drawn >= t.inserted) return { ...t, ...f };
  }
  return t;
}

const steps = [['inserted', 'report'], ['inserted', 'nav'], ['nav', 'dcl'], ['dcl', 'report'], ['report', 'drawn'], ['drawn', 'shown'], ['inserted', 'shown']];

for (const kind of kinds) {
  const world = await startWorld(`latency-split-${kind}`);
  const threads = world.demo.threads.filter((t) => t.members.length === 1 && t.members[0].expect.expect === 'valid');
  const b = await launch(kind, world.extDirs[kind]);
  const samples = { first: [], reopen: [] };
  try {
    const page = await b.browser.newPage();
    for (let i = 0; i < runs; i++) {
      await page.goto(`${world.demo.gmail}/mail/u/${i + 1}/#inbox`);
      await new Promise((r) => setTimeout(r, 500));
      await open(page, b.origin, threads[(i + 1) % threads.length]); // wakes the background
      const a = threads[i % threads.length];
      samples.first.push(await open(page, b.origin, a));
      samples.reopen.push(await open(page, b.origin, a));
    }
  } finally {
    await close(b);
    await world.demo.close();
  }
  for (const [name, xs] of Object.entries(samples)) {
    const parts = steps.map(([from, to]) => `${from}→${to} ${median(xs.map((x) => x[to] - x[from]))}`);
    console.log(`${kind} ${name}: ${parts.join(', ')} ms`);
  }
}
process.exit(0);
