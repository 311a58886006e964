// The sender memory in the extension: its warnings on the banner (view/memory-warnings.js,
// view/verdict.js) and the background's side (background/memory.js) with the real core: learning
// only from opened mail outside incognito, a bad import changing nothing, and storage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { register } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const loader = pathToFileURL(join(import.meta.dirname, '..', '..', 'dist', 'wasm', 'loader.js')).href;
register(`data:text/javascript,${encodeURIComponent(`export async function resolve(s, c, next) {
  return s === 'mailseal-core' ? { url: ${JSON.stringify(loader)}, shortCircuit: true } : next(s, c);
}`)}`);

const en = JSON.parse(readFileSync(new URL('../../extension/_locales/en/messages.json', import.meta.url), 'utf8'));
const zh = JSON.parse(readFileSync(new URL('../../extension/_locales/zh_CN/messages.json', import.meta.url), 'utf8'));
const stored = new Map();
const local = {
  get: async (k) => {
    const keys = k === null ? [...stored.keys()] : Array.isArray(k) ? k : [k];
    return Object.fromEntries(keys.filter((x) => stored.has(x)).map((x) => [x, structuredClone(stored.get(x))]));
  },
  set: async (o) => { for (const [k, v] of Object.entries(o)) stored.set(k, structuredClone(v)); },
  remove: async () => {},
};
let managed = {};
const changeListeners = [];
globalThis.__BROWSER__ = 'chrome';
globalThis.__DEMO__ = false;
globalThis.chrome = {
  runtime: { id: 'ext', getURL: (p) => (p === 'core.wasm' ? pathToFileURL(join(import.meta.dirname, '..', '..', 'dist', 'wasm', 'core.wasm')).href : `chrome-extension://ext/${p}`) },
  i18n: { getUILanguage: () => 'en', getMessage: (key, subs = []) => en[key]?.message.replace(/\$(\d)/g, (_, n) => subs[Number(n) - 1] ?? '') ?? '' },
  storage: { managed: { get: async () => managed }, onChanged: { addListener: (f) => changeListeners.push(f) }, local, session: local },
};
// loadCore fetches core.wasm: Node's fetch does not read file: URLs.
const realFetch = globalThis.fetch;
globalThis.fetch = async (url, ...rest) => (String(url).startsWith('file:')
  ? new Response(readFileSync(new URL(url)), { headers: { 'content-type': 'application/wasm' } })
  : realFetch(url, ...rest));

const { viewOf, badgeOf } = await import('../../extension/src/view/verdict.js');
const { memoryItems } = await import('../../extension/src/view/memory-warnings.js');
const memory = await import('../../extension/src/background/memory.js');
const { core } = await import('../../extension/src/core.js');

const usually = { code: 'memory-usually-signs', severity: 'danger', args: ['Example Bank Ltd (GB)', '20', 'V3'], detail: 'Example Bank Ltd (GB) signed its previous 20 messages at V3; this one is not signed' };
const domain = { code: 'memory-domain-usually-signs', severity: 'caution', args: ['example-bank.example', '2', 'V3'], detail: '…' };
const otherCA = { code: 'memory-other-ca', severity: 'note', args: ['a@b.example', 'CA 1', 'CA 2'], detail: '…' };

test('a memory warning turns the quiet chip into a banner, and a valid verdict into "Check the sender"', () => {
  assert.deepEqual(viewOf({ status: 'unsigned' }), { status: 'unsigned', severity: 'none', word: 'severity_none', kind: 'chip' });
  assert.deepEqual(viewOf({ status: 'unsigned', memoryWarnings: [usually] }), { status: 'unsigned', severity: 'danger', word: 'severity_displayName', kind: 'banner' });
  assert.deepEqual(viewOf({ status: 'unsigned', memoryWarnings: [domain] }), { status: 'unsigned', severity: 'caution', word: 'severity_caution', kind: 'banner' });
  assert.equal(viewOf({ status: 'valid', level: 'V1', memoryWarnings: [{ ...usually, code: 'memory-lookalike-edit' }] }).severity, 'danger');
  assert.equal(viewOf({ status: 'valid', level: 'V3', memoryWarnings: [otherCA] }).severity, 'trusted', 'a note is a line, not a look');
  assert.equal(viewOf({ status: 'invalid', memoryWarnings: [domain] }).severity, 'danger', 'caution never softens a danger');
  assert.equal(badgeOf({ status: 'valid', level: 'V3', memoryWarnings: [usually] }).text, '!');
  assert.equal(badgeOf({ status: 'unsigned', memoryWarnings: [domain] }).text, '!');
  // Junk from a future or broken core is left out, not shown.
  assert.equal(viewOf({ status: 'unsigned', memoryWarnings: [{ code: 1 }, 'x', null, { code: 'memory-x', severity: 'panic', args: [] }] }).kind, 'chip');
});

test('each memory warning has its sentence in en and zh_CN; an unknown code shows the core\'s English', () => {
  const items = memoryItems({ memoryWarnings: [usually, { code: 'memory-new-thing', severity: 'note', args: [], detail: 'the core says why' }] }, (k) => k in en);
  assert.deepEqual(items, [['memory_usually_signs', 'Example Bank Ltd (GB)', '20', 'V3'], [null, 'the core says why']]);
  assert.equal(chrome.i18n.getMessage(items[0][0], items[0].slice(1)), usually.detail);
  for (const key of Object.keys(en).filter((k) => k.startsWith('memory_'))) assert.ok(zh[key]?.message, `zh_CN lacks ${key}`);
});

const raw = readFileSync(new URL('../../testdata/openssl/detached-sha256-p256-sponsor.eml', import.meta.url));
const root = readFileSync(new URL('../../testdata/openssl/root.pem', import.meta.url), 'utf8');
const now = '2026-11-28T14:20:42Z';
const account = 'gmail:you@example.com';

async function open(message, { incognito = false } = {}) {
  const option = await memory.verifyOption(account, { opened: true, incognito, message });
  const report = await (await core()).verify(raw, { now, roots: [root], memory: option });
  memory.learnt(account, report);
  return report;
}

test('the memory learns from opened mail outside incognito, once per message, and stores itself', async () => {
  assert.equal((await open('m1', { incognito: true })).memoryChanged, undefined, 'incognito teaches nothing');
  assert.equal((await open('m1')).memoryChanged, true);
  assert.equal((await open('m1')).memoryChanged, undefined, 'opened again: counted once');
  assert.equal((await open('m2')).memoryChanged, true);
  // Written at once, without waiting: a stopped worker or event page would lose a delayed write.
  // What is stored is the core's stored form; a fresh core reads it back.
  const storedCount = async () => {
    const text = stored.get(`memory:${account}`);
    if (!text) return 0;
    const fresh = await core();
    await fresh.memoryLoad('check:stored', new TextEncoder().encode(text), { now });
    return (await fresh.memoryList('check:stored'))[0]?.count ?? 0;
  };
  for (let i = 0; i < 50 && await storedCount() !== 2; i++) {
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.match(stored.get(`memory:${account}`), /^mailseal-memory-stored 1\n[A-Za-z0-9+/=]+$/);
  assert.equal(await storedCount(), 2);
  const file = JSON.parse(await memory.memoryHandlers.memoryExport({ account }));
  assert.equal(file.format, 'mailseal-memory', 'the export is the JSON file');
  assert.equal(file.mailboxes[0].address, 'erin.walsh@acme.example.com');
  assert.equal(file.mailboxes[0].count, 2);
  assert.deepEqual(stored.get('memoryAccounts'), [account]);
  const list = await memory.memoryHandlers.memoryList({ account });
  assert.equal(list[0].count, 2);
  assert.equal(list[0].certificate, undefined, 'the options page gets no certificates');
});

test('an account name from the page that is not one is refused, and verify goes on without the memory', async () => {
  assert.equal(await memory.verifyOption('not an account', { opened: true }), null);
  await assert.rejects(memory.memoryHandlers.memoryList({ account: '../x' }), /bad account/);
});

test('an import is checked whole: a bad file changes nothing; a good one replaces the memory', async () => {
  const before = stored.get(`memory:${account}`);
  const exported = await memory.memoryHandlers.memoryExport({ account });
  const bad = exported.replace('"level":"V4"', '"level":"V9"');
  await assert.rejects(memory.memoryHandlers.memoryImport({ account, text: bad }), /sender 1: level "V9"/);
  assert.equal(stored.get(`memory:${account}`), before);
  assert.equal((await memory.memoryHandlers.memoryList({ account })).length, 1);
  await memory.memoryHandlers.memoryEdit({ account, edit: { forgetAll: true } });
  assert.equal(JSON.parse(await memory.memoryHandlers.memoryExport({ account })).mailboxes.length, 0);
  assert.notEqual(stored.get(`memory:${account}`), before);
  assert.deepEqual(await memory.memoryHandlers.memoryImport({ account, text: exported }), { senders: 1 });
  assert.equal(stored.get(`memory:${account}`), before, 'an import is stored in the stored form');
  await assert.rejects(memory.memoryHandlers.memoryEdit({ account, edit: { pin: 'a', forget: 'b' } }), /bad edit/);
});

test('the administrator\'s expectations reach the core, and a policy change reloads them', async () => {
  managed = { senderExpectations: [{ domain: 'acme.example.com', level: 'V4' }, { domain: 'x.example', level: 'V9' }, 'junk'] };
  for (const f of changeListeners) f({}, 'managed');
  assert.deepEqual(await memory.expectations(), [{ domain: 'acme.example.com', level: 'V4' }]);
  const unsigned = new TextEncoder().encode('Received: from mx.example; Sat, 28 Nov 2026 14:00:00 +0000\r\n' +
    'From: payroll@acme.example.com\r\nTo: you@example.com\r\nSubject: s\r\nDate: Sat, 28 Nov 2026 14:00:00 +0000\r\n\r\nbody\r\n');
  const option = await memory.verifyOption(account, { opened: true, message: 'm9' });
  const report = await (await core()).verify(unsigned, { now, memory: option });
  assert.deepEqual(report.memoryWarnings.map((w) => w.code), ['memory-expected-signed']);
});

test('a JSON file stored by an earlier version loads, and is stored again in the stored form', async () => {
  const other = 'outlook:old@example.com';
  const json = await memory.memoryHandlers.memoryExport({ account });
  stored.set(`memory:${other}`, json);
  assert.equal((await memory.memoryHandlers.memoryList({ account: other })).length, 1);
  for (let i = 0; i < 50 && stored.get(`memory:${other}`) === json; i++) await new Promise((r) => setTimeout(r, 20));
  assert.match(stored.get(`memory:${other}`), /^mailseal-memory-stored 1\n/);
  const again = await (await core()).memoryLoad('check:migrated', new TextEncoder().encode(stored.get(`memory:${other}`)), { now });
  assert.deepEqual(again, { senders: 1 });
});
