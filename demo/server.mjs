// The demo webmail: two small web apps on 127.0.0.1 that reproduce the structure of Gmail's and
// Outlook on the web's message views and their raw-message routes, so that the extension's real
// provider code runs on them unchanged. See demo/README.md.
//
//	node demo/server.mjs [--gmail-port 8701] [--outlook-port 8702]
//
// Gmail  (http://127.0.0.1:<gmail-port>/mail/u/0/):   the thread view (div.adn[data-message-id]
//        [data-legacy-message-id] > .ii.gt > .a3s) and the "download original" route
//        /mail/u/<n>/?view=att&th=<legacy id>&attid=0&disp=comp&safe=1&zw (raw bytes).
// Outlook (http://127.0.0.1:<outlook-port>/mail/):     the reading pane ([data-app-section=
//        MailReadCompose], [aria-label="Message body"]), the list with data-convid, deep links
//        /mail/inbox/id/<conversation id>, a Graph-like /v1.0/me/messages/{id}/$value with
//        $filter=conversationId and translateExchangeIds, and an OAuth authorize/token endpoint
//        (authorization code + PKCE) that signs the demo user in without a prompt.
import { createServer } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadInbox } from './vectors.mjs';
import { mountSendApi } from './send-api.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');

export const demoAccount = 'demo@mailseal.test';
export const demoClientId = '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b';

// threads: one per message, plus one conversation holding several signed messages (both
// webmails open every message of it at once).
function threadsOf(inbox) {
  const threads = inbox.map((m) => ({ id: m.legacy, convId: m.convId, subject: m.subject, members: [m] }));
  const several = inbox.filter((m) => m.expect.expect === 'valid').slice(0, 3);
  // A conversation in which Graph lists a message OWA does not show (one in Deleted Items, say),
  // dated first: matching by position picks it, and the sender check must refuse the verdict.
  const visible = inbox.find((m) => m.expect.level === 'V3');
  const hidden = inbox.find((m) => m.expect.expect === 'valid' && m.fromEmail !== visible?.fromEmail);
  if (visible && hidden) {
    threads.push({ id: 'thread-hidden-message', convId: 'AAQkADaGlkZGVu/+hidden=', subject: 'Conversation: Graph lists a hidden message', members: [visible], graphOnly: [hidden] });
  }
  if (several.length >= 2) {
    threads.push({ id: 'thread-several', convId: 'AAQkADdGhyZWFkLXNldmVyYWw/+several=', subject: 'Conversation: several signed messages', members: several });
  }
  return threads;
}

function publicView(inbox, threads) {
  const byName = (m) => ({
    name: m.name, itemId: m.itemId, description: m.expect.description ?? m.expect.demo ?? '', expect: m.expect.expect ?? '', legacy: m.legacy, perm: m.perm, convId: m.convId, subject: m.subject, from: m.from,
    fromEmail: m.fromEmail, date: m.date, body: m.body, attachments: m.attachments,
  });
  return { account: demoAccount, threads: threads.map((t) => ({ id: t.id, convId: t.convId, subject: t.subject, hiddenInGraph: Boolean(t.graphOnly), label: t.members.length === 1 ? t.members[0].name : t.id, members: t.members.map(byName) })) };
}

function send(res, status, body, type = 'text/plain; charset=utf-8', extra = {}) {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...extra });
  res.end(body);
}

const statics = {
  '/demo/gmail.js': ['public/gmail.js', 'text/javascript'],
  '/demo/outlook.js': ['public/outlook.js', 'text/javascript'],
  '/demo/common.js': ['public/common.js', 'text/javascript'],
  '/demo/compose.js': ['public/compose.js', 'text/javascript'],
  '/demo/demo.css': ['public/demo.css', 'text/css'],
};

function serveStatic(res, path) {
  const [file, type] = statics[path];
  send(res, 200, readFileSync(join(here, file)), `${type}; charset=utf-8`);
}

function appPage(kind, title) {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title>
<link rel="stylesheet" href="/demo/demo.css"><script type="module" src="/demo/${kind}.js"></script><script type="module" src="/demo/compose.js"></script></head>
<body class="${kind}"><div id="app"></div></body></html>`;
}

// raw returns the message bytes, or null when the demo message is set to fail (demo-fail: raw).
function raw(m) {
  return m.expect['demo-fail'] === 'raw' ? null : m.raw;
}

function gmailHandler(state) {
  return async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (statics[url.pathname]) return serveStatic(res, url.pathname);
    if (url.pathname === '/demo/inbox.json') return send(res, 200, JSON.stringify(state.view), 'application/json');
    // Revocation lists a test publishes (demo.publishCRL), as a CA serves them: plain HTTP.
    if (url.pathname.startsWith('/demo/crl/')) {
      const crl = state.crls.get(url.pathname.slice('/demo/crl/'.length));
      if (crl) state.crlFetches++;
      return crl ? send(res, 200, crl, 'application/pkix-crl') : send(res, 404, 'not found');
    }
    if (url.pathname === '/' ) return send(res, 302, '', undefined, { location: '/mail/u/0/' });
    if (/^\/mail\/u\/\d+\/$/.test(url.pathname)) {
      if (url.searchParams.get('view') === 'att' && url.searchParams.get('disp') === 'comp') {
        const m = state.inbox.find((x) => x.legacy === url.searchParams.get('th'));
        if (!m) return send(res, 404, 'not found');
        const bytes = raw(m);
        state.rawFetches++;
        if (state.rawDelayMillis) await sleep(state.rawDelayMillis);
        // Whether the request came as the page's own (same-origin, so with Gmail's cookies).
        state.lastRawFetchSite = req.headers['sec-fetch-site'] ?? '';
        return bytes ? send(res, 200, bytes, 'message/rfc822') : send(res, 503, 'unavailable');
      }
      // Each /mail/u/<n>/ is another signed-in account, as in Gmail (same inbox, another address).
      const n = Number(url.pathname.split('/')[3]);
      const account = n === 0 ? demoAccount : demoAccount.replace('@', `+${n}@`);
      return send(res, 200, appPage('gmail', `Inbox - ${account} - Gmail (mailseal demo)`), 'text/html; charset=utf-8');
    }
    send(res, 404, 'not found');
  };
}

function b64url(buf) {
  return buf.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function readBody(req) {
  return new Promise((resolve) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function outlookHandler(state) {
  const codes = new Map(); // code → {challenge, redirectUri}
  const tokens = new Set();
  const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'authorization, content-type, prefer' };
  const authorized = (req) => tokens.has((req.headers.authorization ?? '').replace(/^Bearer /, ''));
  return async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const p = url.pathname;
    if (req.method === 'OPTIONS') return send(res, 204, '', undefined, cors);
    if (statics[p]) return serveStatic(res, p);
    if (p === '/demo/inbox.json') return send(res, 200, JSON.stringify(state.view), 'application/json');
    if (p === '/') return send(res, 302, '', undefined, { location: '/mail/inbox' });
    if (p === '/mail' || p.startsWith('/mail/')) return send(res, 200, appPage('outlook', 'Mail - Demo User - Outlook (mailseal demo)'), 'text/html; charset=utf-8');

    if (p === '/common/oauth2/v2.0/authorize') {
      const q = url.searchParams;
      if (q.get('client_id') !== demoClientId || q.get('code_challenge_method') !== 'S256') return send(res, 400, 'bad request');
      const code = b64url(randomBytes(16));
      codes.set(code, { challenge: q.get('code_challenge'), redirectUri: q.get('redirect_uri') });
      const back = new URL(q.get('redirect_uri'));
      back.search = new URLSearchParams({ code, state: q.get('state') ?? '' }).toString();
      state.signIns++;
      return send(res, 302, '', undefined, { location: back.href });
    }
    if (p === '/common/oauth2/v2.0/token' && req.method === 'POST') {
      const form = new URLSearchParams(await readBody(req));
      if (form.get('grant_type') === 'authorization_code') {
        const c = codes.get(form.get('code'));
        codes.delete(form.get('code'));
        const verifier = form.get('code_verifier') ?? '';
        if (!c || b64url(createHash('sha256').update(verifier).digest()) !== c.challenge || c.redirectUri !== form.get('redirect_uri')) {
          return send(res, 400, JSON.stringify({ error: 'invalid_grant' }), 'application/json', cors);
        }
      } else if (form.get('grant_type') !== 'refresh_token' || !tokens.has(form.get('refresh_token'))) {
        return send(res, 400, JSON.stringify({ error: 'invalid_grant' }), 'application/json', cors);
      }
      const access = b64url(randomBytes(24));
      tokens.add(access);
      return send(res, 200, JSON.stringify({ token_type: 'Bearer', access_token: access, refresh_token: access, expires_in: 3600 }), 'application/json', cors);
    }

    if (p.startsWith('/v1.0/')) {
      if (!authorized(req)) return send(res, 401, JSON.stringify({ error: { code: 'InvalidAuthenticationToken' } }), 'application/json', cors);
      if (p === '/v1.0/me/messages' && req.method === 'GET') {
        const m = /^conversationId eq '(.*)'$/.exec(url.searchParams.get('$filter') ?? '');
        const conv = m?.[1].replace(/''/g, "'");
        const thread = state.threads.find((t) => t.convId.replace(/\//g, '-').replace(/\+/g, '_') === conv);
        // Graph lists in its own order; the extension sorts by receivedDateTime.
        const listed = [...(thread?.graphOnly ?? []), ...(thread?.members ?? [])];
        const value = listed.map((x, i) => ({ id: x.graphId, receivedDateTime: new Date(Date.UTC(2026, 0, 1, 9, i)).toISOString() })).reverse();
        return send(res, 200, JSON.stringify({ value }), 'application/json', cors);
      }
      if (p === '/v1.0/me/translateExchangeIds' && req.method === 'POST') {
        const body = JSON.parse((await readBody(req)) || '{}');
        const value = (body.inputIds ?? []).map((id) => ({ sourceId: id, targetId: String(id).replace(/\//g, '-').replace(/\+/g, '_') }));
        return send(res, 200, JSON.stringify({ value }), 'application/json', cors);
      }
      const v = /^\/v1\.0\/me\/messages\/([^/]+)\/\$value$/.exec(p);
      if (v) {
        const m = state.inbox.find((x) => x.graphId === decodeURIComponent(v[1]));
        if (!m) return send(res, 404, JSON.stringify({ error: { code: 'ErrorItemNotFound' } }), 'application/json', cors);
        const bytes = raw(m);
        state.rawFetches++;
        if (state.rawDelayMillis) await sleep(state.rawDelayMillis);
        return bytes ? send(res, 200, bytes, 'text/plain', cors) : send(res, 503, '', 'text/plain', cors);
      }
    }
    send(res, 404, 'not found');
  };
}

function listen(handler, port) {
  return new Promise((resolve, reject) => {
    const server = createServer((req, res) => {
      Promise.resolve(handler(req, res)).catch((err) => send(res, 500, String(err?.message ?? err)));
    });
    server.on('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

/**
 * Starts both demo webmails. Port 0 picks a free port.
 * @returns {Promise<{gmail: string, outlook: string, inbox: object[], threads: object[], state: object, policy: object, close(): Promise<void>}>}
 */
export const defaultVectors = process.env.MAILSEAL_VECTORS ?? join(root, 'testdata', 'vectors');

// rawDelayMillis holds back each raw-message answer (Gmail's download route, Graph's $value) by
// that long, as a real provider's network would: `make latency` uses it to show what overlaps.
export async function startDemo({ gmailPort = 8701, outlookPort = 8702, vectorsDir = defaultVectors, rawDelayMillis = 0 } = {}) {
  const rootPEM = readFileSync(join(vectorsDir, 'root.pem'), 'utf8'); // the fixture root: testdata/vectors/root.pem
  const inbox = loadInbox(vectorsDir, join(here, 'messages'));
  const threads = threadsOf(inbox);
  const state = { inbox, threads, view: publicView(inbox, threads), rawFetches: 0, signIns: 0, crls: new Map(), crlFetches: 0, rawDelayMillis };
  const gs = await listen(gmailHandler(state), gmailPort);
  const os = await listen(outlookHandler(state), outlookPort);
  const gmail = `http://127.0.0.1:${gs.address().port}`;
  const outlook = `http://127.0.0.1:${os.address().port}`;
  // The Gmail API's and Graph's send routes (demo/send-api.mjs): sent mail lands in this inbox.
  const sendApi = mountSendApi(state, { gmail: gs, outlook: os, gmailBase: gmail, outlookBase: outlook, refresh: () => { state.view = publicView(state.inbox, state.threads); } });
  return {
    gmail, outlook, inbox, threads, state,
    policy: { ...demoPolicy({ gmail, outlook, rootPEM }), ...sendApi.policy },
    // deliver puts a message in the inbox, with its expectation (the lines of a NAME.expect file).
    deliver: (raw, expect) => sendApi.deliverFile(raw, expect),
    publishCRL: (name, der) => { state.crls.set(name, der); return `${gmail}/demo/crl/${name}`; },
    close: () => Promise.all([gs, os].map((s) => new Promise((r) => { s.closeAllConnections?.(); s.close(r); }))),
  };
}

// demoPolicy is the demo build's stand-in for an administrator's managed storage: the fixture
// root trusted as a company would trust its own CA, and where the two demo webmails live.
export function demoPolicy({ gmail, outlook, rootPEM }) {
  return {
    roots: [rootPEM],
    hosts: { [new URL(gmail).host]: 'gmail', [new URL(outlook).host]: 'outlook' },
    graphBase: `${outlook}/v1.0`,
    authority: `${outlook}/common`,
    outlookClientId: demoClientId,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (n, d) => { const i = process.argv.indexOf(n); return i > 0 ? Number(process.argv[i + 1]) : d; };
  const demo = await startDemo({ gmailPort: arg('--gmail-port', 8701), outlookPort: arg('--outlook-port', 8702) });
  console.log(`demo: Gmail   ${demo.gmail}/mail/u/0/`);
  console.log(`demo: Outlook ${demo.outlook}/mail/inbox`);
  console.log(`demo: ${demo.inbox.length} messages`);
}
