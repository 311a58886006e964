// The demo inbox: every sample message of testdata/vectors/*.eml (written by `make testdata`)
// plus the demo's own messages in demo/messages/ (a body that imitates our banner, a message
// whose raw source cannot be fetched), each with its NAME.expect beside it.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { entityText } from './body-text.mjs';

/**
 * readVector reads a sample: NAME.eml, the raw message as a mail client receives it, and
 * NAME.expect beside it, `key: value` lines (expect, level, now, banner, …) saying what the
 * verifier must report.
 */
export function readVector(emlPath) {
  const expectPath = emlPath.replace(/\.eml$/, '.expect');
  if (!existsSync(expectPath)) throw new Error(`${emlPath}: no expectation beside it (${basename(expectPath)})`);
  const headers = {};
  for (const line of readFileSync(expectPath, 'utf8').split(/\r?\n/)) {
    if (line === '') continue;
    const i = line.indexOf(':');
    if (i < 0) throw new Error(`${expectPath}: bad line ${JSON.stringify(line)}`);
    headers[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return { headers, raw: readFileSync(emlPath) };
}

// messageHeaders reads the top-level header fields of a raw message (unfolded, encoded words decoded).
export function messageHeaders(raw) {
  const text = raw.toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const head = end < 0 ? text : text.slice(0, end);
  const out = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) (out[line.slice(0, i).trim().toLowerCase()] ??= []).push(decodeWords(line.slice(i + 1).trim()));
  }
  return out;
}

function decodeWords(s) {
  const text = Buffer.from(s, 'latin1').toString('utf8');
  return text.replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, charset, enc, data) => {
    const bytes = enc.toUpperCase() === 'B' ? Buffer.from(data, 'base64')
      : Buffer.from(data.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_m, h) => String.fromCharCode(parseInt(h, 16))), 'latin1');
    try { return new TextDecoder(charset).decode(bytes); } catch { return bytes.toString('utf8'); }
  });
}

// withDelivery adds the Received field a recipient's provider adds on delivery, dated at the
// vector's `now`, when the message has none: the core then validates at that time, as the
// vector expects (the clock it would otherwise use is today's).
export function withDelivery(raw, now) {
  if (!now || /^received:/im.test(raw.toString('latin1').split(/\r?\n\r?\n/)[0])) return raw;
  const date = new Date(now).toUTCString().replace('GMT', '+0000');
  return Buffer.concat([Buffer.from(`Received: from mx.demo.invalid by demo.mailseal.invalid; ${date}\r\n`), raw]);
}

function ids(name) {
  const h = createHash('sha256').update(name).digest();
  const legacy = `1${h.subarray(0, 8).toString('hex').slice(1)}`; // Gmail's legacy ids are 16 hex digits
  // OWA ids are base64 in the EWS alphabet; these deliberately contain '/' and '+' so the
  // provider's conversion to Graph's alphabet is exercised.
  const b = Buffer.concat([h.subarray(8, 20), Buffer.from([0xfb, 0xff, 0xbf])]).toString('base64');
  // itemId is the OWA (EWS) form of graphId, for item-view deep links.
  return { legacy, perm: BigInt(`0x${legacy}`).toString(10), convId: `AAQkAD${b}`, itemId: `AAMkAD${b}`, graphId: `AAMkAD${b.replace(/\//g, '-').replace(/\+/g, '_')}` };
}

function display(raw) {
  const h = messageHeaders(raw);
  const from = h.from?.[0] ?? '';
  const email = /<([^>]+)>/.exec(from)?.[1] ?? from.trim();
  const name = from.replace(/<[^>]*>/, '').replace(/"/g, '').trim() || email;
  const ctype = (h['content-type']?.[0] ?? '').toLowerCase();
  const opaque = /application\/(x-)?pkcs7-mime/.test(ctype);
  let body = null;
  try { body = opaque ? null : entityText(new Uint8Array(raw)); } catch { body = null; }
  const attachments = [];
  if (opaque) attachments.push('smime.p7m');
  if (/multipart\/signed/.test(ctype)) attachments.push('smime.p7s');
  return { subject: h.subject?.[0] ?? '(no subject)', from: name, fromEmail: email, date: h.date?.[0] ?? '', body, attachments };
}

export function loadInbox(vectorsDir, ownDir) {
  const files = [];
  for (const dir of [vectorsDir, ownDir]) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.eml')).sort()) files.push(join(dir, f));
  }
  const inbox = files.map((path) => {
    const name = basename(path, '.eml');
    const { headers, raw } = readVector(path);
    const delivered = withDelivery(raw, headers.now);
    return { name, expect: headers, raw: delivered, ...ids(name), ...display(raw) };
  });
  // The spoof message's body names a real signed message of the inbox (%LEGACY%, %PERM%): the
  // container it imitates would otherwise point nowhere.
  const target = inbox.find((m) => m.expect.expect === 'valid') ?? inbox[0];
  for (const m of inbox) {
    if (m.body?.text.includes('%LEGACY%')) m.body.text = m.body.text.replaceAll('%LEGACY%', target.legacy).replaceAll('%PERM%', target.perm);
  }
  return inbox;
}
