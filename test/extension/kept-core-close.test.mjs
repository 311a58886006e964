// Chrome's kept core closes after its quiet period (kept-core/host.js). A verify that meets the
// close (its sender memory was loaded into the core that is closing) must get the next kept core,
// with the memory loaded again there, not fail: core.js acrossClose, around the background's
// verify (background/handlers.js). Here the background's side (client.js) talks over real
// MessageChannels to real hosts serving the real core (dist/wasm), one host per offscreen
// document, a new document after each close.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { aliasCore, area } from './browser-stub.mjs';

aliasCore();

const root = new URL('../../', import.meta.url).pathname;
const wasm = join(root, 'dist', 'wasm');
const { loadCore } = await import(pathToFileURL(join(wasm, 'loader.js')).href);
const { keeper } = await import('../../extension/src/kept-core/host.js');
const module = readFileSync(join(wasm, 'core.wasm'));

globalThis.__BROWSER__ = 'chrome';
globalThis.__DEMO__ = false;
globalThis.chrome = {
  runtime: { id: 'ext', getURL: (p) => `chrome-extension://ext/${p}`, onStartup: { addListener() {} } },
  storage: { managed: { get: async () => ({}) }, onChanged: { addListener() {} }, local: area(), session: area(), sync: area() },
  i18n: { getMessage: (name) => name, getUILanguage: () => 'en' },
  action: { setBadgeText: async () => {}, setBadgeBackgroundColor: async () => {}, setTitle: async () => {} },
  offscreen: { createDocument: async () => { current = offscreenDocument(); } },
};

// offscreenDocument is one kept core: a host over its own core, whose quiet timer runs only
// when the test says (close()), and which then goes away as the real document closes itself.
const ports = []; // closed at the end: an open port keeps node running
let current = null;
let documents = 0;
function offscreenDocument() {
  documents++;
  let quiet = null;
  const calls = [];
  let core = null;
  const host = keeper({
    loader: {
      stats: {},
      core: async () => (core ??= await loadCore(module)),
      verify: async (raw, o) => (await (core ??= await loadCore(module))).verify(raw, o),
    },
    onQuiet: () => { if (current === doc) current = null; },
    timers: { set: (f) => { quiet = f; return f; }, clear: (t) => { if (quiet === t) quiet = null; } },
  });
  const doc = {
    calls,
    close: () => quiet?.(),
    client: {
      url: 'chrome-extension://ext/pages/kept-core.html',
      postMessage(data, [port]) {
        if (!data?.connect) return;
        ports.push(port);
        host.connect(port);
        port.addEventListener('message', (e) => calls.push(e.data?.method));
      },
    },
  };
  return doc;
}
globalThis.clients = { matchAll: async () => (current ? [current.client] : []) };

const { handlers } = await import('../../extension/src/background/handlers.js');
const { packBytes } = await import('../../extension/src/bytes.js');
const { acrossClose } = await import('../../extension/src/core.js');

const account = 'gmail:reader@mailseal.test';
const caller = { tabId: 7, incognito: false, frameId: 0 };
const message = (n) => packBytes(new TextEncoder().encode(`From: Bank <news@bank.example>\r\nTo: <reader@mailseal.test>\r\nSubject: n${n}\r\nMessage-ID: <n${n}@bank.example>\r\nDate: Mon, 01 Jun 2026 09:00:00 +0000\r\n\r\nhello ${n}\r\n`));

test('a verify that meets the kept core closing gets the next one, with the sender memory loaded again', async () => {
  const first = await handlers.verify({ account, messageId: 'm1', raw: message(1) }, caller);
  assert.equal(first.view.status, 'unsigned');
  const a = current;
  assert.equal(documents, 1);
  assert.ok(a.calls.includes('memoryLoad') && a.calls.includes('verify'), `the kept core verified with the memory: ${a.calls}`);
  // The quiet period ends just as the next message is verified: its memory is loaded in the
  // closing core already, so its verify goes there and is answered "closing".
  a.close();
  const second = await handlers.verify({ account, messageId: 'm2', raw: message(2) }, caller);
  assert.equal(second.view.status, 'unsigned', 'verified, not failed');
  assert.equal(documents, 2, 'in a new kept core');
  const b = current;
  assert.ok(b.calls.includes('memoryLoad'), `the memory was loaded again in the new core: ${b.calls}`);
  assert.ok(b.calls.indexOf('memoryLoad') < b.calls.lastIndexOf('verify'));
});
after(() => { for (const p of ports) p.close(); });

test('acrossClose tries again only when the kept core closed under the call, and at most as often as told', async () => {
  const closing = Object.assign(new Error('kept core: closing'), { code: 'ERR_CLOSING' });
  const noMemory = Object.assign(new Error('no memory loaded for this account (memoryLoad first)'), { code: 'ERR_BAD_ARGUMENT' });
  const runs = (errors) => { let n = 0; const f = async () => { const e = errors[n++]; if (e) throw e; return n; }; return f; };
  assert.equal(await acrossClose(runs([closing, noMemory]), 4, 1), 3);
  await assert.rejects(acrossClose(runs([closing, closing, closing, closing, null]), 4, 1), /closing/);
  const other = new Error('malformed message');
  let n = 0;
  await assert.rejects(acrossClose(async () => { n++; throw other; }, 4, 1), /malformed/);
  assert.equal(n, 1, 'any other error is not tried again');
});
