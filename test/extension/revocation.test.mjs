// The background's revocation-list fetching (extension/src/background/revocation.js) with a stub
// of fetch: which addresses are used, the size cap, failures in words, the cache, and the mode
// that policy and the user's switch give.
import { test } from 'node:test';
import assert from 'node:assert/strict';

globalThis.__BROWSER__ = 'chrome';
globalThis.__DEMO__ = false;
let granted = false;
globalThis.chrome = {
  runtime: { id: 'ext', getURL: (p) => `chrome-extension://ext/${p}` },
  permissions: { contains: async ({ origins }) => granted && origins.every((o) => /^http:\/\/[^/:]+\/\*$/.test(o)) },
};

const { addresses, canFetch, forgetLists, revocationLists, revocationMode, withRevocation } = await import('../../extension/src/background/revocation.js');

const report = (...crlLists) => ({ status: 'valid', chain: [...crlLists.map((crl) => ({ crl })), { anchor: 'bundled', crl: ['http://root.example/never.crl'] }] });

test('addresses: the chain below the anchor, HTTP only, each once, at most four', () => {
  const r = report(['http://ca.example/ca.crl', 'ldap://dir.example/x', 'https://ca.example/ca.crl'], ['http://ca.example/ca.crl', 'http://root.example/int.crl']);
  assert.deepEqual(addresses(r), ['http://ca.example/ca.crl', 'http://root.example/int.crl']);
  assert.equal(addresses(report(['http://1/', 'http://2/', 'http://3/'], ['http://4/', 'http://5/'])).length, 4);
  assert.deepEqual(addresses({ status: 'valid' }), []);
  assert.deepEqual(addresses(report([42, null])), []);
});

test('mode: the administrator wins; else the user switch; off by default', () => {
  assert.equal(revocationMode({}, {}), 'off');
  assert.equal(revocationMode({}, { checkRevocation: true }), 'soft-fail');
  assert.equal(revocationMode({ revocation: 'hard-fail' }, { checkRevocation: false }), 'hard-fail');
  assert.equal(revocationMode({ revocation: 'off' }, { checkRevocation: true }), 'off');
  assert.equal(revocationMode({ revocation: 'sometimes' }, { checkRevocation: false }), 'off');
});

test('fetching needs the host permission', async () => {
  granted = false;
  assert.equal(await canFetch(), false);
  granted = true;
  assert.equal(await canFetch(), true);
});

test('lists are fetched without credentials, kept for an hour, and failures come back in words', async () => {
  forgetLists();
  const seen = [];
  const fetchImpl = async (url, init) => {
    seen.push({ url, credentials: init.credentials });
    if (url.includes('down')) return new Response('', { status: 503 });
    if (url.includes('huge')) return new Response('', { headers: { 'content-length': String(11 << 20) } });
    return new Response(new Uint8Array([0x30, 0x03, 0x02, 0x01, url.length]));
  };
  const r = report(['http://ca.example/ca.crl', 'http://down.example/ca.crl'], ['http://huge.example/int.crl']);
  const now = Date.now();
  const first = await revocationLists(r, { fetchImpl, now });
  assert.equal(first.crls.length, 1);
  assert.deepEqual([...first.crls[0]], [0x30, 0x03, 0x02, 0x01, 'http://ca.example/ca.crl'.length]);
  assert.equal(first.failures.length, 2);
  assert.match(first.failures.join('\n'), /down\.example.*HTTP 503/);
  assert.match(first.failures.join('\n'), /huge\.example.*larger than/);
  assert.ok(seen.every((s) => s.credentials === 'omit'));

  const again = await revocationLists(r, { fetchImpl, now: now + 30_000 });
  assert.equal(seen.length, 3, 'within a minute nothing is fetched again, failures included');
  assert.equal(again.crls.length, 1);
  await revocationLists(r, { fetchImpl, now: now + 2 * 60_000 });
  assert.equal(seen.length, 5, 'failures are tried again after a minute, good lists are kept');
  await revocationLists(r, { fetchImpl, now: now + 61 * 60_000 });
  assert.equal(seen.length, 8, 'after an hour every list is fetched again');
});

test('a fetch that throws is a failure, not an exception', async () => {
  forgetLists();
  const out = await revocationLists(report(['http://ca.example/x.crl']), { fetchImpl: async () => { throw new TypeError('Failed to fetch'); } });
  assert.deepEqual(out.crls, []);
  assert.match(out.failures[0], /could not be fetched \(Failed to fetch\)/);
});

test('withRevocation: soft-fail keeps the verdict when no list comes, hard-fail asks the core to require one', async () => {
  forgetLists();
  granted = true;
  const calls = [];
  const verify = async (raw, options) => { calls.push(options); return { status: options.requireRevocation ? 'untrusted' : 'revoked', notes: [] }; };
  const valid = { ...report(['http://down.example/ca.crl']), notes: ['core note'] };
  const down = async () => new Response('', { status: 404 });

  const soft = await withRevocation({ raw: 'm', options: { roots: [] }, report: valid, mode: 'soft-fail', verify, fetchImpl: down });
  assert.equal(soft.status, 'valid');
  assert.equal(calls.length, 0, 'nothing to verify again without a list');
  assert.deepEqual(soft.notes.slice(0, 1), ['core note']);
  assert.match(soft.notes[1], /could not be fetched \(HTTP 404\)/);

  forgetLists();
  const hard = await withRevocation({ raw: 'm', options: { roots: [] }, report: valid, mode: 'hard-fail', verify, fetchImpl: down });
  assert.equal(hard.status, 'untrusted');
  assert.deepEqual(calls.at(-1), { roots: [], crls: [], requireRevocation: true });

  forgetLists();
  const listed = await withRevocation({ raw: 'm', options: {}, report: valid, mode: 'soft-fail', verify, fetchImpl: async () => new Response(new Uint8Array([1, 2])) });
  assert.equal(listed.status, 'revoked', 'the core decides with the list');
  assert.deepEqual([...calls.at(-1).crls[0]], [1, 2]);
  assert.equal(calls.at(-1).requireRevocation, false);
});

test('withRevocation: only valid reports, only with the permission, never when off', async () => {
  forgetLists();
  const verify = async () => assert.fail('verified again');
  const fetchImpl = async () => assert.fail('fetched');
  const valid = report(['http://ca.example/ca.crl']);
  assert.equal(await withRevocation({ report: { ...valid, status: 'untrusted' }, mode: 'hard-fail', verify, fetchImpl }).then((r) => r.status), 'untrusted');
  assert.equal((await withRevocation({ report: valid, mode: 'off', verify, fetchImpl })).status, 'valid');
  granted = false;
  const r = await withRevocation({ report: valid, mode: 'hard-fail', verify, fetchImpl });
  assert.equal(r.status, 'valid');
  assert.match(r.notes.at(-1), /not granted mailseal the permission/);
});
