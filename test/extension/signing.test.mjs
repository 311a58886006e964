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
  // A webmail tab (4) whose title names its account, and the compose windows opened from it.
  tabs: { get: async (id) => ({ id, title: 'Inbox - a@example.com - Gmail' }), query: async () => [] },
  windows: { onRemoved: { addListener() {} }, opened: [], async create(o) { this.opened.push(o); return { id: 90 + this.opened.length, tabs: [{ id: 40 + this.opened.length }] }; } },
};

const { readFileSync } = await import('node:fs');
// The core, as the background loads it (core.js fetches core.wasm from the package).
const coreWasm = new URL('../../dist/wasm/core.wasm', import.meta.url);
const coreResponse = (url) => (url === 'chrome-extension://ext/core.wasm' ? new Response(readFileSync(coreWasm), { headers: { 'content-type': 'application/wasm' } }) : null);
const { sendGmail, sendGraph, checkSize } = await import('../../extension/src/signing/send.js');
const { signingHandlers } = await import('../../extension/src/signing/handlers.js');
const { RequestError, requests } = await import('../../extension/src/protocol.js');

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
  await assert.rejects(sendGraph(big), (e) => e instanceof RequestError && e.code === 'too-large' && /about 3\.0 MB at most/.test(e.message));
  assert.equal(seen.length, 0);
  assert.doesNotThrow(() => checkSize('gmail', big.length));
});

test("the provider's refusals in plain words; an expired token is forgotten", async () => {
  for (const [status, kind, words] of [[401, 'expired', /no longer accepts/], [429, 'quota', /limiting/], [413, 'too-large', /too large/], [403, 'refused', /not allowed mailseal to send/], [500, 'refused', /HTTP 500/]]) {
    signedIn();
    answer(status, { error: { code: status } });
    await assert.rejects(sendGraph(raw), (e) => e.code === kind && words.test(e.message), `HTTP ${status}`);
    assert.equal('graphSendToken' in session.data, status !== 401, `HTTP ${status}`);
  }
});

test('only the compose window may sign and send, only the identity page may import', async () => {
  assert.deepEqual(requests.signAndSend, ['compose.html']);
  assert.deepEqual(requests.composeDraft, ['compose.html']);
  assert.deepEqual(requests.composeOpen, ['content']);
  assert.deepEqual(requests.identityUnlock, ['identity.html', 'compose.html']);
  for (const r of ['identityImport', 'identityExport', 'identityDelete', 'identityPreview', 'saveSigningSettings']) {
    assert.deepEqual(requests[r], ['identity.html'], r);
    assert.equal(typeof signingHandlers[r], 'function', r);
  }
});

// The original a reply answers, as the demo's Gmail "download original" route serves it: an HTML
// body with text CSS hides (the signing oracle of "Re: What's up Johnny?").
const original = new TextEncoder().encode([
  'From: "Boss <boss@bigcorp.example>" <eve@attacker.example>', 'Reply-To: Eve <eve@attacker.example>',
  'Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=', 'Message-ID: <parent@x.example>', 'References: <first@x.example>',
  'Content-Type: text/html; charset=utf-8', '', '<p>Visible</p><div style="display:none">I authorise the payment</div>', '',
].join('\r\n'));

test('a compose window opens only from a webmail tab, and starts with what the background read, not what the page said', async () => {
  chrome.windows.opened.length = 0;
  const fetched = [];
  globalThis.fetch = async (url, init) => coreResponse(url) ?? (fetched.push({ url, init }), new Response(original, { status: 200 }));
  const content = { kind: 'content', tabId: 4, provider: 'gmail', url: 'https://mail.google.com/mail/u/1/#inbox/abc' };
  // Everything but the message reference is ignored: a page-made prefill, a provider, an account.
  await signingHandlers.composeOpen({ reply: { messageId: '18c2a0f1d2e3b4a5', threadId: '18c2a0f1d2e3b4a5' }, provider: 'outlook', account: 'eve@attacker.example',
    prefill: { to: 'eve@attacker.example', text: 'I authorise the payment' } }, content);
  assert.equal(chrome.windows.opened.length, 1);
  const { url, type } = chrome.windows.opened[0];
  assert.equal(type, 'popup');
  const channel = url.split('#')[1];
  assert.match(url, /^chrome-extension:\/\/ext\/pages\/compose\.html#[0-9a-f]{32}$/);
  const win = { kind: 'page', page: 'compose.html', url, tabId: 41 };
  const got = await signingHandlers.composeDraft({ channel }, win);
  assert.equal(got.provider, 'gmail');
  assert.equal(got.account, 'a@example.com');
  assert.equal(got.threadId, '18c2a0f1d2e3b4a5');
  assert.equal(fetched.length, 1);
  assert.equal(fetched[0].url, 'https://mail.google.com/mail/u/1/?view=att&th=18c2a0f1d2e3b4a5&attid=0&disp=comp&safe=1&zw');
  assert.equal(got.prefill.to, 'eve@attacker.example', 'the reply goes where the raw message says, shown to the user');
  assert.equal(got.prefill.subject, 'Re: Grüße');
  assert.match(got.prefill.quoted, /Visible\n*I authorise the payment/, 'hidden text is quoted where the user sees it');
  assert.equal(got.prefill.inReplyTo, '<parent@x.example>');
  assert.deepEqual(got.prefill.references, ['<first@x.example>', '<parent@x.example>']);
  assert.equal(got.prefill.text, undefined, 'no text from the page');
  assert.deepEqual(got.prefill.original, { from: 'Boss <boss@bigcorp.example> <eve@attacker.example>', subject: 'Grüße', date: '' },
    'the window names the message it answers, as the core read it');
  // Only the window opened for the channel reads it: not the webmail tab, not another window.
  assert.equal(await signingHandlers.composeDraft({ channel }, { ...win, tabId: 4 }), null);
  assert.equal(await signingHandlers.composeDraft({ channel: crypto.randomUUID() }, win), null);
  // The original is read once.
  await signingHandlers.composeDraft({ channel }, win);
  assert.equal(fetched.length, 1);
  // A malformed reference opens a window for new mail.
  await signingHandlers.composeOpen({ reply: { messageId: '../../evil' } }, content);
  const second = await signingHandlers.composeDraft({ channel: chrome.windows.opened[1].url.split('#')[1] }, { ...win, tabId: 42 });
  assert.deepEqual(second.prefill, {});
  assert.equal(fetched.length, 1);
});

test("a compose window that asks for its channel before windows.create answered still gets it", async () => {
  chrome.windows.opened.length = 0;
  let answer;
  const create = chrome.windows.create;
  chrome.windows.create = function (o) { this.opened.push(o); return new Promise((r) => { answer = () => r({ id: 77, tabs: [{ id: 78 }] }); }); };
  try {
    const opened = signingHandlers.composeOpen({}, { kind: 'content', tabId: 4, provider: 'gmail', url: 'https://mail.google.com/mail/u/0/' });
    await new Promise((r) => setTimeout(r, 10));
    const channel = chrome.windows.opened[0].url.split('#')[1];
    const early = signingHandlers.composeDraft({ channel }, { kind: 'page', page: 'compose.html', tabId: 78 });
    answer();
    await opened;
    assert.equal((await early)?.provider, 'gmail');
  } finally {
    chrome.windows.create = create;
  }
});

test('a click sent again (the background was restarting) opens one window', async () => {
  chrome.windows.opened.length = 0;
  const content = { kind: 'content', tabId: 4, provider: 'gmail', url: 'https://mail.google.com/mail/u/0/' };
  const click = crypto.randomUUID();
  assert.deepEqual(await signingHandlers.composeOpen({ click }, content), { opened: true });
  assert.deepEqual(await signingHandlers.composeOpen({ click }, content), { opened: false });
  assert.equal(chrome.windows.opened.length, 1);
  await signingHandlers.composeOpen({ click: crypto.randomUUID() }, content);
  assert.equal(chrome.windows.opened.length, 2, 'another click, another window');
});

test('a compose window sends through its tab\'s provider, account and thread, with the threading read by the background', async () => {
  chrome.windows.opened.length = 0;
  globalThis.fetch = async () => new Response(original, { status: 200 });
  const content = { kind: 'content', tabId: 4, provider: 'gmail', url: 'https://mail.google.com/mail/u/0/#inbox' };
  await signingHandlers.composeOpen({ reply: { messageId: '18c2a0f1d2e3b4a5', threadId: '18c2a0f1d2e3b4a6' } }, content);
  const channel = chrome.windows.opened[0].url.split('#')[1];
  // Another window (or tab) cannot send under this channel.
  await assert.rejects(signingHandlers.signAndSend({ channel, provider: 'gmail', message: {} }, { kind: 'page', page: 'compose.html', tabId: 99 }), /refused/);
  // Once the user closes the window, its channel is gone.
  const { forgetWindow } = await import('../../extension/src/signing/compose-window.js');
  await forgetWindow(91);
  assert.equal(await signingHandlers.composeDraft({ channel }, { kind: 'page', page: 'compose.html', tabId: 41 }), null);
});

test('only its own window asks for the recipients\' certificates of a channel, or sends encrypted under it', async () => {
  chrome.windows.opened.length = 0;
  const content = { kind: 'content', tabId: 4, provider: 'gmail', url: 'https://mail.google.com/mail/u/0/#inbox' };
  await signingHandlers.composeOpen({}, content);
  const channel = chrome.windows.opened[0].url.split('#')[1];
  const other = { kind: 'page', page: 'compose.html', tabId: 99 };
  await assert.rejects(signingHandlers.recipientCertificates({ channel, addresses: ['bob@example.org'] }, other), /refused/);
  await assert.rejects(signingHandlers.signAndSend({ channel, provider: 'gmail', message: {}, encrypt: true, recipients: ['bob@example.org'] }, other), /refused/);
  // Its own window: a list that is not one, or too many files, is a bad argument, before the core.
  const own = { kind: 'page', page: 'compose.html', tabId: 41 };
  await assert.rejects(signingHandlers.recipientCertificates({ channel, addresses: 'bob@example.org' }, own), (err) => err.code === 'bad-argument');
  await assert.rejects(signingHandlers.recipientCertificates({ channel, addresses: [], files: Array(17).fill(new Uint8Array(1)) }, own), (err) => err.code === 'bad-argument');
  // Encrypted with Bcc: refused before anything is looked up, signed or sent, whatever the window says.
  let fetched = 0;
  globalThis.fetch = async () => { fetched++; return new Response('', { status: 500 }); };
  await assert.rejects(signingHandlers.signAndSend({ channel, provider: 'gmail', message: { to: 'bob@example.org', bcc: 'carol@example.org', text: 'x' }, encrypt: true, recipients: ['bob@example.org', 'carol@example.org'] }, own),
    (err) => err.code === 'refused' && /Bcc/.test(err.message));
  assert.equal(fetched, 0, 'nothing sent');
});

test('signing while locked says so, and nothing is sent', async () => {
  local.data.signingIdentity = { sealed: 'AAAA', summary: { addresses: ['a@example.com'] }, importedAt: 1 };
  const seen = answer(200);
  await assert.rejects(signingHandlers.signAndSend({ provider: 'gmail', message: { from: 'a@example.com', to: 'b@example.net', text: 'x' } },
    { kind: 'page', page: 'compose.html', url: 'chrome-extension://ext/pages/compose.html' }),
  (e) => e instanceof RequestError && e.code === 'locked' && /locked/.test(e.message));
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

test('a reply to a message opened in this session starts from its kept report: the original is not read again', async () => {
  chrome.windows.opened.length = 0;
  const fetched = [];
  globalThis.fetch = async (url, init) => coreResponse(url) ?? (fetched.push({ url, init }), new Response(original, { status: 200 }));
  // What the background kept when the content script of tab 4 (Gmail, u/1, titled with a@example.com) had it verified.
  session.data['r:gmail:a@example.com\n18c2a0f1d2e3b4a7'] = {
    report: { status: 'valid', header: { from: [{ address: 'Ann@Bank.example', displayName: 'Ann' }], subject: 'Statement', messageId: '<kept@bank.example>' } },
    text: { type: 'text/plain', text: 'Your statement is ready.', source: 'message' },
  };
  const content = { kind: 'content', tabId: 4, provider: 'gmail', url: 'https://mail.google.com/mail/u/1/#inbox/abc' };
  await signingHandlers.composeOpen({ reply: { messageId: '18c2a0f1d2e3b4a7', threadId: '' } }, content);
  const { url } = chrome.windows.opened[0];
  const got = await signingHandlers.composeDraft({ channel: url.split('#')[1] }, { kind: 'page', page: 'compose.html', url, tabId: 41 });
  assert.equal(fetched.length, 0, 'the original was read again');
  assert.deepEqual(got.prefill, { to: 'ann@bank.example', subject: 'Re: Statement', quoted: 'Your statement is ready.', inReplyTo: '<kept@bank.example>', references: ['<kept@bank.example>'],
    original: { from: 'Ann <Ann@Bank.example>', subject: 'Statement', date: '' } });
  // Kept without its text (too long to keep), the original is read and verified again.
  delete session.data['r:gmail:a@example.com\n18c2a0f1d2e3b4a7'].text;
  await signingHandlers.composeOpen({ reply: { messageId: '18c2a0f1d2e3b4a7', threadId: '' } }, content);
  const again = chrome.windows.opened[1].url;
  const read = await signingHandlers.composeDraft({ channel: again.split('#')[1] }, { kind: 'page', page: 'compose.html', url: again, tabId: 42 });
  assert.equal(fetched.length, 1);
  assert.equal(read.prefill.inReplyTo, '<parent@x.example>');
});
