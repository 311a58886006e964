// The report cache (extension/src/reports.js): every report is kept, the text of the last three
// only (storage.session is small and anyone can mail the user), a text too long is not kept. The
// background holds what it read or wrote, and lets go of whatever storage.session loses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { area } from './browser-stub.mjs';

globalThis.__BROWSER__ = 'chrome';
globalThis.__DEMO__ = false;
const session = area();
// storage.onChanged, as the browser calls it for a change made by any page of the extension.
const changeListeners = [];
const changedElsewhere = (changes, areaName = 'session') => { for (const l of changeListeners) l(changes, areaName); };
globalThis.chrome = { runtime: { id: 'ext', getURL: (p) => `chrome-extension://ext/${p}` }, storage: { session, onChanged: { addListener: (l) => changeListeners.push(l) } } };
const { storeReport, cachedReport, reportKey, signedText, forgetReports, cachedMessages } = await import('../../extension/src/reports.js');

const text = (s, source = 'message') => ({ type: 'text/plain', text: s, source });

test('the last three reports keep their text; older ones are dropped whole, to be verified again', async () => {
  for (let i = 1; i <= 5; i++) await storeReport(reportKey('gmail:a@x.example', `m${i}`), { status: 'valid', text: text(`body ${i}`), signedEntity: new Uint8Array(3) });
  assert.deepEqual(session.data.textKeys, ['m5', 'm4', 'm3'].map((m) => reportKey('gmail:a@x.example', m)));
  assert.equal(await cachedReport(reportKey('gmail:a@x.example', 'm1')), null);
  const kept = await cachedReport(reportKey('gmail:a@x.example', 'm5'));
  assert.deepEqual(kept, { report: { status: 'valid' }, text: text('body 5') }, 'the signed bytes are never kept');
});

test('a text too long to keep leaves the report without it; only opaque content is the banner\'s', async () => {
  await forgetReports();
  const entry = await storeReport('r:k', { status: 'valid', text: text('x'.repeat((1 << 19) + 1)) });
  assert.equal(entry.text, undefined);
  assert.deepEqual(session.data.textKeys, undefined);
  assert.equal(signedText({ report: { opaque: true }, text: text('hi', 'signed') }).text, 'hi');
  assert.equal(signedText({ report: { opaque: false }, text: text('hi') }), null);
  assert.equal(signedText({ report: { opaque: true }, text: text('hi', 'message') }), null);
});

// reads counts session.get calls while run runs.
async function reads(run) {
  const get = session.get;
  let n = 0;
  session.get = (keys) => { n++; return get(keys); };
  try {
    await run();
  } finally {
    session.get = get;
  }
  return n;
}

test('a report written or read once is held: opening its message again asks the browser nothing', async () => {
  await forgetReports();
  const key = reportKey('gmail:a@x.example', 'held');
  await storeReport(key, { status: 'valid' });
  assert.equal(await reads(async () => assert.deepEqual(await cachedReport(key), { report: { status: 'valid' } })), 0);
  const other = reportKey('gmail:a@x.example', 'stored-by-an-earlier-life');
  session.data[other] = { report: { status: 'invalid' } };
  assert.equal(await reads(async () => { await cachedReport(other); await cachedReport(other); }), 1);
});

test('what storage.session loses is let go here too: forgotten, dropped for its text, removed by another page', async () => {
  await forgetReports();
  const key = (m) => reportKey('gmail:a@x.example', m);
  await storeReport(key('a'), { status: 'valid' });
  await forgetReports();
  assert.equal(await cachedReport(key('a')), null, 'trust changed: every verdict goes');
  for (const m of ['t1', 't2', 't3', 't4']) await storeReport(key(m), { status: 'valid', text: text(m) });
  assert.equal(await cachedReport(key('t1')), null, 'the oldest report with text is dropped whole');
  assert.deepEqual(session.data.textKeys, ['t4', 't3', 't2'].map(key));
  await storeReport(key('b'), { status: 'valid' });
  delete session.data[key('b')];
  changedElsewhere({ [key('b')]: { oldValue: { report: { status: 'valid' } } } });
  assert.equal(await cachedReport(key('b')), null, 'removed by another page of the extension');
  // The list of reports with text is read again after another page removed it.
  delete session.data.textKeys;
  changedElsewhere({ textKeys: { oldValue: ['x'] } });
  await storeReport(key('t5'), { status: 'valid', text: text('t5') });
  assert.deepEqual(session.data.textKeys, [key('t5')]);
});

test('a read that a removal overtakes does not hold what it read', async () => {
  await forgetReports();
  const key = reportKey('gmail:a@x.example', 'raced');
  session.data[key] = { report: { status: 'valid' } };
  const get = session.get;
  let release;
  session.get = async (keys) => { const got = await get(keys); await new Promise((r) => { release = r; }); return got; };
  const read = cachedReport(key);
  await new Promise((r) => setTimeout(r, 0));
  session.get = get;
  await forgetReports();
  release();
  assert.deepEqual(await read, { report: { status: 'valid' } }, 'the read answers what it found');
  assert.equal(await cachedReport(key), null, 'but what it found is not held after the removal');
});

test('cachedMessages names the messages of one account that the cache has, and of no other', async () => {
  await forgetReports();
  await storeReport(reportKey('gmail:a@x.example', '18c5'), { status: 'valid' });
  await storeReport(reportKey('gmail:a@x.example.org', '18c6'), { status: 'valid' });
  await storeReport(reportKey('gmail:b@x.example', '18c7'), { status: 'valid' });
  session.data['banner:0123'] = { key: reportKey('gmail:a@x.example', 'nope'), tabId: 1 };
  assert.deepEqual(await cachedMessages('gmail:a@x.example'), ['18c5']);
  session.getKeys = async () => Object.keys(session.data); // where the browser has getKeys, only the keys are read
  const get = session.get;
  session.get = async () => { throw new Error('read whole'); };
  try {
    assert.deepEqual(await cachedMessages('gmail:b@x.example'), ['18c7']);
  } finally {
    session.get = get;
    delete session.getKeys;
  }
});
