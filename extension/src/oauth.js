// @ts-check
// Sign-in, for reading and for sending, through the browser's identity API
// (launchWebAuthFlow). Tokens live in storage.session: never in a content script, gone when the
// browser closes. Each flow first runs without a window and shows one only when interactive.
//
//   Microsoft  authorization code with PKCE (a public client, no secret). Reading (Mail.Read, a
//              message opened in Outlook) and sending (Mail.Send, the compose window) keep
//              separate tokens, so that reading never holds Mail.Send.
//   Google     scope gmail.send, implicit grant (response_type=token): Google's token endpoint
//              needs a client secret for web-application clients, which an extension cannot keep;
//              the token lives an hour and is asked for again silently.
//
// One sign-in per token at a time, shared by every request that needs it: two Outlook tabs
// opening messages at once would otherwise start two flows, and the browser refuses the second
// ("another authorization flow is in progress"). A request that wants a window waits for a
// silent flow first.
import { ext } from './platform.js';
import { toBase64 } from './bytes.js';
import { endpoints } from './config.js';
import { RequestError } from './protocol.js';

export const gmailScope = 'https://www.googleapis.com/auth/gmail.send';

// What each Microsoft token is for, and what the user reads when it cannot be had.
const microsoft = Object.freeze({
  read: {
    scopes: 'openid offline_access Mail.Read', key: 'graphToken',
    setup: 'Outlook needs an app registration id (mailseal options)',
    notSignedIn: (why) => `Outlook is not connected (${why}); connect it from the mailseal popup`,
  },
  send: {
    scopes: 'openid offline_access Mail.Send', key: 'graphSendToken',
    setup: 'Sending through Outlook needs an app registration id (mailseal options).',
    notSignedIn: (why) => `Signing in was not completed (${why}).`,
  },
});

function base64url(bytes) {
  return toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const randomText = (n) => base64url(crypto.getRandomValues(new Uint8Array(n)));

async function saved(key) {
  const { [key]: t } = await ext.storage.session.get(key);
  return t && t.expiresAt > Date.now() + 60_000 ? t : null;
}

// webAuth runs the flow without a window, then (if interactive) with one, and returns the
// redirect's parameters. silent(url) adds what asks the provider not to prompt.
async function webAuth(url, interactive, silent, notSignedIn) {
  let lastError;
  for (const withWindow of interactive ? [false, true] : [false]) {
    try {
      const back = new URL(await ext.identity.launchWebAuthFlow({ url: withWindow ? url.href : silent(url).href, interactive: withWindow }));
      return new URLSearchParams(back.hash.length > 1 ? back.hash.slice(1) : back.search);
    } catch (err) {
      lastError = err;
    }
  }
  throw new RequestError('signin', notSignedIn(lastError?.message ?? lastError));
}

const flows = new Map(); // token key → {interactive, promise}

// once runs sign-in for key unless one is running: a silent request shares any running flow; an
// interactive one shares an interactive flow and waits out a silent one, then tries itself.
function once(key, interactive, signIn) {
  const running = flows.get(key);
  if (running && (running.interactive || !interactive)) return running.promise;
  if (running) return running.promise.catch(() => once(key, interactive, signIn));
  const promise = signIn().finally(() => { if (flows.get(key)?.promise === promise) flows.delete(key); });
  flows.set(key, { interactive, promise });
  return promise;
}

/**
 * microsoftToken is an access token for Microsoft Graph, for reading or for sending.
 * @param {'read'|'send'} purpose
 * @returns {Promise<string>}
 */
export function microsoftToken(purpose, { interactive = false } = {}) {
  const p = microsoft[purpose];
  return once(p.key, interactive, async () => {
    const t = await saved(p.key);
    if (t) return t.accessToken;
    const { authority, outlookClientId: clientId } = await endpoints();
    if (!clientId) throw new RequestError('setup', p.setup);
    const { [p.key]: old } = await ext.storage.session.get(p.key);
    if (old?.refreshToken) {
      try { return await redeem(p, { grant_type: 'refresh_token', refresh_token: old.refreshToken }, authority, clientId); } catch { /* sign in again */ }
    }
    const verifier = randomText(32);
    const challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
    const state = randomText(16);
    const redirectUri = ext.identity.getRedirectURL();
    const url = new URL(`${authority}/oauth2/v2.0/authorize`);
    url.search = new URLSearchParams({
      client_id: clientId, response_type: 'code', redirect_uri: redirectUri, scope: p.scopes,
      code_challenge: challenge, code_challenge_method: 'S256', state,
    }).toString();
    const silent = (u) => { const s = new URL(u); s.searchParams.set('prompt', 'none'); return s; };
    const params = await webAuth(url, interactive, silent, p.notSignedIn);
    if (params.get('state') !== state || !params.get('code')) {
      throw new RequestError('signin', `Microsoft sign-in did not complete: ${params.get('error') ?? 'no code'}.`);
    }
    return redeem(p, { grant_type: 'authorization_code', code: params.get('code'), redirect_uri: redirectUri, code_verifier: verifier }, authority, clientId);
  });
}

async function redeem(p, grant, authority, clientId) {
  const res = await fetch(`${authority}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: clientId, scope: p.scopes, ...grant }),
  });
  if (!res.ok) throw new RequestError('signin', `Microsoft sign-in failed (${res.status}).`);
  const t = await res.json();
  await ext.storage.session.set({
    [p.key]: { accessToken: t.access_token, refreshToken: t.refresh_token, expiresAt: Date.now() + (t.expires_in ?? 3600) * 1000 },
  });
  return t.access_token;
}

/** gmailToken is an access token for sending through the Gmail API as account. */
export function gmailToken({ account = '', interactive = true } = {}) {
  return once('gmailSendToken', interactive, async () => {
    const t = await saved('gmailSendToken');
    if (t && (!account || t.account === account)) return t.accessToken;
    const { googleAuthorize, googleClientId } = await endpoints();
    if (!googleClientId) throw new RequestError('setup', 'Sending through Gmail needs a Google OAuth client id (the signing identity page of mailseal, reached from its options).');
    const state = randomText(16);
    const url = new URL(googleAuthorize);
    url.search = new URLSearchParams({
      client_id: googleClientId, response_type: 'token', redirect_uri: ext.identity.getRedirectURL(),
      scope: gmailScope, state, include_granted_scopes: 'true', ...(account ? { login_hint: account } : {}),
    }).toString();
    const params = await webAuth(url, interactive, (u) => u, microsoft.send.notSignedIn);
    if (params.get('state') !== state || !params.get('access_token')) {
      throw new RequestError('signin', `Google sign-in did not complete: ${params.get('error') ?? 'no token'}.`);
    }
    const granted = params.get('scope');
    if (granted && !granted.split(' ').includes(gmailScope)) {
      throw new RequestError('signin', 'Google did not grant mailseal permission to send mail.');
    }
    const token = { accessToken: params.get('access_token'), account, expiresAt: Date.now() + Number(params.get('expires_in') ?? 3600) * 1000 };
    await ext.storage.session.set({ gmailSendToken: token });
    return token.accessToken;
  });
}

// Where each provider's sending token is kept (storage.session).
const sendTokenKeys = Object.freeze({ gmail: 'gmailSendToken', outlook: microsoft.send.key });

/** forgetToken drops a token the provider refused, so that the next use signs in again. */
export async function forgetToken(provider) {
  await ext.storage.session.remove(sendTokenKeys[provider]);
}
