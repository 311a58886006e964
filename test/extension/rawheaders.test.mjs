// The header reading shared by the From cross-check and Write signed's reply headers
// (extension/src/rawheaders.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { replyHeadersOf, headerLines, fieldValues, decodeWords, messageSummary } from '../../extension/src/rawheaders.js';

const bytes = (s) => new TextEncoder().encode(s);

test('a reply carries the parent Message-ID as In-Reply-To and at the end of References', () => {
  const raw = bytes('Received: x\r\nMessage-ID:\r\n <parent@example.com>\r\nReferences: <a@x> <b@x>\r\n' +
    'Subject: Re: hi\r\n\r\nMessage-ID: <body@fake>\r\n');
  assert.deepEqual(replyHeadersOf(raw), { inReplyTo: '<parent@example.com>', references: ['<a@x>', '<b@x>', '<parent@example.com>'] });
});

test('no Message-ID: no reply headers; References are capped at 20', () => {
  assert.deepEqual(replyHeadersOf(bytes('Subject: hi\n\nbody')), {});
  const refs = Array.from({ length: 30 }, (_, i) => `<r${i}@x>`).join(' ');
  const out = replyHeadersOf(bytes(`message-id: <p@x>\nreferences: ${refs}\n\n`));
  assert.equal(out.references.length, 20);
  assert.equal(out.references.at(-1), '<p@x>');
});

test('only the top header block is read, field names in any case, 8-bit bytes do not throw', () => {
  const raw = new Uint8Array([...bytes('FROM: a@x\r\nX-Name: caf'), 0xe9, ...bytes('\r\n\r\nFrom: b@y\r\n')]);
  const lines = headerLines(raw);
  assert.deepEqual(fieldValues(lines, 'From'), ['a@x']);
  assert.equal(fieldValues(lines, 'x-name')[0], 'café');
});

test('encoded words are decoded, adjacent ones joined, other spaces kept', () => {
  assert.equal(decodeWords('=?utf-8?q?Gr=C3=BC=C3=9Fe?= from =?UTF-8?B?5L2g5aW9?= =?utf-8?q?_!?='), 'Grüße from 你好 !');
  assert.equal(decodeWords('=?x-unknown?q?a?= b'), '=?x-unknown?q?a?= b');
});

test('a banner names its message by From, subject and date', () => {
  const raw = bytes('From: Boss <boss@x.example>\r\nSubject: =?utf-8?q?Pay_now?=\r\nDate: Tue, 1 Dec 2026 10:00:00 +0000\r\n\r\nbody');
  assert.deepEqual(messageSummary(raw), { from: 'Boss <boss@x.example>', subject: 'Pay now', date: 'Tue, 1 Dec 2026 10:00:00 +0000' });
});
