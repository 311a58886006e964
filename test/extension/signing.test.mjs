// The background's signing code (extension/src/signing/) with a stub of the browser API: what
// goes to the Gmail API and Graph, the size limit checked before sending, the provider's refusals
// in plain words, and who may ask for signing at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aliasCore, area } from './browser-stub.mjs';

aliasCore();

const session = area();
const local = area();
globalThis.__BROWSER__ = 'chrome';
globalThis.__DEMO__ = false;
globalThis.chrome = {
  runtime: { id: 'ext', getURL: (p) => `chrome-extension://ext/${p}`, onStartup: { addListener() {} } },
  storage: { managed: { get: async () => ({ outlookClientId: '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b' }) }, onChanged: { addListener() {} }, local, session },
  identity: { getRedirectURL: () => 'https://ext.chromiumapp.org/', launchWebAuthFlow: async () => { throw new Error('no sign-in in tests'); } },
};

const { sendGmail, sendGraph, checkSize } = await import('../../extension/src/signing/send.js');
const { signingHandlers } = await import('../../extension/src/signing/handlers.js');
const { SendError } = await import('../../extension/src/signing/errors.js');

const hour = 3600_000;
function signedIn() {
  session.data.gmailSendToken = { accessToken: 'gmail-token', account: '', expiresAt: Date.now() + hour };
  session.data.graphSendToken = { accessToken: 'graph-token', expiresAt: Date.now() + hour };
}

// answer replaces fetch for one request and records it.
function answer(status, body = {}) {
  const seen = [];
  globalThis.fetch = async (url, init) => {
    seen.push({ url, init, body: init.body instanceof Blob ? Buffer.from(await init.body.arrayBuffer()).toString('latin1') : init.body });
    return new Response(status === 202 ? null : JSON.stringify(body), { status });
  };
  return seen;
}

const raw = new TextEncoder().encode('From: a@example.com\r\nTo: b@example.net\r\n\r\nhello\r\n');

test('Gmail gets the message as message/rfc822 with its thread', async () => {
  signedIn();
  const seen = answer(200, { id: 'm1', threadId: 't1' });
  assert.deepEqual(await sendGmail(raw, { threadId: 't1' }), { id: 'm1', threadId: 't1' });
  assert.equal(seen[0].url, 'https://gmail.googleapis.com/upload/gmail/v1/users/me/messages/send?uploadType=multipart');
  assert.equal(seen[0].init.headers.authorization, 'Bearer gmail-token');
  assert.match(seen[0].body, /application\/json[^]*\{"threadId":"t1"\}[^]*message\/rfc822\r\n\r\nFrom: a@example.com\r\nTo: b@example.net\r\n\r\nhello\r\n\r\n--/);
});

test('Graph gets the message base64 as text/plain', async () => {
  signedIn();
  const seen = answer(202);
  await sendGraph(raw);
  assert.equal(seen[0].url, 'https://graph.microsoft.com/v1.0/me/sendMail');
  assert.equal(seen[0].init.headers['content-type'], 'text/plain');
  assert.equal(Buffer.from(seen[0].body, 'base64').toString(), Buffer.from(raw).toString());
});

test('a message too large for Graph is refused before anything is sent', async () => {
  signedIn();
  const seen = answer(202);
  assert.doesNotThrow(() => checkSize('outlook', 3 * 1024 * 1024));
  const big = new Uint8Array(3 * 1024 * 1024 + 4);
  await assert.rejects(sendGraph(big), (e) => e instanceof SendError && e.kind === 'too-large' && /about 3\.0 MB at most/.test(e.message));
  assert.equal(seen.length, 0);
  assert.doesNotThrow(() => checkSize('gmail', big.length));
});

test("the provider's refusals in plain words; an expired token is forgotten", async () => {
  for (const [status, kind, words] of [[401, 'expired', /no longer accepts/], [429, 'quota', /limiting/], [413, 'too-large', /too large/], [403, 'refused', /not allowed mailseal to send/], [500, 'refused', /HTTP 500/]]) {
    signedIn();
    answer(status, { error: { code: status } });
    await assert.rejects(sendGraph(raw), (e) => e.kind === kind && words.test(e.message), `HTTP ${status}`);
    assert.equal('graphSendToken' in session.data, status !== 401, `HTTP ${status}`);
  }
});

test('only the compose page may sign and send, only the identity page may import', async () => {
  const page = (p, tabId) => ({ kind: 'page', url: `chrome-extension://ext/pages/${p}`, tabId });
  const args = { provider: 'gmail', message: {} };
  for (const p of ['banner.html?c=1', 'popup.html', 'options.html', 'identity.html']) {
    await assert.rejects(signingHandlers.signAndSend.run(args, page(p)), /refused/, p);
  }
  for (const p of ['banner.html', 'compose.html']) {
    await assert.rejects(signingHandlers.identityImport.run({}, page(p)), /refused/, p);
    await assert.rejects(signingHandlers.identityExport.run({}, page(p)), /refused/, p);
  }
  assert.deepEqual(signingHandlers.signAndSend.from, ['page']);
  assert.deepEqual(signingHandlers.composeOpen.from, ['content']);
});

test("a compose channel is read only by a frame in the tab that opened it", async () => {
  const { channel } = await signingHandlers.composeOpen.run({ provider: 'gmail', account: 'a@example.com', prefill: { to: 'b@example.net', text: 'hi' } }, { kind: 'content', tabId: 4 });
  const frame = (tabId) => ({ kind: 'page', url: `chrome-extension://ext/pages/compose.html#${channel}`, tabId });
  const got = await signingHandlers.composeDraft.run({ channel }, frame(4));
  assert.equal(got.prefill.to, 'b@example.net');
  assert.equal(got.account, 'a@example.com');
  assert.equal(await signingHandlers.composeDraft.run({ channel }, frame(5)), null);
  assert.equal(await signingHandlers.composeDraft.run({ channel: crypto.randomUUID() }, frame(4)), null);
});

test('signing while locked says so, and nothing is sent', async () => {
  local.data.signingIdentity = { sealed: 'AAAA', summary: { addresses: ['a@example.com'] }, importedAt: 1 };
  const seen = answer(200);
  const out = await signingHandlers.signAndSend.run({ provider: 'gmail', message: { from: 'a@example.com', to: 'b@example.net', text: 'x' } },
    { kind: 'page', url: 'chrome-extension://ext/pages/compose.html#x' });
  assert.equal(out.ok, false);
  assert.equal(out.kind, 'locked');
  assert.equal(seen.length, 0);
});

test('a session past its lock time is cleared and reads as locked', async () => {
  const { identityStatus } = await import('../../extension/src/signing/identity.js');
  local.data.signingIdentity = { sealed: 'AAAA', summary: { addresses: ['a@example.com'] }, importedAt: 1 };
  local.data.signingSession = 'c2Vzc2lvbg==';
  session.data.signingSessionKey = { key: 'a2V5', lockAt: Date.now() - 1 };
  assert.equal((await identityStatus()).unlockedUntil, 0);
  assert.equal('signingSession' in local.data, false);
  assert.equal('signingSessionKey' in session.data, false);
  session.data.signingSessionKey = { key: 'a2V5', lockAt: Date.now() + hour };
  local.data.signingSession = 'c2Vzc2lvbg==';
  assert.ok((await identityStatus()).unlockedUntil > Date.now());
});
