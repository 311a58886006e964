// The details view on real reports (testdata/golden, the core's own output): the three facts lead
// (who signed, who validated it, what is not covered), the rest is under "Technical details" (a
// <details> element), and every sentence of the core is said in the reader's language.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { useLocale } from './i18n-stub.mjs';

const { details } = await import('../../extension/src/view/details.js');

const report = (name) => JSON.parse(readFileSync(new URL(`../../testdata/golden/report-${name}.json`, import.meta.url), 'utf8')).result;
const headings = (root) => [...root.children].filter((n) => n.tagName === 'SECTION').map((n) => n.querySelector('h2').textContent);

test('a V4 signature: who, by whom and what is not covered lead; the rest is under Technical details', () => {
  const view = details(report('valid-v4'), {});
  assert.deepEqual(headings(view), ['Who signed', 'Validated by', 'Not covered by the signature']);
  const technical = view.querySelector('details.technical');
  assert.equal(technical.querySelector('summary').textContent, 'Technical details');
  assert.ok(!technical.open, 'closed until asked for');
  for (const h of ['Checks', 'Certificate chain', 'Why this level']) assert.ok(technical.textContent.includes(h), h);
  const facts = [...view.children].filter((n) => n.tagName === 'SECTION').map((n) => n.textContent).join('\n');
  assert.match(facts, /Example Bank|Acme|\(GB\)/);
  assert.match(facts, /whose root is set by your administrator/);
  assert.doesNotMatch(view.textContent, /\(given\)|Checked as of/);
});

test('a partly signed message: the reason says what held, in Chinese too', () => {
  const r = report('partial');
  const en = details(r, {}).textContent;
  assert.match(en, /the signature and its certificate chain are good, but they cover only part/);
  assert.doesNotMatch(en, /not valid and trusted/);
  useLocale('zh_CN');
  try {
    const zh = details(r, {}).textContent;
    assert.match(zh, /签名和证书链都没有问题/);
    assert.match(zh, /邮件只有第 \S+ 部分经过签名/);
    // No sentence of the core is left in English.
    for (const english of [...r.reasons, ...(r.notes ?? []), ...r.checks.map((c) => c.detail)]) assert.ok(!zh.includes(english), english);
  } finally {
    useLocale('en');
  }
});
