// The protocol (extension/src/protocol.js) and the background's entry (worker.js): one error shape,
// a request name that is not a request (an Object.prototype name included) refused, and the
// background answering every failure as {error: {code, message}}.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aliasCore, area } from './browser-stub.mjs';

aliasCore();
globalThis.__BROWSER__ = 'chrome';
globalThis.__DEMO__ = false;
let listener = null;
let connected = null;
const event = () => ({ addListener() {} });
globalThis.chrome = {
  runtime: {
    id: 'ext', getURL: (p) => `chrome-extension://ext/${p}`,
    onMessage: { addListener(fn) { listener = fn; } }, onInstalled: event(), onStartup: event(),
    onConnect: { addListener(fn) { connected = fn; } },
  },
  storage: { managed: { get: async () => ({}) }, onChanged: event(), local: area(), session: area() },
  tabs: { onRemoved: event() },
  windows: { onRemoved: event() },
  action: { setBadgeText: async () => {}, setBadgeBackgroundColor: async () => {}, setTitle: async () => {} },
  i18n: { getMessage: () => '' },
};
const { RequestError, errorOf, mayCall, requests } = await import('../../extension/src/protocol.js');
await import('../../extension/src/worker.js');
const { messageSummary } = await import('../../extension/src/background/handlers.js');

function ask(message, sender) {
  return new Promise((resolve) => { assert.equal(listener(message, { id: 'ext', ...sender }, resolve), true); });
}
const options = { url: 'chrome-extension://ext/pages/options.html', tab: { id: 3 }, frameId: 0 };
const content = { url: 'https://mail.google.com/mail/u/0/', tab: { id: 3 }, frameId: 0 };

test('errors cross as {code, message}: a RequestError keeps its code, anything else is "failed"', () => {
  assert.deepEqual(errorOf(new RequestError('locked', 'Unlock first.')), { code: 'locked', message: 'Unlock first.' });
  assert.deepEqual(errorOf(new TypeError('x is undefined')), { code: 'failed', message: 'x is undefined' });
  assert.deepEqual(errorOf('plain'), { code: 'failed', message: 'plain' });
});

test('only names the protocol lists are requests; a name from Object.prototype is none', () => {
  assert.equal(mayCall('stats', 'options.html'), true);
  assert.equal(mayCall('stats', 'content'), false);
  for (const name of ['toString', 'constructor', '__proto__', 'hasOwnProperty', '']) assert.equal(mayCall(name, 'options.html'), false, name);
  assert.ok(Object.isFrozen(requests));
});

test('the background refuses an unknown request and a caller outside the list, as {error: {code: refused}}', async () => {
  assert.deepEqual((await ask({ request: 'toString' }, options)).error.code, 'refused');
  assert.deepEqual((await ask({ request: 'stats' }, content)).error.code, 'refused');
  assert.deepEqual((await ask({ request: 'stats' }, { url: 'https://evil.example/', tab: { id: 3 }, frameId: 0 })).error.code, 'refused');
});

test('a bad argument is refused in words, and an allowed request is answered with its result', async () => {
  const bad = await ask({ request: 'lookup', args: { account: 7, messageId: 'x' } }, content);
  assert.deepEqual(bad.error, { code: 'bad-argument', message: 'request: bad argument' });
  const stats = await ask({ request: 'stats' }, options);
  assert.equal(typeof stats.result.bootedAt, 'number');
});

test('the background keeps a keep port of its content script, and closes any other at once', async () => {
  const port = (name, sender) => {
    const p = { name, sender: { id: 'ext', ...sender }, closed: false, disconnect() { p.closed = true; } };
    p.onMessage = { addListener(f) { p.message = f; } };
    p.onDisconnect = { addListener() {} };
    return p;
  };
  const ours = port('mailseal-keep', content);
  const page = port('mailseal-keep', options);
  const web = port('mailseal-keep', { url: 'https://evil.example/', tab: { id: 3 }, frameId: 0 });
  const named = port('other', content);
  for (const p of [ours, page, web, named]) connected(p);
  await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual([ours, page, web, named].map((p) => p.closed), [false, true, true, true]);
  ours.message({ request: 'stats' }); // only counted: nothing answers on the port
  assert.equal(ours.closed, false);
});

test('a banner names its message by what the core read from its header: every From mailbox, subject, date', () => {
  const report = { status: 'valid', header: { from: [{ address: 'boss@bigcorp.example', displayName: 'Boss' }, { address: 'eve@attacker.example' }], subject: 'Pay now', date: 'Tue, 1 Dec 2026 10:00:00 +0000' } };
  assert.deepEqual(messageSummary(report), { from: 'Boss <boss@bigcorp.example>, eve@attacker.example', subject: 'Pay now', date: 'Tue, 1 Dec 2026 10:00:00 +0000' });
  assert.deepEqual(messageSummary({ status: 'unsigned', header: {} }), { from: '', subject: '', date: '' });
  assert.equal(messageSummary({ status: 'unavailable' }), null);
});

test('Outlook\'s cross-check: the shown sender must be in the From field the core read, display name included', async () => {
  const { sentBy } = await import('../../extension/src/background/handlers.js');
  const trick = { status: 'valid', header: { from: [{ address: 'eve@attacker.example', displayName: 'Boss <boss@bigcorp.example>' }] } };
  assert.equal(sentBy(trick, 'eve@attacker.example'), true);
  assert.equal(sentBy(trick, 'boss@bigcorp.example'), true, 'OWA may show the address of the display name');
  assert.equal(sentBy(trick, 'carol@example.org'), false, 'a neighbouring message');
  assert.equal(sentBy({ status: 'valid', header: {} }, 'carol@example.org'), false);
  assert.equal(sentBy({ status: 'malformed' }, 'carol@example.org'), true, 'a header the core could not read names no sender');
  assert.equal(sentBy({ status: 'valid' }, 'carol@example.org'), false);
});
