// The decrypt window's background half (extension/src/decrypt/) with a stub of the browser API and
// the real core: only a banner frame opens the window, and only for its own tab's message; only
// the window reads, for its own channel; a locked identity is asked for before the message is
// read; what was decrypted reaches the window's answer and nowhere else (storage, the report
// cache). And the frame that shows decrypted HTML (view/content-frame.js): sandboxed, under a
// policy that allows no network, with what CSP cannot stop taken out of the HTML.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOMParser, parseHTML } from 'linkedom';
import { aliasCore, area } from './browser-stub.mjs';

aliasCore();

const session = area();
const local = area();
const gmailTab = 4;
const outlookTab = 5;
const tabURLs = { [outlookTab]: 'https://outlook.office.com/mail/inbox/id/AAQkAD' };
const windowTab = 41;
globalThis.__BROWSER__ = 'chrome';
globalThis.__DEMO__ = false;
globalThis.chrome = {
  runtime: { id: 'ext', getURL: (p) => `chrome-extension://ext/${p}`, onStartup: { addListener() {} } },
  // The vectors' fixture root, trusted by policy as an administrator would.
  storage: { managed: { get: async () => ({ roots: [readFileSync(new URL('../../testdata/vectors/root.pem', import.meta.url), 'utf8')] }) }, onChanged: { addListener() {} }, local, session },
  tabs: { get: async (id) => ({ id, title: 'Inbox - demo@mailseal.test - Gmail', url: tabURLs[id] ?? 'https://mail.google.com/mail/u/0/#inbox/FMfcg' }), query: async () => [] },
  windows: { onRemoved: { addListener() {} }, opened: [], async create(o) { this.opened.push(o); return { id: 90, tabs: [{ id: windowTab }] }; } },
};

const root = new URL('../../', import.meta.url).pathname;
const vector = (name) => readFileSync(join(root, 'testdata', 'vectors', name));
const coreResponse = (url) => (url === 'chrome-extension://ext/core.wasm'
  ? new Response(readFileSync(join(root, 'dist', 'wasm', 'core.wasm')), { headers: { 'content-type': 'application/wasm' } }) : null);

const { decryptHandlers } = await import('../../extension/src/decrypt/handlers.js');
const { messageOf } = await import('../../extension/src/decrypt/window.js');
const { openChannel } = await import('../../extension/src/background/banner-channels.js');
const { reportKey } = await import('../../extension/src/reports.js');
const { importIdentity, lock } = await import('../../extension/src/signing/identity.js');
const { unpackBytes } = await import('../../extension/src/bytes.js');

const secret = 'MAILSEAL-DECRYPTED-7f3a9c'; // cmd/genvectors: in every part of the demo's encrypted messages
const messageId = '18c0ffee00000001';
const banner = (tabId) => ({ kind: 'page', page: 'banner.html', tabId, frameId: 2, url: 'chrome-extension://ext/pages/banner.html?c=x' });
const window = (tabId = windowTab) => ({ kind: 'page', page: 'decrypt.html', tabId, frameId: 0, url: 'chrome-extension://ext/pages/decrypt.html#x' });

// The raw message Gmail's "download original" gives, and every fetch made.
const fetched = [];
function serve(raw) {
  fetched.length = 0;
  globalThis.fetch = async (url, init) => coreResponse(url) ?? (fetched.push(String(url)), new Response(raw, { status: 200 }));
}

async function bannerFor(tabId) {
  return (await openChannel(reportKey('demo@mailseal.test', messageId), tabId, { report: { status: 'encrypted' } })).id;
}

test('a report key gives back its message id; nothing else does', () => {
  assert.equal(messageOf(reportKey('a@example.com', messageId)), messageId);
  for (const bad of ['', 'x', `r:a\n`, `r:a\n${messageId}\nmore`, null, 7]) assert.equal(messageOf(bad), null, String(bad));
});

test('only the banner frame of the message\'s own tab opens the window, which names only its channel', async () => {
  serve(vector('encrypted-demo-signed.eml'));
  const id = await bannerFor(gmailTab);
  await assert.rejects(decryptHandlers.decryptOpen({ channel: id }, banner(gmailTab + 1)), { code: 'refused' });
  await assert.rejects(decryptHandlers.decryptOpen({ channel: 'f'.repeat(32) }, banner(gmailTab)), { code: 'refused' });
  assert.equal(chrome.windows.opened.length, 0);
  assert.deepEqual(await decryptHandlers.decryptOpen({ channel: id }, banner(gmailTab)), { opened: true });
  const [opened] = chrome.windows.opened;
  assert.equal(opened.type, 'popup');
  const [, channel] = /^chrome-extension:\/\/ext\/pages\/decrypt\.html#([0-9a-f]{32})$/.exec(opened.url);
  assert.deepEqual(session.data[`decrypt:${channel}`], {
    sourceTab: gmailTab, provider: 'gmail', messageId, tabURL: 'https://mail.google.com/mail/u/0/#inbox/FMfcg',
    createdAt: session.data[`decrypt:${channel}`].createdAt, tabId: windowTab, windowId: 90,
  });
  assert.equal(fetched.length, 0, 'opening reads nothing');

  // Another tab, or a made-up channel, reads nothing.
  await assert.rejects(decryptHandlers.decryptRead({ channel }, window(gmailTab)), { code: 'refused' });
  await assert.rejects(decryptHandlers.decryptRead({ channel: 'a'.repeat(32) }, window()), { code: 'refused' });
  // No identity (or a locked one) is said before the message is read.
  await assert.rejects(decryptHandlers.decryptRead({ channel }, window()), { code: 'locked' });
  assert.equal(fetched.length, 0);
  chrome.windows.opened.length = 0;
});

// The demo identity (test/e2e/p12), whose key the demo's encrypted vectors are encrypted to.
const passphrase = 'a long test passphrase 4 mailseal';
async function withIdentity() {
  const dir = mkdtempSync(join(tmpdir(), 'mailseal-decrypt-test-'));
  execFileSync('go', ['run', './test/e2e/p12', '-email', 'demo@mailseal.test', '-password', 'pw', '-out', dir], { cwd: root, stdio: 'pipe' });
  await importIdentity(new Uint8Array(readFileSync(join(dir, 'identity.p12'))), 'pw', passphrase);
}

test('the window unlocks, reads the message from the provider and gets the report and parts; nothing is kept', async () => {
  serve(vector('encrypted-demo-signed.eml'));
  await withIdentity();
  const id = await bannerFor(gmailTab);
  await decryptHandlers.decryptOpen({ channel: id }, banner(gmailTab));
  const channel = /#(.*)$/.exec(chrome.windows.opened.pop().url)[1];
  await assert.rejects(decryptHandlers.decryptRead({ channel }, window()), { code: 'locked' });
  assert.equal(fetched.length, 0, 'a locked identity is asked for before the message is read');
  await assert.rejects(decryptHandlers.decryptRead({ channel, passphrase: 'wrong' }, window()), { code: 'identity' });

  const answer = await decryptHandlers.decryptRead({ channel, passphrase }, window());
  assert.equal(fetched.length, 1);
  assert.match(fetched[0], /^https:\/\/mail\.google\.com\/mail\/u\/0\//);
  const { report, parts } = answer;
  assert.equal(report.status, 'valid');
  assert.equal(report.encryption.decrypted, true);
  assert.equal(report.encryption.signature, 'inside');
  assert.deepEqual(report.encryption.addressedTo, ['demo@mailseal.test']);
  assert.equal(answer.content, undefined, 'the window gets the parts, not the whole entity');
  const text = (p) => new TextDecoder().decode(unpackBytes(p.data));
  assert.deepEqual(parts.map((p) => [p.type, p.attachment, p.name]),
    [['text/plain', false, ''], ['text/html', false, ''], ['text/plain', true, 'statement.txt']]);
  for (const p of parts) assert.ok(text(p).includes(secret), p.path);

  // Nothing decrypted is kept: not in storage (local, session), not in the report cache.
  for (const [name, store] of [['local', local], ['session', session]]) {
    assert.ok(!JSON.stringify(store.data).includes(secret), `storage.${name} holds decrypted text`);
    assert.ok(!JSON.stringify(store.data).includes(Buffer.from(secret).toString('base64').slice(0, 16)), `storage.${name} holds it as base64`);
  }
  // Unlocked now: the next read needs no passphrase.
  assert.equal((await decryptHandlers.decryptRead({ channel }, window())).report.encryption.decrypted, true);
  await lock();
});

test('a refused message answers its reason and no parts', async () => {
  serve(vector('encrypted-demo-part-only.eml'));
  const id = await bannerFor(gmailTab);
  await decryptHandlers.decryptOpen({ channel: id }, banner(gmailTab));
  const channel = /#(.*)$/.exec(chrome.windows.opened.pop().url)[1];
  const { report, parts } = await decryptHandlers.decryptRead({ channel, passphrase }, window());
  assert.equal(report.encryption.problem, 'part-only');
  assert.equal(parts, undefined);
  assert.ok(report.reasonCodes.some((c) => c.code === 'decrypt_part_only'));
  assert.ok(!JSON.stringify(report).includes(secret));
  await lock();
});

test('in Outlook the window reads the message through Graph, by the id the banner\'s report was kept under', async () => {
  serve(vector('encrypted-demo-signed.eml'));
  session.data.graphToken = { accessToken: 'graph-read-token', expiresAt: Date.now() + 3600_000 };
  const graphId = 'AAMkAD-immutable_id';
  const { id } = await openChannel(reportKey('outlook.office.com', graphId), outlookTab, { report: { status: 'encrypted' } });
  await decryptHandlers.decryptOpen({ channel: id }, banner(outlookTab));
  const channel = /#(.*)$/.exec(chrome.windows.opened.pop().url)[1];
  assert.equal(session.data[`decrypt:${channel}`].provider, 'outlook');
  const { report } = await decryptHandlers.decryptRead({ channel, passphrase }, window());
  assert.equal(report.encryption.decrypted, true);
  assert.deepEqual(fetched, [`https://graph.microsoft.com/v1.0/me/messages/${graphId}/$value`]);
  await lock();
});

// --- identities kept to decrypt ---
const { keptHandlers } = await import('../../extension/src/signing/kept-handlers.js');
const { deleteIdentity } = await import('../../extension/src/signing/identity.js');
const { secretsIn } = await import('../e2e/secrets.mjs');

test('another identity keeps the one it replaces, sealed, never to sign; with no signing identity it still decrypts', async () => {
  serve(vector('encrypted-demo-signed.eml'));
  const dir = mkdtempSync(join(tmpdir(), 'mailseal-renewal-'));
  execFileSync('go', ['run', './test/e2e/p12', '-email', 'renewed@mailseal.test', '-password', 'pw', '-out', dir], { cwd: root, stdio: 'pipe' });
  const first = (await keptHandlers.identityKeptList()).length;
  const before = local.data.signingIdentity.summary;
  await importIdentity(new Uint8Array(readFileSync(join(dir, 'identity.p12'))), 'pw', passphrase);
  const kept = await keptHandlers.identityKeptList();
  assert.equal(kept.length, first + 1);
  assert.deepEqual([kept.at(-1).why, kept.at(-1).summary.fingerprint], ['replaced', before.fingerprint], 'another address: replaced, not renewed');

  // A new certificate for the same address is a renewal.
  const renewal = mkdtempSync(join(tmpdir(), 'mailseal-renewal-'));
  execFileSync('go', ['run', './test/e2e/p12', '-email', 'renewed@mailseal.test', '-password', 'pw', '-days', '730', '-out', renewal], { cwd: root, stdio: 'pipe' });
  const replaced = local.data.signingIdentity.summary;
  await importIdentity(new Uint8Array(readFileSync(join(renewal, 'identity.p12'))), 'pw', passphrase);
  assert.deepEqual((await keptHandlers.identityKeptList()).slice(-2).map((k) => [k.why, k.summary.fingerprint]),
    [['replaced', before.fingerprint], ['renewed', replaced.fingerprint]]);
  // Importing it again keeps nothing more (the same certificate).
  const n = (await keptHandlers.identityKeptList()).length;
  await importIdentity(new Uint8Array(readFileSync(join(renewal, 'identity.p12'))), 'pw', passphrase);
  assert.equal((await keptHandlers.identityKeptList()).length, n);
  assert.equal(kept.at(-1).sealed, undefined, 'the page is never given a sealed key');
  assert.deepEqual(secretsIn('storage.local', JSON.stringify(local.data), { key: readFileSync(join(dir, 'key.der')) }), [], 'a key in clear');
  assert.equal(local.data.signingIdentity.summary.addresses[0], 'renewed@mailseal.test', 'the new one signs');

  // Only kept identities left: the window's passphrase opens them.
  await deleteIdentity();
  const id = await bannerFor(gmailTab);
  await decryptHandlers.decryptOpen({ channel: id }, banner(gmailTab));
  const channel = /#(.*)$/.exec(chrome.windows.opened.pop().url)[1];
  await assert.rejects(decryptHandlers.decryptRead({ channel }, window()), { code: 'locked' });
  await assert.rejects(decryptHandlers.decryptRead({ channel, passphrase: 'not the passphrase at all' }, window()), { code: 'identity' });
  const { report } = await decryptHandlers.decryptRead({ channel, passphrase }, window());
  assert.equal(report.encryption.decrypted, true);
  assert.equal(report.encryption.key, 'demo@mailseal.test', 'decrypted by the kept, earlier identity');

  // Removing one forgets it; a bad fingerprint is refused.
  await assert.rejects(keptHandlers.identityKeptRemove({ fingerprint: 'x' }), { code: 'bad-argument' });
  assert.equal(await keptHandlers.identityKeptRemove({ fingerprint: before.fingerprint }), true);
  assert.ok(!(await keptHandlers.identityKeptList()).some((k) => k.summary.fingerprint === before.fingerprint));
  assert.equal(await keptHandlers.identityKeptRemove({ fingerprint: replaced.fingerprint }), true);
  await assert.rejects(decryptHandlers.decryptRead({ channel, passphrase }, window()), { code: 'setup' }, 'no identity left: import one');
});

// --- the frame that shows decrypted HTML ---
const dom = parseHTML('<!doctype html><html><head></head><body></body></html>');
globalThis.DOMParser = DOMParser;
globalThis.document = dom.document;
const { contentFrame, contentPolicy, inertHTML } = await import('../../extension/src/view/content-frame.js');

test('the frame is sandboxed with nothing allowed: no scripts, forms, popups, same origin or top navigation', () => {
  const frame = contentFrame('<p>hi</p>', 'Decrypted message');
  assert.equal(frame.getAttribute('sandbox'), '');
  assert.equal(frame.getAttribute('referrerpolicy'), 'no-referrer');
  assert.equal(frame.getAttribute('src'), null, 'srcdoc only: nothing is loaded from anywhere');
});

test('the policy allows no network: every fetch directive is none, images only data:', () => {
  const directives = Object.fromEntries(contentPolicy.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
  assert.deepEqual(directives['default-src'], ["'none'"]);
  assert.deepEqual(directives['img-src'], ['data:']);
  assert.deepEqual(directives['style-src'], ["'unsafe-inline'"], 'inline style only: no sheet, @import or url() from anywhere');
  for (const d of ['font-src', 'form-action', 'base-uri', 'frame-src', 'connect-src', 'media-src', 'object-src']) assert.deepEqual(directives[d], ["'none'"], d);
  assert.doesNotMatch(contentPolicy, /https?:|\*|blob:/);
});

test('the policy is the first thing of the frame\'s document; what CSP cannot stop is taken out', () => {
  const html = '<html><head><meta http-equiv="refresh" content="0;url=http://attacker.example/"><base href="http://attacker.example/">' +
    '<script>alert(1)</script></head><body><a href="http://attacker.example/x">click</a><svg><a xlink:href="http://attacker.example/y"><text>y</text></a></svg>' +
    '<iframe src="http://attacker.example/f"></iframe><object data="http://attacker.example/o"></object><p>text</p></body></html>';
  const out = inertHTML(html);
  const doc = new DOMParser().parseFromString(out, 'text/html');
  const first = doc.head.firstElementChild;
  assert.equal(first.getAttribute('http-equiv'), 'Content-Security-Policy');
  assert.equal(first.getAttribute('content'), contentPolicy);
  assert.equal(doc.querySelectorAll('meta[http-equiv="refresh"], base, script, iframe, object').length, 0);
  assert.equal(doc.querySelectorAll('[href]').length, 0);
  assert.doesNotMatch(out, /xlink:href/);
  assert.equal(doc.querySelector('a').getAttribute('title'), 'http://attacker.example/x', 'the address stays visible as a tooltip');
  assert.match(out, /<p>text<\/p>/);
});
