// Red team: what a paste or a quoted original can make the compose window sign.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHTML } from 'linkedom';
import * as formatted from '../../extension/src/pages/formatted.js';

// Unicode's explicit directional formatting: embeddings, overrides and isolates. One of them before
// a link reorders everything after it in the paragraph, the link's shown target too.
const bidiControls = /[\u202A-\u202E\u2066-\u2069]/;

test('no explicit bidi control reaches either part, so a link reads as the target it goes to', () => {
  const pasted = [
    '[\u202Ebank](https://evil.example/moc.knab)', // an override in the label: the target shows reversed
    'pay here \u202E [bank](https://evil.example/moc.knab) **now**',
    '\u2067**urgent**\u2069 [bank](https://evil.example/)',
    '- \u202Dx [a](https://a.example/) \u202C',
    '> quoted \u202E original\nand [a](https://a.example/)',
  ];
  for (const text of pasted) {
    const m = formatted.message(text);
    assert.ok(m.html, text);
    assert.doesNotMatch(m.html, bidiControls, JSON.stringify(text));
    assert.doesNotMatch(m.text, bidiControls, JSON.stringify(text));
    // The preview, built from the same model, shows what is sent.
    const { document } = parseHTML('<body></body>');
    const el = (name, attrs = {}, ...kids) => {
      const n = document.createElement(name);
      for (const [k, v] of Object.entries(attrs)) if (k === 'text') n.textContent = v; else n.setAttribute(k, v);
      n.append(...kids.flat());
      return n;
    };
    document.body.append(...formatted.preview(formatted.parse(text), el));
    assert.doesNotMatch(document.body.textContent, bidiControls, JSON.stringify(text));
  }
  // Plain text alone too: the same words as the text field minus the controls.
  assert.deepEqual(formatted.message('see \u202Eevil\u202C here'), { text: 'see evil here' });
});

test('marks that only set the direction of neutral characters stay: right-to-left writers use them', () => {
  const text = 'שלום\u200F [bank](https://bank.example/) \u200E**x**';
  const m = formatted.message(text);
  assert.match(m.html, /\u200F/);
  assert.match(m.text, /\u200E/);
});

test('an address typed as it is stays as typed in both parts: no marks read inside it', () => {
  for (const url of ['https://pay.example/ref/_a1_', 'https://pay.example/a**b**c', 'https://pay.example/?q=_x_&r=1', 'mailto:_a_@x.example']) {
    const m = formatted.message(`pay at ${url} **today**`);
    assert.ok(m.html, url);
    assert.ok(m.text.includes(url), `text part: ${m.text}`);
    const { document } = parseHTML(m.html);
    assert.ok(document.body.textContent.includes(url), `HTML part: ${m.html}`);
  }
  // Marks around an address still apply, written once around it.
  assert.deepEqual(formatted.message('**see https://pay.example/a_b_ now**'),
    { text: '*see https://pay.example/a_b_ now*', html: '<html><body>\n<p><b>see https://pay.example/a_b_ now</b></p>\n</body></html>\n' });
});
