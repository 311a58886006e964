// Red team: in Chrome the sender memory lives in the kept core (kept-core/), and the compose
// window's recipientCertificates asks the core that holds the memory (recipients.js: ready()).
// The kept core answers only its list of methods, so every method the background calls on the
// reading core must be on that list: otherwise Encrypt is never offered in Chrome
// ("c.recipientCertificates is not a function"), whatever the memory knows.
//
// The background's side (client.js) here talks over a real MessageChannel to the real host
// (host.js) serving the real core (dist/wasm), as the offscreen document's worker does.
import { test } from 'node:test';
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

globalThis.__BROWSER__ = 'chrome';
globalThis.__DEMO__ = false;
globalThis.chrome = {
  runtime: { id: 'ext', getURL: (p) => `chrome-extension://ext/${p}`, onStartup: { addListener() {} } },
  storage: { managed: { get: async () => ({}) }, onChanged: { addListener() {} }, local: area(), session: area() },
  offscreen: { createDocument: async () => {} },
};

// The offscreen document: it hands each port to the host, which serves the real core.
let core = null;
const served = [];
const ports = []; // closed at the end: an open port keeps node running
const host = keeper({
  loader: { stats: {}, core: async () => (core ??= await loadCore(readFileSync(join(wasm, 'core.wasm')))), verify: async () => ({}) },
  onQuiet: () => {},
  // The quiet period's timer (4 minutes) must not keep node running after the test.
  timers: { set: (f, ms) => setTimeout(f, ms).unref(), clear: (t) => clearTimeout(t) },
});
const documentClient = {
  url: 'chrome-extension://ext/pages/kept-core.html',
  postMessage(data, [port]) {
    if (!data?.connect) return;
    const onmessage = (e) => { served.push(e.data?.method); };
    ports.push(port);
    host.connect(port);
    port.addEventListener('message', onmessage);
  },
};
globalThis.clients = { matchAll: async () => [documentClient] };

test('the compose window\'s recipient lookup works when the memory is in the kept core (Chrome)', async () => {
  const { readingCore } = await import('../../extension/src/core.js');
  const reading = await readingCore();
  assert.equal(typeof reading.prepare, 'function', 'the reading core is the kept one');
  const { findRecipients } = await import('../../extension/src/recipients.js');
  const found = await findRecipients('gmail:demo@mailseal.test', ['bob@bank.example'], []);
  assert.deepEqual(found.recipients.map((r) => [r.address, r.usable]), [['bob@bank.example', false]]);
  assert.ok(served.includes('recipientCertificates'), `the kept core was asked: ${served.join(', ')}`);
  for (const p of ports) p.close();
});
