// Red team 5: the report cache's in-memory state (reports.js, fc3c73d) against storage.session.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { area } from './browser-stub.mjs';

globalThis.__BROWSER__ = 'chrome';
globalThis.__DEMO__ = false;
const session = area();
globalThis.chrome = { runtime: { id: 'ext', getURL: (p) => `chrome-extension://ext/${p}` }, storage: { session, onChanged: { addListener: () => {} } } };
const { storeReport, cachedReport, reportKey, forgetReports, cacheGeneration } = await import('../../extension/src/reports.js');

const key = (m) => reportKey('gmail:a@x.example', m);
const withText = (m) => ({ status: 'valid', text: { type: 'text/plain', text: `body ${m}`, source: 'message' } });
const textsInStorage = () => Object.entries(session.data).filter(([k, v]) => k.startsWith('r:') && v.text).map(([k]) => k);

// The area is full once (storage.session holds 10 MB, shared with the channels): write() drops the
// report cache and writes again. The report written then must still count against the budget
// of three reports with text (what stops a sender of 1 MB messages from filling the area).
test('a report with text written after the area was full is still one of the three that keep their text', async () => {
  await forgetReports();
  await storeReport(key('t1'), withText('t1'));
  await storeReport(key('t2'), withText('t2'));
  const set = session.set;
  let full = true;
  session.set = async (items) => { if (full) { full = false; throw new Error('QUOTA_BYTES quota exceeded'); } return set(items); };
  try {
    await storeReport(key('a'), withText('a'));
  } finally {
    session.set = set;
  }
  assert.ok(key('a') in session.data, 'written on the second try');
  for (const m of ['b', 'c', 'd', 'e']) await storeReport(key(m), withText(m));
  assert.deepEqual(textsInStorage().sort(), [key('c'), key('d'), key('e')].sort(),
    `at most three reports keep their text; kept: ${textsInStorage().map((k) => k.split('\n')[1])}`);
});

// Trust changed while a verify was running (handlers.js addUserRoots/removeUserRoot ->
// forgetReports): the verdict computed under the old roots is stored (and now also held) after
// the cache was emptied, so reopening the message shows the verdict of the old trust.
// (The storage half of this race is older than fc3c73d; the held copy is new.)
test('a verdict computed before the trust changed is not kept after forgetReports', async () => {
  await forgetReports();
  const k = key('in-flight');
  // verified(): the core runs with the old roots...
  const since = cacheGeneration();
  const computed = { status: 'valid', signer: 'under a root the user just removed' };
  // ...meanwhile the user removes the root:
  await forgetReports();
  // ...and the verify finishes and stores its report.
  const entry = await storeReport(k, computed, {}, since);
  assert.equal(entry.unkept, true, 'shown on its channel only');
  assert.equal(await cachedReport(k), null, 'a reopen must verify again under the new trust');
  // The trust changing while the report is being written: it goes too.
  const late = cacheGeneration();
  const writing = storeReport(key('late'), computed, {}, late);
  await forgetReports();
  assert.equal((await writing).unkept, true);
  assert.equal(await cachedReport(key('late')), null);
  assert.ok(!(key('late') in session.data));
});

// storeReport holds what it wrote without checking that no removal came between the write and
// the hold (cachedReport checks `removals`; storeReport does not). With the stub's ordering, a
// forgetReports that runs alongside leaves the entry held but gone from storage.session.
test('a write that a removal overtakes is not held', async () => {
  // The trust changes just after the write was sent (n microtasks later: the set goes first).
  for (let n = 0; n < 8; n++) {
    await forgetReports();
    const k = key(`overtaken-${n}`);
    const stored = storeReport(k, withText('overtaken'));
    for (let i = 0; i < n; i++) await Promise.resolve();
    const forgot = forgetReports();
    await Promise.all([stored, forgot]);
    const held = (await cachedReport(k)) !== null;
    assert.equal(held, k in session.data, `after ${n} microtasks: held ${held}, in storage.session ${k in session.data}`);
  }
});
