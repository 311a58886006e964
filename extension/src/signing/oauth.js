// Access tokens for sending, through the browser's identity API (launchWebAuthFlow), kept in
// storage.session (never in a content script, gone when the browser closes).
//
//   Gmail: scope https://www.googleapis.com/auth/gmail.send, implicit grant (response_type=token):
//          Google's token endpoint needs a client secret for web-application clients, which an
//          extension cannot keep; the token lives an hour and is asked for again silently.
//   Graph: scope Mail.Send, authorization code with PKCE (a public client, no secret), as
//          background/graph.js does for reading; its own token, so reading never holds Mail.Send.
// Each first tries without a prompt and asks interactively only when that fails.
import { ext } from '../platform.js';
import { toBase64 } from '../bytes.js';
import { sendEndpoints } from './endpoints.js';
import { SendError } from './errors.js';

export const gmailScope = 'https://www.googleapis.com/auth/gmail.send';
export const graphScopes = 'openid offline_access Mail.Send';

function base64url(bytes) {
  return toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const randomText = (n) => base64url(crypto.getRandomValues(new Uint8Array(n)));

async function saved(key) {
  const { [key]: t } = await ext.storage.session.get(key);
  return t && t.expiresAt > Date.now() + 60_000 ? t : null;
}

// webAuth runs the flow silently, then (if allowed) with a window, and returns the redirect's parameters.
async function webAuth(url, interactive) {
  let lastError;
  for (const withWindow of interactive ? [false, true] : [false]) {
    try {
      const back = new URL(await ext.identity.launchWebAuthFlow({ url, interactive: withWindow }));
      return new URLSearchParams(back.hash.length > 1 ? back.hash.slice(1) : back.search);
    } catch (err) {
      lastError = err;
    }
  }
  throw new SendError('signin', `Signing in was not completed (${lastError?.message ?? lastError}).`);
}

/** forget drops a token the provider refused, so that the next send signs in again. */
export async function forgetToken(provider) {
  await ext.storage.session.remove(provider === 'gmail' ? 'gmailSendToken' : 'graphSendToken');
}

export async function gmailToken({ account = '', interactive = true } = {}) {
  const t = await saved('gmailSendToken');
  if (t && (!account || t.account === account)) return t.accessToken;
  const { googleAuthorize, googleClientId } = await sendEndpoints();
  if (!googleClientId) throw new SendError('setup', 'Sending through Gmail needs a Google OAuth client id (the signing identity page of mailseal, reached from its options).');
  const state = randomText(16);
  const url = new URL(googleAuthorize);
  url.search = new URLSearchParams({
    client_id: googleClientId, response_type: 'token', redirect_uri: ext.identity.getRedirectURL(),
    scope: gmailScope, state, include_granted_scopes: 'true', ...(account ? { login_hint: account } : {}),
  });
  const params = await webAuth(url.href, interactive);
  if (params.get('state') !== state || !params.get('access_token')) {
    throw new SendError('signin', `Google sign-in did not complete: ${params.get('error') ?? 'no token'}.`);
  }
  const granted = params.get('scope');
  if (granted && !granted.split(' ').includes(gmailScope)) {
    throw new SendError('signin', 'Google did not grant mailseal permission to send mail.');
  }
  const token = { accessToken: params.get('access_token'), account, expiresAt: Date.now() + Number(params.get('expires_in') ?? 3600) * 1000 };
  await ext.storage.session.set({ gmailSendToken: token });
  return token.accessToken;
}

export async function graphSendToken({ interactive = true } = {}) {
  const t = await saved('graphSendToken');
  if (t) return t.accessToken;
  const { authority, outlookClientId } = await sendEndpoints();
  if (!outlookClientId) throw new SendError('setup', 'Sending through Outlook needs an app registration id (mailseal options).');
  const verifier = randomText(32);
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  const state = randomText(16);
  const redirectUri = ext.identity.getRedirectURL();
  const url = new URL(`${authority}/oauth2/v2.0/authorize`);
  url.search = new URLSearchParams({
    client_id: outlookClientId, response_type: 'code', redirect_uri: redirectUri, scope: graphScopes,
    code_challenge: challenge, code_challenge_method: 'S256', state,
  });
  const params = await webAuth(url.href, interactive);
  if (params.get('state') !== state || !params.get('code')) {
    throw new SendError('signin', `Microsoft sign-in did not complete: ${params.get('error') ?? 'no code'}.`);
  }
  const res = await fetch(`${authority}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: outlookClientId, scope: graphScopes, grant_type: 'authorization_code',
      code: params.get('code'), redirect_uri: redirectUri, code_verifier: verifier,
    }),
  });
  if (!res.ok) throw new SendError('signin', `Microsoft sign-in failed (${res.status}).`);
  const body = await res.json();
  await ext.storage.session.set({
    graphSendToken: { accessToken: body.access_token, expiresAt: Date.now() + (body.expires_in ?? 3600) * 1000 },
  });
  return body.access_token;
}
