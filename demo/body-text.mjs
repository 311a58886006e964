// The demo webmail's own reading of a message body, as Gmail and Outlook render mail themselves:
// the first text/plain part, else the first text/html part. Only what display needs: headers,
// multipart boundaries, base64 and quoted-printable, and the charset through TextDecoder. The
// extension never uses this: the core reads a message's text (report.text).

const latin1 = new TextDecoder('latin1');

function splitEntity(bytes) {
  const text = latin1.decode(bytes);
  const m = /\r?\n\r?\n/.exec(text);
  const head = m ? text.slice(0, m.index) : text;
  const bodyStart = m ? m.index + m[0].length : text.length;
  const headers = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] ??= line.slice(i + 1).trim();
  }
  return { headers, body: bytes.subarray(bodyStart) };
}

function param(value, name) {
  const m = new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(value ?? '');
  return m ? m[1] ?? m[2] : null;
}

function decodeBody(body, encoding) {
  const enc = (encoding ?? '').toLowerCase();
  if (enc === 'base64') {
    const s = atob(latin1.decode(body).replace(/[^A-Za-z0-9+/=]/g, ''));
    return Uint8Array.from(s, (c) => c.charCodeAt(0));
  }
  if (enc === 'quoted-printable') {
    const s = latin1.decode(body).replace(/=\r?\n/g, '');
    const out = [];
    for (let i = 0; i < s.length; i++) {
      if (s[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) { out.push(parseInt(s.slice(i + 1, i + 3), 16)); i += 2; } else out.push(s.charCodeAt(i) & 0xff);
    }
    return new Uint8Array(out);
  }
  return body;
}

function decodeText(bytes, charset) {
  try { return new TextDecoder(charset || 'utf-8').decode(bytes); } catch { return new TextDecoder('utf-8').decode(bytes); }
}

/** @returns {{type: 'text/plain'|'text/html', text: string} | null} */
export function entityText(bytes, depth = 0) {
  if (depth > 20) return null;
  const { headers, body } = splitEntity(bytes);
  const type = (headers['content-type'] ?? 'text/plain').split(';')[0].trim().toLowerCase();
  if (type.startsWith('multipart/')) {
    const boundary = param(headers['content-type'], 'boundary');
    if (!boundary) return null;
    const text = latin1.decode(body);
    const parts = text.split(new RegExp(`\\r?\\n?--${boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:--)?[ \\t]*\\r?\\n?`)).slice(1, -1);
    const found = parts.map((p) => entityText(Uint8Array.from(p, (c) => c.charCodeAt(0)), depth + 1)).filter(Boolean);
    return found.find((f) => f.type === 'text/plain') ?? found[0] ?? null;
  }
  if (type !== 'text/plain' && type !== 'text/html') return null;
  return { type, text: decodeText(decodeBody(body, headers['content-transfer-encoding']), param(headers['content-type'], 'charset')) };
}
