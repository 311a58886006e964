// The demo's send APIs: what mailseal's compose frame sends through, on the demo's own servers.
//
//   Gmail server:   GET  /o/oauth2/v2/auth             Google's OAuth endpoint, implicit grant
//                                                      (response_type=token, scope gmail.send), no prompt
//                   POST /upload/gmail/v1/users/me/messages/send?uploadType=multipart|media
//                   POST /gmail/v1/users/me/messages/send   ({raw: base64url, threadId})
//   Outlook server: POST /v1.0/me/sendMail             Graph: the MIME message base64 as text/plain,
//                                                      with a token of the demo's Microsoft sign-in
//   Both:           GET  /demo/sent.json               every message sent, base64, in order
//                   POST /demo/fail-next-send?status=N the next send answers N (tests of errors)
//
// Every message sent is recorded and delivered to the demo inbox (as a new conversation at the
// top), so opening it shows mailseal's banner for it: the reading side checks the signing side.
// mountSendApi wraps the servers' request handlers: routes it knows are answered here, the rest
// go to demo/server.mjs as before.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadInbox } from './vectors.mjs';

export const demoGoogleClientId = '424242424242-mailsealdemo.apps.googleusercontent.com';
const gmailScope = 'https://www.googleapis.com/auth/gmail.send';
// Graph refuses requests over 4 MB; so does the demo (its base64 body, as Graph counts it).
const graphLimit = 4 * 1024 * 1024;
const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'authorization, content-type', 'access-control-allow-methods': 'POST, GET, OPTIONS' };

function reply(res, status, body = '', type = 'application/json', extra = {}) {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...cors, ...extra });
  res.end(typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body));
}

function readBytes(req, max = 64 * 1024 * 1024) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let n = 0;
    req.on('data', (c) => { n += c.length; if (n > max) { req.destroy(); reject(new Error('too large')); } else chunks.push(c); });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function b64url(buf) {
  return buf.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

// multipartRelated splits the body of an uploadType=multipart request into its metadata and media.
function multipartRelated(body, contentType) {
  const boundary = /boundary="?([^";]+)"?/.exec(contentType)?.[1];
  if (!boundary) return null;
  const text = body.toString('latin1');
  const parts = text.split(`--${boundary}`).slice(1, -1).map((p) => {
    const part = p.replace(/^\r\n/, '').replace(/\r\n$/, '');
    const end = part.indexOf('\r\n\r\n');
    return { head: part.slice(0, end).toLowerCase(), body: Buffer.from(part.slice(end + 4), 'latin1') };
  });
  const meta = parts.find((p) => p.head.includes('application/json'));
  const media = parts.find((p) => p.head.includes('message/rfc822'));
  if (!media) return null;
  return { metadata: meta ? JSON.parse(meta.body.toString('utf8') || '{}') : {}, raw: media.body };
}

/**
 * @param {object} state the demo's state (inbox, threads, view)
 * @param {{gmail: import('node:http').Server, outlook: import('node:http').Server, gmailBase: string,
 *   outlookBase: string, refresh: () => void}} servers refresh rebuilds state.view after a delivery
 * @returns {{policy: object, deliverFile: (raw: Buffer, expect: string) => object}} what the demo policy
 *   adds for the extension, and a way to put a message and its expectation in the inbox
 */
export function mountSendApi(state, { gmail, outlook, gmailBase, outlookBase, refresh }) {
  state.sent = [];
  const failNext = { gmail: 0, outlook: 0 };
  const gmailTokens = new Set();
  const deliveries = mkdtempSync(join(tmpdir(), 'mailseal-demo-sent-'));

  function deliver(api, raw, threadId) {
    const name = `sent-${String(state.sent.length + 1).padStart(3, '0')}-${api}`;
    state.sent.push({ name, api, threadId, size: raw.length, raw: raw.toString('base64'), at: new Date().toISOString() });
    return add(name, raw, `demo: sent through the demo ${api} API\n`);
  }

  // add puts a message and its expectation (NAME.expect lines) in the inbox; loadInbox gives the
  // message the ids and the display fields every other demo message has.
  function add(name, raw, expect) {
    writeFileSync(join(deliveries, `${name}.eml`), raw);
    writeFileSync(join(deliveries, `${name}.expect`), expect);
    const m = loadInbox(deliveries, join(deliveries, 'none')).find((x) => x.name === name);
    state.inbox.push(m);
    state.threads.unshift({ id: m.legacy, convId: m.convId, subject: m.subject, members: [m] });
    refresh();
    return m;
  }
  let added = 0;

  async function common(api, req, res, url) {
    if (req.method === 'OPTIONS') return reply(res, 204), true;
    if (url.pathname === '/demo/sent.json') return reply(res, 200, state.sent), true;
    if (url.pathname === '/demo/fail-next-send' && req.method === 'POST') {
      failNext[api] = Number(url.searchParams.get('status')) || 500;
      return reply(res, 204), true;
    }
    return false;
  }

  function injectedFailure(api, res) {
    const status = failNext[api];
    if (!status) return false;
    failNext[api] = 0;
    reply(res, status, { error: { code: status, message: `demo: injected failure ${status}` } });
    return true;
  }

  async function gmailRoutes(req, res) {
    const url = new URL(req.url, 'http://127.0.0.1');
    const p = url.pathname;
    if (await common('gmail', req, res, url)) return true;
    if (p === '/o/oauth2/v2/auth') {
      const q = url.searchParams;
      if (q.get('client_id') !== demoGoogleClientId || q.get('response_type') !== 'token' || !(q.get('scope') ?? '').split(' ').includes(gmailScope)) {
        reply(res, 400, 'bad request', 'text/plain');
        return true;
      }
      const token = b64url(randomBytes(24));
      gmailTokens.add(token);
      const back = new URL(q.get('redirect_uri'));
      back.hash = new URLSearchParams({ access_token: token, token_type: 'Bearer', expires_in: '3599', scope: gmailScope, state: q.get('state') ?? '' }).toString();
      reply(res, 302, '', 'text/plain', { location: back.href });
      return true;
    }
    const upload = p === '/upload/gmail/v1/users/me/messages/send';
    if (!(upload || p === '/gmail/v1/users/me/messages/send') || req.method !== 'POST') return false;
    if (!gmailTokens.has((req.headers.authorization ?? '').replace(/^Bearer /, ''))) {
      reply(res, 401, { error: { code: 401, message: 'Request had invalid authentication credentials.', status: 'UNAUTHENTICATED' } });
      return true;
    }
    if (injectedFailure('gmail', res)) return true;
    const body = await readBytes(req);
    let raw, threadId = '';
    if (upload && url.searchParams.get('uploadType') === 'multipart') {
      const got = multipartRelated(body, req.headers['content-type'] ?? '');
      if (!got) return reply(res, 400, { error: { code: 400, message: 'no message/rfc822 part' } }), true;
      ({ raw } = got);
      threadId = got.metadata.threadId ?? '';
    } else if (upload) {
      raw = body;
    } else {
      const json = JSON.parse(body.toString('utf8') || '{}');
      raw = Buffer.from(String(json.raw ?? ''), 'base64url');
      threadId = json.threadId ?? '';
    }
    const m = deliver('gmail', raw, threadId);
    reply(res, 200, { id: m.legacy, threadId: threadId || m.legacy, labelIds: ['SENT'] });
    return true;
  }

  // Graph's tokens are the demo Microsoft sign-in's (demo/server.mjs): ask that server whether
  // it knows this one, through a Graph route it guards.
  async function graphAuthorized(authorization) {
    const probe = `${outlookBase}/v1.0/me/messages?$filter=${encodeURIComponent("conversationId eq 'probe'")}`;
    const res = await fetch(probe, { headers: { authorization: authorization ?? '' } });
    return res.ok;
  }

  async function outlookRoutes(req, res) {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (await common('outlook', req, res, url)) return true;
    if (url.pathname !== '/v1.0/me/sendMail' || req.method !== 'POST') return false;
    if (!(await graphAuthorized(req.headers.authorization))) {
      reply(res, 401, { error: { code: 'InvalidAuthenticationToken', message: 'Access token is empty or invalid.' } });
      return true;
    }
    if (injectedFailure('outlook', res)) return true;
    const body = await readBytes(req);
    if (body.length > graphLimit) return reply(res, 413, { error: { code: 'RequestEntityTooLarge' } }), true;
    if (!/^text\/plain/.test(req.headers['content-type'] ?? '')) {
      return reply(res, 400, { error: { code: 'ErrorMimeContentInvalid', message: 'MIME content must be base64 text/plain' } }), true;
    }
    deliver('outlook', Buffer.from(body.toString('latin1').replace(/\s+/g, ''), 'base64'), '');
    reply(res, 202);
    return true;
  }

  intercept(gmail, gmailRoutes);
  intercept(outlook, outlookRoutes);
  return {
    policy: { gmailApiBase: gmailBase, googleAuthorize: `${gmailBase}/o/oauth2/v2/auth`, googleClientId: demoGoogleClientId },
    deliverFile: (raw, expect) => add(`added-${String(++added).padStart(3, '0')}`, raw, expect),
  };
}

// intercept puts routes in front of a server's own request handler.
function intercept(server, routes) {
  const others = server.listeners('request');
  server.removeAllListeners('request');
  server.on('request', (req, res) => {
    routes(req, res).then((handled) => {
      if (!handled) for (const l of others) l.call(server, req, res);
    }, (err) => reply(res, 500, String(err?.message ?? err), 'text/plain'));
  });
}
