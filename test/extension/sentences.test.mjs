// The core's sentences in every locale: each code the Go table has (extension/sentence-codes.json,
// written by cmd/gensentences) has its translation with the same arguments, and the views say
// reasons, notes, checks and the level's reason from the codes, in the reader's language.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { useLocale } from './i18n-stub.mjs';

const root = new URL('../../extension/', import.meta.url);
const codes = JSON.parse(readFileSync(new URL('sentence-codes.json', root), 'utf8'));
const locales = Object.fromEntries(readdirSync(new URL('_locales/', root)).map((l) => [l, JSON.parse(readFileSync(new URL(`_locales/${l}/messages.json`, root), 'utf8'))]));

const { say, sentenceNode, checkName } = await import('../../extension/src/view/sentences.js');
const { uncheckedCodes } = await import('../../extension/src/view/verdict.js');
const { headline } = await import('../../extension/src/view/headline.js');

const placeholders = (s) => [...new Set([...s.matchAll(/\$(\d)/g)].map((m) => Number(m[1])))].sort();

test('every locale translates every code of the core and of the extension, with the same arguments', () => {
  assert.ok(codes.sentences.length > 100, 'the list is the whole table');
  const all = [...codes.sentences, ...uncheckedCodes];
  for (const [lang, m] of Object.entries(locales)) {
    for (const { code, args } of all) {
      const said = m[`s_${code}`]?.message;
      assert.ok(said, `${lang} lacks s_${code}`);
      assert.deepEqual(placeholders(said), Array.from({ length: args }, (_, i) => i + 1), `${lang} s_${code}: arguments $1…$${args}`);
    }
    for (const name of codes.checks) assert.ok(m[`check_${name.replace(/-/g, '_')}`]?.message, `${lang} lacks check_${name}`);
  }
});

test('the English locale says what the core\'s one table says', () => {
  for (const { code, english } of codes.sentences) assert.equal(locales.en[`s_${code}`].message, english, code);
});

test('a translated locale translates: no sentence is left in English', () => {
  for (const [lang, m] of Object.entries(locales)) {
    if (lang === 'en') continue;
    const same = codes.sentences.filter(({ code, english }) => english !== '$1' && m[`s_${code}`].message === english).map((c) => c.code);
    assert.deepEqual(same, [], `${lang} keeps English for ${same.join(', ')}`);
  }
});

test('a report sentence is said in the reader\'s language, arguments as given', () => {
  useLocale('zh_CN');
  try {
    assert.equal(say({ code: 'message_partial', args: ['2'] }, 'only part 2 of the message is signed'), '邮件只有第 2 部分经过签名');
    assert.equal(say({ code: 'crl_set_aside', args: ['CA'], then: [{ code: 'crl_delta' }] }), '“CA”的吊销列表未被采用；它是增量列表，不是完整列表');
    // Words of the core given as arguments are translated too: "(given)" is not shown.
    assert.equal(say({ code: 'chain_ok', args: ['given'] }), '证书可追溯到受信任的电子邮件根证书（由您的管理员设定）');
    assert.equal(say({ code: 'level_none_status', args: ['partial'] }).includes('仅部分签名'), true);
    assert.equal(checkName('display-name'), '显示名称');
    // An argument is data: a "$1" in a certificate's name is never expanded.
    assert.equal(say({ code: 'self_signed' }), '签名者的证书是自签名的');
    assert.equal(say({ code: 'sender_ok', args: ['$1@x.example'] }), '发件人（From）地址 $1@x.example 在签名者的证书中');
    // A code this version does not know: the core's English, never a blank.
    assert.equal(say({ code: 'from_a_newer_core' }, 'the English'), 'the English');
    assert.equal(say({ code: 'crl_set_aside', args: ['CA'], then: [{ code: 'nope' }] }, 'whole English'), 'whole English');
    // Each argument is isolated in its own <bdi>.
    const node = sentenceNode({ code: 'mismatch_from', args: ['\u202eevil', 'b@x'] });
    assert.equal(node.querySelectorAll('bdi').length, 2);
  } finally {
    useLocale('en');
  }
});

test('the V4 headline keeps the organization\'s country in every language', () => {
  const report = { status: 'valid', level: 'V4', signer: { email: 'bob@bank.example', name: 'Bob Clerk', organization: 'Example Bank Ltd', country: 'GB', title: 'Loan Officer' } };
  useLocale('zh_CN');
  try {
    assert.equal(headline(report), 'V4 · bob@bank.example · Bob Clerk, Example Bank Ltd (GB), Loan Officer，身份已验证且可信');
  } finally {
    useLocale('en');
  }
});
