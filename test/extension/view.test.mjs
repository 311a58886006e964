import { test } from 'node:test';
import assert from 'node:assert/strict';
import { viewOf, badgeOf, statuses, unavailableReport } from '../../extension/src/view/verdict.js';
import { entityText } from '../../demo/body-text.mjs';

test('every status has a severity; only valid is trusted; only unsigned draws the quiet chip', () => {
  for (const status of statuses) {
    const v = viewOf({ status });
    assert.ok(['trusted', 'confirmed', 'caution', 'danger', 'none', 'unchecked'].includes(v.severity), status);
    assert.equal(v.severity === 'trusted' || v.severity === 'confirmed', status === 'valid', status);
    assert.equal(v.kind === 'chip', status === 'unsigned', status);
  }
  for (const status of ['invalid', 'malformed', 'revoked', 'mismatch']) assert.equal(viewOf({ status }).severity, 'danger');
  // An unknown status is never shown as good.
  assert.equal(viewOf({ status: 'trusted' }).severity, 'danger');
  assert.equal(viewOf(null).severity, 'danger');
});

test('what was validated decides the look: V2–V4 trusted, V1 confirmed, a display-name warning danger', () => {
  const look = (r) => { const v = viewOf(r); return `${v.severity} ${v.word}`; };
  for (const level of ['V2', 'V3', 'V4']) assert.equal(look({ status: 'valid', level }), 'trusted severity_trusted', level);
  assert.equal(look({ status: 'valid', level: 'V1' }), 'confirmed severity_confirmed');
  // A level this version does not know is never shown as an identity.
  assert.equal(look({ status: 'valid', level: 'V9' }), 'confirmed severity_confirmed');
  const trick = { kind: 'display-name-address', claim: 'boss@bank.com', detail: '…' };
  for (const level of ['V1', 'V4']) assert.equal(look({ status: 'valid', level, warnings: [trick] }), 'danger severity_displayName', level);
  // Warnings only speak for a valid signature; any other status keeps its own look.
  assert.equal(look({ status: 'untrusted', warnings: [trick] }), 'caution severity_caution');
});

test('the toolbar badge follows the same split', () => {
  assert.deepEqual(badgeOf({ status: 'valid', level: 'V4' }), { text: 'V4', color: '#1b5e20' });
  assert.deepEqual(badgeOf({ status: 'valid', level: 'V1' }), { text: 'V1', color: '#455a64' });
  assert.deepEqual(badgeOf({ status: 'valid', level: 'V1', warnings: [{ kind: 'display-name-domain' }] }), { text: '!', color: '#b3261e' });
  assert.deepEqual(badgeOf({ status: 'invalid' }), { text: '!', color: '#b3261e' });
  assert.deepEqual(badgeOf({ status: 'expired' }).text, '!');
  assert.deepEqual(badgeOf({ status: 'unsigned' }), { text: '', color: null });
  assert.deepEqual(badgeOf({ status: 'unavailable' }), { text: '?', color: '#3c4a7a' });
});

test('not checked is not a verdict: its own words, look and badge, and a reason saying why', () => {
  const r = unavailableReport('the server answered 503');
  assert.equal(r.status, 'unavailable');
  assert.deepEqual(r.reasons, ['the original message could not be fetched from the mail provider: the server answered 503']);
  assert.deepEqual(r.reasonCodes, [{ code: 'unchecked_fetch', args: ['the server answered 503'] }]);
  const v = viewOf(r);
  assert.deepEqual([v.severity, v.word, v.kind], ['unchecked', 'severity_unchecked', 'banner']);
  assert.notEqual(v.word, viewOf({ status: 'unsigned' }).word, '"Not checked" is never "Not signed"');
  const late = unavailableReport({ code: 'unchecked_timeout', args: [20] });
  assert.deepEqual(late.reasonCodes, [{ code: 'unchecked_timeout', args: ['20'] }]);
  assert.match(late.reasons[0], /within 20 seconds/);
  // A code the extension does not have is said as a fetch failure, not passed through.
  assert.equal(unavailableReport({ code: 'message_too_large', args: ['x'] }).reasonCodes[0].code, 'unchecked_fetch');
});

const enc = (s) => new TextEncoder().encode(s);

test('the demo webmail\'s body text: plain text preferred, QP and base64 decoded, charset honoured', () => {
  const entity = enc([
    'Content-Type: multipart/alternative; boundary="b1"', '', '--b1',
    'Content-Type: text/html; charset=utf-8', '', '<p>html</p>', '--b1',
    'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: quoted-printable', '',
    'caf=C3=A9 =', 'ok', '--b1--', ''].join('\r\n'));
  assert.deepEqual(entityText(entity), { type: 'text/plain', text: 'café ok' });
  const b64 = enc(`Content-Type: text/plain; charset=gb2312\r\nContent-Transfer-Encoding: base64\r\n\r\n${Buffer.from([0xc4, 0xe3, 0xba, 0xc3]).toString('base64')}\r\n`);
  assert.deepEqual(entityText(b64), { type: 'text/plain', text: '你好' });
  assert.equal(entityText(enc('Content-Type: image/png\r\n\r\nxx')), null);
  assert.equal(entityText(enc('Content-Type: multipart/mixed\r\n\r\nno boundary')), null);
});
