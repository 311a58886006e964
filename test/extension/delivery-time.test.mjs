// The background gives the core the time the provider says a message arrived: an
// Outlook message without a Received field of its own is judged at Graph's receivedDateTime,
// not at the present. And an identity sealed at the old scrypt cost is stored again, resealed
// at today's, after an unlock. The core is the real one (dist/wasm, `make wasm`), fetched by
// the background from a stub of fetch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aliasCore, area } from './browser-stub.mjs';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const wasm = join(root, 'dist', 'wasm', 'core.wasm');
const skip = !existsSync(wasm) && 'make wasm first';
aliasCore();

const rootPEM = readFileSync(join(root, 'testdata', 'vectors', 'root.pem'), 'utf8');
const session = area({ graphToken: { accessToken: 'graph-token', expiresAt: Date.now() + 3600_000 } });
const local = area();
globalThis.__BROWSER__ = 'chrome';
globalThis.__DEMO__ = false;
globalThis.chrome = {
  runtime: { id: 'ext', getURL: (p) => `chrome-extension://ext/${p}`, onStartup: { addListener() {} } },
  storage: {
    managed: { get: async () => ({ roots: [rootPEM], outlookClientId: '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b' }) },
    onChanged: { addListener() {} }, local, session, sync: area(),
  },
  identity: { getRedirectURL: () => 'https://ext.chromiumapp.org/', launchWebAuthFlow: async () => { throw new Error('no sign-in in tests'); } },
  i18n: { getMessage: (name) => name },
  action: { setBadgeText: async () => {}, setBadgeBackgroundColor: async () => {}, setTitle: async () => {} },
};

// The vector's message: no Received field, signed by a certificate valid from 2025-04-27 to
// 2026-04-27 with a signingTime of 2026-04-02; read today, long after it expired.
const raw = readFileSync(join(root, 'testdata', 'vectors', 'expired-no-received-old-signing-time.eml'));

let receivedDateTime = null; // what Graph says, or null for a Graph that does not answer
globalThis.fetch = async (url) => {
  url = String(url);
  if (url === 'chrome-extension://ext/core.wasm') return new Response(readFileSync(wasm), { headers: { 'content-type': 'application/wasm' } });
  if (url.endsWith('/me/translateExchangeIds')) return Response.json({ value: [{ targetId: `msg-${receivedDateTime}` }] });
  if (url.endsWith('/$value')) return new Response(raw);
  if (url.includes('$select=receivedDateTime')) {
    return receivedDateTime ? Response.json({ receivedDateTime }) : new Response('', { status: 503 });
  }
  return new Response('', { status: 404 });
};

test('an Outlook message without Received is judged at Graph\'s receivedDateTime', { skip }, async () => {
  const { handlers } = await import('../../extension/src/background/handlers.js');
  const caller = { tabId: 1 };
  const verify = (itemId) => handlers.verifyOutlook({ account: 'outlook:outlook.office.com', locator: { itemId } }, caller);

  receivedDateTime = '2026-04-02T01:00:00Z';
  const atDelivery = await verify('AAMk-delivered');
  assert.equal(atDelivery.view.status, 'valid', 'valid when Exchange received it');

  receivedDateTime = null;
  const atPresent = await verify('AAMk-no-time');
  assert.equal(atPresent.view.status, 'expired', 'without the provider\'s time, the present decides');
});

test('an identity sealed at the old scrypt cost is stored resealed after an unlock', { skip }, async () => {
  const { unlock, storedIdentity } = await import('../../extension/src/signing/identity.js');
  const { toBase64, fromBase64 } = await import('../../extension/src/bytes.js');
  const old = readFileSync(join(root, 'internal', 'keys', 'testdata', 'sealed-n15.bin'));
  local.data.signingIdentity = { sealed: toBase64(old), summary: { email: 'a@example.com' }, importedAt: 1 };
  await unlock('correct horse battery staple');
  const stored = await storedIdentity();
  const sealed = fromBase64(stored.sealed);
  assert.equal(sealed[10], 17, 'log2 N of the stored identity');
  assert.deepEqual(stored.summary, { email: 'a@example.com' });
  assert.equal(stored.importedAt, 1);
  await unlock('correct horse battery staple'); // opens at today's cost, nothing to store again
  assert.equal((await storedIdentity()).sealed, stored.sealed);
});
