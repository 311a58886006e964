// The compose window's parts that need no browser: the formatted-text model and the HTML it alone
// writes, recipients as chips, sizes, and the provider limits the window and the background share.
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { parseHTML } from 'linkedom';
import * as formatted from '../../extension/src/pages/formatted.js';
import { RecipientField, splitRecipients } from '../../extension/src/pages/recipients.js';
import { formatSize } from '../../extension/src/pages/size.js';
import { addressesIn, isAddress } from '../../extension/src/providers/address.js';
import { estimateSigned, fits, largestMessage } from '../../extension/src/message-size.js';

// Every element of html, read by an HTML parser (as a recipient's client reads it).
function elements(html) {
  const { document } = parseHTML(html);
  return [...document.querySelectorAll('*')];
}

// builder is view/dom.js's el for a linkedom document: attributes, listeners, text, children.
function builder(document) {
  return (tag, attrs = {}, ...children) => {
    const n = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined) continue;
      if (k === 'text') n.textContent = v; else if (k.startsWith('on')) n.addEventListener(k.slice(2), v); else if (k === 'class') n.className = v; else n.setAttribute(k, v);
    }
    for (const c of children.flat()) n.append(c);
    return n;
  };
}

// Hostile text a user could type or paste, or a quoted message could hold.
const hostile = [
  '<script>alert(1)</script>', '<style>p{display:none}</style>', '<img src=x onerror=alert(1)>',
  '"><b onmouseover=alert(1)>x</b>', "**<a href='javascript:alert(1)'>x</a>**",
  '[click](javascript:alert(1))', '[click](data:text/html,<script>x</script>)', '[a](https://ok.example/" onclick="x)',
  '[bank](https://bank.example@evil.example/)', '_<svg/onload=alert(1)>_', '- <iframe src=//evil>', '1. <form action=//evil>',
  '> <div style="display:none">hidden</div>', '[x](https://a.example/?q=<b>&r="1")', '<!-- comment --> &amp; &#x3c;',
];

test('the HTML part holds only whitelisted elements, an href the only attribute, whatever is typed', () => {
  for (const text of [...hostile, hostile.join('\n'), `**bold** and _it_\n${hostile.join('\n- ')}`]) {
    const html = formatted.toHTML(formatted.parse(text));
    for (const n of elements(html)) {
      assert.ok(formatted.htmlElements.includes(n.localName), `${n.localName} from ${JSON.stringify(text)}`);
      const attrs = [...n.attributes].map((a) => a.name);
      assert.deepEqual(attrs, n.localName === 'a' ? ['href'] : [], `${n.localName} ${attrs} from ${JSON.stringify(text)}`);
    }
    // And as text: every tag is a whitelisted one; every link goes to http(s) or mailto.
    assert.doesNotMatch(html, /<(?!\/?(?:html|body|p|br|b|i|ul|ol|li|a)[ >])/, text);
    assert.doesNotMatch(html, /<a (?!href="(?:https?|mailto):[^"]*">)/, text);
  }
});

test("a link's shown target is its href, and only http, https and mailto links are made", () => {
  const text = 'See [our site](https://bank.example/pay?a=1&b=2), [mail us](mailto:help@bank.example), https://plain.example\n'
    + '- [unicode](https://bаnk.example/) [spaced](https://x.example/a%20b)';
  const html = formatted.toHTML(formatted.parse(text));
  const links = elements(html).filter((n) => n.localName === 'a');
  assert.equal(links.length, 4);
  for (const a of links) assert.equal(a.textContent, a.getAttribute('href'));
  // A look-alike host is shown as the browser reads it (punycode), not as it looked.
  assert.ok(links.some((a) => a.getAttribute('href') === 'https://xn--bnk-6cd.example/'));
  assert.match(html, /our site \(<a href="https:\/\/bank\.example\/pay\?a=1&#38;b=2">/);
  for (const bad of ['javascript:alert(1)', 'data:text/html,x', 'https://bank.example@evil.example/', 'ftp://x.example/', 'https://', 'file:///etc/passwd']) {
    assert.equal(formatted.linkTarget(bad), null, bad);
    assert.equal(elements(formatted.toHTML(formatted.parse(`[x](${bad})`))).filter((n) => n.localName === 'a').length, 0, bad);
  }
});

test('the model reads bold, italic, lists and links; quoted lines stay plain text', () => {
  const text = 'Dear **Ann** and _Bob_,\n\n- one\n- **two**\n\n1. first\n3. second\n\n> quoted **not bold** [not](https://a.example/)\n>> <b>deeper</b>\nsnake_case_name stays';
  const blocks = formatted.parse(text);
  assert.deepEqual(blocks.map((b) => [b.type, b.gap, b.items.length]), [['paragraph', 0, 1], ['bullets', 1, 2], ['numbers', 1, 2], ['quote', 1, 2], ['paragraph', 0, 1]]);
  const html = formatted.toHTML(blocks);
  assert.match(html, /<p>Dear <b>Ann<\/b> and <i>Bob<\/i>,<\/p>/);
  assert.match(html, /<ul>\n<li>one<\/li>\n<li><b>two<\/b><\/li>\n<\/ul>/);
  assert.match(html, /<ol>\n<li>first<\/li>\n<li>second<\/li>\n<\/ol>/);
  assert.match(html, /<p>&#62; quoted \*\*not bold\*\* \[not\]\(https:\/\/a\.example\/\)<br>\n&#62;&#62; &#60;b&#62;deeper&#60;\/b&#62;<\/p>/);
  assert.match(html, /<p>snake_case_name stays<\/p>/);
  const plain = formatted.toPlain(blocks);
  assert.equal(plain, 'Dear *Ann* and _Bob_,\n\n- one\n- *two*\n\n1. first\n2. second\n\n> quoted **not bold** [not](https://a.example/)\n>> <b>deeper</b>\nsnake_case_name stays');
});

test('a message is plain text alone until something is formatted, then text and HTML from one model', () => {
  const reply = 'Thanks, see you then.\n\n> On Monday you wrote:\n> **agenda** attached';
  assert.deepEqual(formatted.message(reply), { text: reply });
  const m = formatted.message('Please *do not* pay [this invoice](https://pay.example/1).');
  assert.equal(m.text, 'Please *do not* pay this invoice (https://pay.example/1).');
  assert.match(m.html, /^<html><body>\n<p>Please \*do not\* pay this invoice \(<a href="https:\/\/pay\.example\/1">https:\/\/pay\.example\/1<\/a>\)\.<\/p>/);
});

test('the toolbar wraps and unwraps marks, makes and unmakes lists, and inserts a link to complete', () => {
  assert.deepEqual(formatted.toggleMark('pay now please', 4, 8, '**'), { value: 'pay **now** please', start: 6, end: 9 });
  assert.deepEqual(formatted.toggleMark('pay **now** please', 6, 9, '**'), { value: 'pay now please', start: 4, end: 7 });
  assert.equal(formatted.toggleMark('pay now', 3, 8, '_').value, 'pay _now_');
  assert.deepEqual(formatted.toggleList('a\nb\n\nc', 0, 3, 'numbers').value, '1. a\n2. b\n\nc');
  assert.deepEqual(formatted.toggleList('1. a\n2. b', 0, 8, 'numbers').value, 'a\nb');
  assert.deepEqual(formatted.toggleList('1. a\n2. b', 0, 8, 'bullets').value, '- a\n- b');
  assert.deepEqual(formatted.toggleList('> quoted\nmine', 0, 12, 'bullets').value, '> quoted\n- mine');
  const link = formatted.insertLink('see the site today', 8, 12, 'link');
  assert.equal(link.value, 'see the [site](https://) today');
  assert.equal(link.value.slice(link.start, link.end), 'https://');
});

test('the preview is built from the same model, in the shape of the HTML', () => {
  const { document } = parseHTML('<html><body></body></html>');
  const el = builder(document);
  const nodes = formatted.preview(formatted.parse('**b** [x](https://x.example/) <i>\n- item\n> q <b>'), el);
  document.body.append(...nodes);
  assert.equal(document.body.querySelector('b').textContent, 'b');
  assert.equal(document.body.querySelector('a').textContent, document.body.querySelector('a').getAttribute('href'));
  assert.equal(document.body.querySelectorAll('i, script').length, 0, 'typed tags are text');
  assert.equal(document.body.querySelector('li').textContent, 'item');
  assert.equal(document.body.querySelector('.quoted').textContent, '> q <b>');
});

test('one address pattern: what is an address, and what a list of recipients holds', () => {
  for (const ok of ['bob@example.net', "o'neil+tag@mail.example.co.uk", 'a@b.c']) assert.ok(isAddress(ok), ok);
  for (const bad of ['bob@', '@example.net', 'bob@localhost', 'bob@@example.net', 'bob@example..net', '.bob@example.net', 'bob example@x.net', 'bob@exa mple.net', '', 'a@b.c\n']) {
    assert.ok(!isAddress(bad), bad);
  }
  assert.deepEqual(addressesIn('Inbox (3) - demo@mailseal.test - Gmail'), ['demo@mailseal.test']);
  const list = splitRecipients('Bob <bob@example.net>, "Doe, Jo" <jo@example.org>; carol@example.com\nnot-an-address, eve@');
  assert.deepEqual(list.map((r) => [r.text, r.address, r.valid]), [
    ['Bob <bob@example.net>', 'bob@example.net', true],
    ['"Doe, Jo" <jo@example.org>', 'jo@example.org', true],
    ['carol@example.com', 'carol@example.com', true],
    ['not-an-address', 'not-an-address', false],
    ['eve@', 'eve@', false],
  ]);
  assert.deepEqual(splitRecipients(' , ;\n'), []);
});

test('a recipient field makes chips, marks bad ones, removes them, and gives the list back', () => {
  const { document } = parseHTML('<html><body><form><div class="chip-field"><input id="to"></div></form></body></html>');
  const el = builder(document);
  let changes = 0;
  const input = document.getElementById('to');
  const field = new RecipientField(input, { el, t: (k, ...s) => `${k}:${s.join()}`, onchange: () => changes++ });
  field.value = 'Bob <bob@example.net>, nonsense, BOB@example.net';
  const chips = () => [...document.querySelectorAll('.chip')].map((c) => `${c.dataset.valid} ${c.querySelector('bdi').textContent}`);
  assert.deepEqual(chips(), ['true Bob <bob@example.net>', 'false nonsense'], 'the same address twice is one chip');
  assert.deepEqual(field.invalid.map((r) => r.text), ['nonsense']);
  assert.equal(input.getAttribute('aria-invalid'), 'true');
  assert.equal(document.querySelectorAll('.chip.bad').length, 1);
  input.value = 'carol@example.com';
  assert.equal(field.value, 'Bob <bob@example.net>, nonsense, carol@example.com', 'what is still typed counts');
  document.querySelectorAll('.chip-remove')[1].dispatchEvent(new document.defaultView.Event('click'));
  assert.deepEqual(chips(), ['true Bob <bob@example.net>']);
  assert.equal(input.getAttribute('aria-invalid'), 'false');
  field.commit();
  assert.deepEqual(chips(), ['true Bob <bob@example.net>', 'true carol@example.com']);
  assert.ok(changes >= 3);
  input.value = 'x@';
  assert.deepEqual(field.invalid.map((r) => r.text), ['x@'], 'a bad address still being typed blocks too');
});

test('sizes read as a person reads them: 1 KB is 1 KB, never 0.0 MB', () => {
  assert.equal(formatSize(0), '0 B');
  assert.equal(formatSize(900), '900 B');
  assert.equal(formatSize(1024), '1 KB');
  assert.equal(formatSize(1100), '1 KB');
  assert.equal(formatSize(300 * 1024), '300 KB');
  assert.equal(formatSize(1024 * 1024 - 1), '1 MB');
  assert.equal(formatSize(3.5 * 1024 * 1024), '3.5 MB');
  assert.equal(formatSize(35 * 1024 * 1024), '35 MB');
  assert.equal(formatSize(1536 * 1024, 'de'), '1,5 MB');
});

test('the window and the background use one size table (message-size.js; its checks: config.test.mjs)', async () => {
  const page = readFileSync(new URL('../../extension/src/pages/compose.js', import.meta.url), 'utf8');
  assert.match(page, /from '\.\.\/message-size\.js'/);
  assert.equal(largestMessage('outlook'), 3 * 1024 * 1024);
  assert.ok(fits('gmail', largestMessage('gmail')) && !fits('gmail', largestMessage('gmail') + 1));
  assert.equal(estimateSigned({ text: 'ab', html: 'cd', attachments: [57, 58] }), 8192 + 12 + 78 + 156);
});
