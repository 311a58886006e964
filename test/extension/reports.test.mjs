// The report cache (extension/src/reports.js): every report is kept, the text of the last three
// only (storage.session is small and anyone can mail the user), a text too long is not kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { area } from './browser-stub.mjs';

globalThis.__BROWSER__ = 'chrome';
globalThis.__DEMO__ = false;
const session = area();
globalThis.chrome = { runtime: { id: 'ext', getURL: (p) => `chrome-extension://ext/${p}` }, storage: { session } };
const { storeReport, cachedReport, reportKey, signedText, forgetReports } = await import('../../extension/src/reports.js');

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
