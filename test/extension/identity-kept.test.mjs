// The identity page's list of identities kept to decrypt (extension/src/pages/identity-kept.js):
// each says what it can do, in the reader's language; removing one asks first and sends nothing
// when the user says no.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useLocale } from './i18n-stub.mjs';

const sent = [];
const kept = [{
  importedAt: 1, why: 'renewed',
  summary: { addresses: ['old@example.com'], issuer: 'CN=Old CA', notBefore: '2025-01-01T00:00:00Z', notAfter: '2026-01-01T00:00:00Z',
    fingerprint: 'a'.repeat(64), canSign: false, signReason: 'This certificate expired on 1 January 2026; renew it with your certificate authority.', canDecrypt: true },
}, {
  importedAt: 2, why: 'replaced',
  summary: { addresses: ['other@example.com'], issuer: 'CN=Old CA', notBefore: '2025-01-01T00:00:00Z', notAfter: '2027-01-01T00:00:00Z',
    fingerprint: 'b'.repeat(64), canSign: false, signReason: '', canDecrypt: true },
}];
chrome.runtime.sendMessage = async ({ request, args }) => {
  sent.push({ request, args });
  if (request === 'identityKeptList') return { result: kept };
  if (request === 'identityKeptRemove') return { result: true };
  return { error: { code: 'refused', message: 'no' } };
};
document.body.innerHTML = '<p id="kept-none"></p><ul id="kept-list"></ul>';
const { abilities, refreshKept } = await import('../../extension/src/pages/identity-kept.js');

test('each kept identity says it decrypts and never signs, and why it cannot sign', async () => {
  await refreshKept();
  const item = document.querySelector('#kept-list li');
  assert.equal(item.dataset.fingerprint, 'a'.repeat(64));
  assert.match(item.textContent, /old@example\.com/);
  assert.match(item.textContent, /kept when renewed/);
  // Another identity imported in its place is not called a renewal.
  const other = document.querySelectorAll('#kept-list li')[1];
  assert.match(other.textContent, /kept when another identity replaced it/);
  assert.doesNotMatch(other.textContent, /renewed/);
  assert.equal(item.querySelector('.abilities').textContent,
    'Decrypts mail encrypted to it. Never used to sign. This certificate expired on 1 January 2026; renew it with your certificate authority.');
  assert.equal(document.getElementById('kept-none').hidden, true);
  useLocale('zh_CN');
  assert.match(abilities(kept[0].summary), /^可解密加密给它的邮件。 ?从不用于签名。/);
  useLocale('en');
});

test('removing one asks first; no is no', async () => {
  await refreshKept();
  const asked = [];
  globalThis.confirm = (q) => { asked.push(q); return false; };
  sent.length = 0;
  document.querySelector('#kept-list li button').dispatchEvent(new document.defaultView.Event('click'));
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(asked.length, 1);
  assert.match(asked[0], /old@example\.com.*no longer open/);
  assert.ok(!sent.some((s) => s.request === 'identityKeptRemove'), 'removed without a yes');
  globalThis.confirm = () => true;
  document.querySelector('#kept-list li button').dispatchEvent(new document.defaultView.Event('click'));
  await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(sent.find((s) => s.request === 'identityKeptRemove')?.args, { fingerprint: 'a'.repeat(64) });
});
