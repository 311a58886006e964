// The display-name warnings of a report (internal/smime Warning), as the banner and the popup
// show them: a translated sentence, the signed address first, each quoted string isolated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseHTML } from 'linkedom';

const en = JSON.parse(readFileSync(new URL('../../extension/_locales/en/messages.json', import.meta.url), 'utf8'));
globalThis.__BROWSER__ = 'chrome';
globalThis.__DEMO__ = false;
globalThis.chrome = {
  runtime: { id: 'ext', getURL: (p) => `chrome-extension://ext/${p}` },
  i18n: {
    getUILanguage: () => 'en',
    getMessage: (key, subs = []) => en[key]?.message.replace(/\$(\d)/g, (_, n) => subs[Number(n) - 1] ?? ''),
  },
};
globalThis.document = parseHTML('<!doctype html><html><body></body></html>').document;
globalThis.Node = globalThis.document.defaultView.Node;

const { displayNameWarnings, warningList, headline } = await import('../../extension/src/view/headline.js');

const trick = {
  status: 'valid', level: 'V1', banner: 'V1 · eve@evil.example · Email Validated, Identity Not Validated',
  signer: { email: 'eve@evil.example' },
  warnings: [
    { kind: 'display-name-address', claim: 'boss@bank.com', detail: 'signed by eve@evil.example, but …' },
    { kind: 'display-name-unicode', claim: 'bidi', detail: '…' },
    { kind: 'display-name-something-new', claim: 'x', detail: 'the core says why' },
  ],
};

test('each kind has its sentence, the signed address first; an unknown kind shows the core\'s own', () => {
  assert.deepEqual(displayNameWarnings(trick), [
    ['warning_address', 'eve@evil.example', 'boss@bank.com'],
    ['warning_bidi', 'eve@evil.example'],
    [null, 'the core says why'],
  ]);
  assert.deepEqual(displayNameWarnings({ status: 'valid', level: 'V4' }), []);
});

test('the list quotes the claim as untrusted text inside the sentence', () => {
  const list = warningList(trick);
  const items = [...list.querySelectorAll('li')];
  assert.equal(items[0].textContent, "Signed by eve@evil.example, but the sender's name shows another address: boss@bank.com");
  assert.deepEqual([...items[0].querySelectorAll('bdi')].map((n) => n.textContent), ['eve@evil.example', 'boss@bank.com']);
  assert.equal(items[2].textContent, 'the core says why');
  assert.equal(warningList({ status: 'valid', level: 'V1' }), null);
});

test('the headline is the core\'s sentence in English, and the level is its first word in every language', () => {
  assert.equal(headline(trick), trick.banner);
  const zhLike = { ...trick, banner: '' };
  assert.equal(headline(zhLike), 'V1 · eve@evil.example · Email Validated, Identity Not Validated');
});
