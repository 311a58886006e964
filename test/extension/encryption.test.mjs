// Encrypted sending in the extension: the compose window's parts (pages/encryption.js: when
// Encrypt is available, what a recipient's chip and the last step say, in both languages) and the
// background's lookup of recipients' certificates (src/recipients.js) with the real core: a
// correspondent whose signed mail was opened is found in the sender memory, an address never seen
// is named with the reason, an imported file is validated like the memory's, and encrypted
// sending refuses when any recipient lacks a usable certificate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { register } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = join(import.meta.dirname, '..', '..');
const wasm = join(root, 'dist', 'wasm');
const loader = pathToFileURL(join(wasm, 'loader.js')).href;
register(`data:text/javascript,${encodeURIComponent(`export async function resolve(s, c, next) {
  return s === 'mailseal-core' ? { url: ${JSON.stringify(loader)}, shortCircuit: true } : next(s, c);
}`)}`);

const { locales, useLocale } = await import('./i18n-stub.mjs');
const stored = new Map();
const area = {
  get: async (k) => {
    const keys = k === null ? [...stored.keys()] : Array.isArray(k) ? k : [k];
    return Object.fromEntries(keys.filter((x) => stored.has(x)).map((x) => [x, structuredClone(stored.get(x))]));
  },
  set: async (o) => { for (const [k, v] of Object.entries(o)) stored.set(k, structuredClone(v)); },
  remove: async () => {},
};
const fixtureRoot = join(root, 'testdata', 'vectors', 'root.pem');
const managed = existsSync(fixtureRoot) ? { roots: [readFileSync(fixtureRoot, 'utf8')] } : {};
Object.assign(globalThis.chrome, {
  runtime: { ...globalThis.chrome.runtime, getURL: (p) => (p === 'core.wasm' ? pathToFileURL(join(wasm, 'core.wasm')).href : `chrome-extension://ext/${p}`) },
  storage: { managed: { get: async () => managed }, onChanged: { addListener() {} }, local: area, session: area },
});
const realFetch = globalThis.fetch;
globalThis.fetch = async (url, ...rest) => (String(url).startsWith('file:')
  ? new Response(readFileSync(new URL(url)), { headers: { 'content-type': 'application/wasm' } })
  : realFetch(url, ...rest));

const encryption = await import('../../extension/src/pages/encryption.js');
const { RecipientField } = await import('../../extension/src/pages/recipients.js');
const { el, t } = await import('../../extension/src/view/dom.js');

const usable = (address, level = 'V4', shown = 'Bob Jones, Example Bank Ltd (GB)') => ({ address, usable: true, source: 'memory', level, shown, why: null, reason: '' });
const lacking = (address, code, args = []) => ({ address, usable: false, source: '', level: '', shown: '', why: { code, args }, reason: `english of ${code}` });

test('Encrypt is available only when every recipient has a usable certificate', () => {
  const found = new Map([['bob@bank.example', usable('bob@bank.example')], ['ann@example.org', usable('ann@example.org', 'V1', 'ann@example.org')]]);
  assert.deepEqual(encryption.encryptionState(['bob@bank.example', 'ann@example.org'], found), { available: true, pending: false, missing: [], bcc: false, ownRefused: false });
  const ownRefused = encryption.encryptionState(['bob@bank.example', 'ann@example.org'], found, false, false);
  assert.equal(ownRefused.available, false, 'the sender could not read the sent copy: said before Send, not at it');
  assert.equal(ownRefused.ownRefused, true);
  const withBcc = encryption.encryptionState(['bob@bank.example', 'ann@example.org'], found, true);
  assert.equal(withBcc.available, false, 'a Bcc recipient would be named to To and Cc by the envelope');
  assert.equal(withBcc.bcc, true);
  assert.equal(encryption.encryptionState([], found).available, false, 'no recipients');
  const pending = encryption.encryptionState(['bob@bank.example', 'new@example.org'], found);
  assert.equal(pending.available, false, 'a recipient not looked up yet');
  assert.equal(pending.pending, true);
  found.set('eve@example.org', lacking('eve@example.org', 'recipient_not_seen'));
  const state = encryption.encryptionState(['bob@bank.example', 'eve@example.org'], found);
  assert.equal(state.available, false);
  assert.deepEqual(state.missing.map((r) => r.address), ['eve@example.org']);
});

test('addressesOf takes each valid address of To, Cc and Bcc once, in lowercase', () => {
  const r = (address, valid = true) => ({ text: address, address, valid });
  assert.deepEqual(encryption.addressesOf([[r('Bob@Bank.example'), r('nonsense', false)], [r('bob@bank.example')], [r('eve@example.org')]]),
    ['bob@bank.example', 'eve@example.org']);
});

test('a chip shows what the CA validated; the reasons and the last step are said in both languages', () => {
  for (const lang of ['en', 'zh_CN']) {
    useLocale(lang);
    assert.equal(encryption.badge(usable('bob@bank.example'), t), 'V4 · Bob Jones, Example Bank Ltd (GB)');
    assert.equal(encryption.badge(usable('ann@example.org', 'V1', 'ann@example.org'), t), locales[lang].composeRecipientV1.message);
    assert.equal(encryption.badge(lacking('eve@example.org', 'recipient_not_seen'), t), '', 'no certificate, no level');
    const reason = encryption.reasonOf(lacking('eve@example.org', 'recipient_not_seen'));
    assert.equal(reason, locales[lang].s_recipient_not_seen.message);
    const other = encryption.reasonOf(lacking('eve@example.org', 'recipient_other_address', ['mallory@example.org']));
    assert.ok(other.includes('mallory@example.org') && other !== 'english of recipient_other_address', other);
    assert.equal(encryption.confirmation(true, 3, t), locales[lang].composeEncryptedTo.message.replace('$1', '3'));
    assert.equal(encryption.confirmation(false, 3, t), locales[lang].composeNotEncrypted.message);
  }
  useLocale('en');
  assert.equal(encryption.confirmation(true, 2, t), 'Encrypted to 2 recipients and you');
  assert.equal(encryption.confirmation(true, 1, t), 'Encrypted to 1 recipient and you');
  assert.equal(encryption.fileNote('bob.cer', { addresses: ['Bob@bank.example'], why: null, reason: '' }, ['bob@bank.example'], t), 'bob.cer: a certificate for Bob@bank.example');
  assert.equal(encryption.fileNote('x.pem', { addresses: ['carol@example.org'], why: null, reason: '' }, ['bob@bank.example'], t), 'x.pem: its certificate is for carol@example.org, who is not a recipient');
  assert.match(encryption.fileNote('x.txt', { addresses: [], why: { code: 'recipient_file_unreadable', args: ['no certificate found'] }, reason: '' }, [], t), /^x\.txt: the file holds no certificate mailseal can read: no certificate found$/);
});

test('a recipient chip carries the badge of its certificate, as text', () => {
  const { document } = globalThis;
  const input = document.createElement('input');
  document.body.append(input);
  const found = new Map();
  const field = new RecipientField(input, { el, t, onchange() {}, badge: (a) => encryption.badge(found.get(a.toLowerCase()), t) });
  field.value = 'Bob <bob@bank.example>, <b>x</b>@evil';
  assert.equal(document.querySelectorAll('.chip-cert').length, 0, 'nothing known yet');
  found.set('bob@bank.example', usable('bob@bank.example', 'V3', '<img src=x onerror=alert(1)> Ltd'));
  field.redraw();
  const certs = [...document.querySelectorAll('.chip-cert')];
  assert.equal(certs.length, 1, 'only the valid chip with a usable certificate');
  assert.equal(certs[0].textContent, 'V3 · <img src=x onerror=alert(1)> Ltd');
  assert.equal(document.querySelectorAll('.chip img').length, 0, 'a certificate\'s words are text');
  input.remove();
  for (const c of document.querySelectorAll('.chips')) c.remove();
});

// --- the background, with the real core ---

const ready = existsSync(join(wasm, 'core.wasm')) && existsSync(fixtureRoot);
const account = 'gmail:demo@mailseal.test';

function p12(email) {
  const dir = mkdtempSync(join(tmpdir(), 'mailseal-encryption-'));
  execFileSync('go', ['run', './test/e2e/p12', '-email', email, '-password', 'pw', '-out', dir], { cwd: root, stdio: 'pipe' });
  return readFileSync(join(dir, 'identity.p12'));
}

/** certificateOf is the PEM of a PKCS #12 file's own certificate, as a user would export it. */
function certificateOf(file) {
  return execFileSync('openssl', ['pkcs12', '-nokeys', '-clcerts', '-passin', 'pass:pw'], { input: file });
}

test('recipients come from the sender memory or a validated file, and encrypted sending names who lacks one', { skip: !ready && 'make wasm and make testdata first' }, async () => {
  const { core } = await import('../../extension/src/core.js');
  const memory = await import('../../extension/src/background/memory.js');
  const recipients = await import('../../extension/src/recipients.js');
  const c = await core();
  const roots = managed.roots;
  // Bob writes signed mail to the demo account, which the user opens: the memory learns him.
  const bob = await c.sealIdentity(p12('bob@bank.example'), 'pw', 'bob passphrase is long enough', { roots });
  const bobSession = await c.unlockIdentity(bob.sealed, 'bob passphrase is long enough', { lockAt: new Date(Date.now() + 60_000) });
  const { raw } = await c.sign({ session: bobSession.session, sessionKey: bobSession.sessionKey }, { from: 'bob@bank.example', to: 'demo@mailseal.test', subject: 'hello', text: 'hi' });
  const opened = await memory.verifyOption(account, { opened: true, incognito: false, message: 'm1' });
  const report = await c.verify(raw, { roots, memory: opened });
  assert.equal(report.status, 'valid');
  assert.ok(report.memoryChanged, 'the memory learnt bob');

  const found = recipients.shownRecipients(await recipients.findRecipients(account, recipients.addressList(['Bob@bank.example', 'nobody@example.org']), []));
  assert.deepEqual(found.recipients.map((r) => [r.address, r.usable, r.source, r.level]), [['bob@bank.example', true, 'memory', 'V4'], ['nobody@example.org', false, '', '']]);
  assert.equal(found.recipients[1].why.code, 'recipient_not_seen');
  assert.ok(found.recipients.every((r) => !('certificate' in r) && !('chain' in r)), 'the page is not handed certificates');

  // Another webmail account's memory does not know bob.
  const elsewhere = await recipients.findRecipients('gmail:other@mailseal.test', ['bob@bank.example'], []);
  assert.equal(elsewhere.recipients[0].usable, false);

  // A file the user picked is validated like the memory's: Carol's own certificate is usable, a
  // CA's is no recipient's, text is no certificate.
  const rootFile = new TextEncoder().encode(roots[0]);
  const carol = new Uint8Array(certificateOf(p12('carol@example.org')));
  const withFile = await recipients.findRecipients(account, ['carol@example.org', 'dan@example.org'],
    recipients.certificateFiles([carol, rootFile, new TextEncoder().encode('hello')]));
  assert.deepEqual(withFile.recipients.map((r) => [r.usable, r.source, r.level ?? '']), [[true, 'file', 'V4'], [false, '', '']]);
  assert.deepEqual(withFile.files.map((f) => f.addresses), [['carol@example.org'], [], []]);
  assert.equal(withFile.files[2].why.code, 'recipient_file_unreadable');

  await assert.rejects(recipients.encryptionRecipients(account, ['bob@bank.example', 'nobody@example.org'], []),
    (err) => err.code === 'refused' && err.message.includes('nobody@example.org') && !err.message.includes('bob@bank.example ('));
  const list = await recipients.encryptionRecipients(account, ['bob@bank.example'], []);
  assert.equal(list.length, 1);
  assert.ok(list[0].certificate instanceof Uint8Array);
  assert.throws(() => recipients.addressList('bob@bank.example'), /bad addresses/);
  assert.throws(() => recipients.certificateFiles(Array(17).fill(rootFile)), /bad certificate files/);
});
