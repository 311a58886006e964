// Outlook on the web through Microsoft Graph (experimental; docs/outlook.md says why and how).
//
// A token comes from the authorization-code flow with PKCE run by the browser's identity API
// (launchWebAuthFlow): silently (prompt=none) when a message opens, interactively only when the
// user presses "Connect Outlook" (popup, first-run page). Tokens live in storage.session, never in a content
// script. The raw message is GET /me/messages/{id}/$value, read as bytes.
import { ext } from '../platform.js';
import { RawFetcher, RawUnavailable } from '../rawfetch.js';
import { policy } from './trust.js';
import { loadSettings } from './settings.js';
import { toBase64 } from '../bytes.js';

const scopes = 'openid offline_access Mail.Read';
const fetcher = new RawFetcher();

async function endpoints() {
  const [p, s] = await Promise.all([policy(), loadSettings()]);
  return { graphBase: p.graphBase, authority: p.authority, clientId: p.outlookClientId || s.outlookClientId };
}

function base64url(bytes) {
  return toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

// One sign-in at a time, shared by every request that needs a token: two Outlook tabs opening
// messages at once would otherwise start two flows, and the browser refuses the second
// ("another authorization flow is in progress"), which showed as a message not fetched. A
// request that wants the interactive flow waits for a silent one first.
let signingIn = null; // {interactive, promise}

export function graphToken({ interactive = false } = {}) {
  if (signingIn && (signingIn.interactive || !interactive)) return signingIn.promise;
  if (signingIn) return signingIn.promise.catch(() => graphToken({ interactive }));
  const promise = signIn(interactive).finally(() => { if (signingIn?.promise === promise) signingIn = null; });
  signingIn = { interactive, promise };
  return promise;
}

async function signIn(interactive) {
  const { graphToken: saved } = await ext.storage.session.get('graphToken');
  if (saved && saved.expiresAt > Date.now() + 60_000) return saved.accessToken;
  const { authority, clientId } = await endpoints();
  if (!clientId) throw new RawUnavailable('Outlook needs an app registration id (mailseal options)');
  if (saved?.refreshToken) {
    try { return await redeem({ grant_type: 'refresh_token', refresh_token: saved.refreshToken }, authority, clientId); } catch { /* sign in again */ }
  }
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  const state = base64url(crypto.getRandomValues(new Uint8Array(16)));
  const redirectUri = ext.identity.getRedirectURL();
  const url = new URL(`${authority}/oauth2/v2.0/authorize`);
  url.search = new URLSearchParams({
    client_id: clientId, response_type: 'code', redirect_uri: redirectUri, scope: scopes,
    code_challenge: challenge, code_challenge_method: 'S256', state,
    ...(interactive ? {} : { prompt: 'none' }),
  });
  let redirected;
  try {
    redirected = new URL(await ext.identity.launchWebAuthFlow({ url: url.href, interactive }));
  } catch (err) {
    throw new RawUnavailable(`Outlook is not connected (${err?.message ?? err}); connect it from the mailseal popup`);
  }
  const params = new URLSearchParams(redirected.search || redirected.hash.slice(1));
  if (params.get('state') !== state || !params.get('code')) {
    throw new RawUnavailable(`Outlook sign-in did not complete: ${params.get('error') ?? 'no code'}`);
  }
  return redeem({ grant_type: 'authorization_code', code: params.get('code'), redirect_uri: redirectUri, code_verifier: verifier }, authority, clientId);
}

async function redeem(grant, authority, clientId) {
  const res = await fetch(`${authority}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: clientId, scope: scopes, ...grant }),
  });
  if (!res.ok) throw new RawUnavailable(`Outlook token request failed (${res.status})`);
  const t = await res.json();
  await ext.storage.session.set({
    graphToken: { accessToken: t.access_token, refreshToken: t.refresh_token, expiresAt: Date.now() + (t.expires_in ?? 3600) * 1000 },
  });
  return t.access_token;
}

async function graphJSON(path, init = {}) {
  const { graphBase } = await endpoints();
  const token = await graphToken();
  const res = await fetch(`${graphBase}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, prefer: 'IdType="ImmutableId"', ...init.headers },
  });
  if (!res.ok) throw new RawUnavailable(`Graph answered ${res.status} for ${path.split('?')[0]}`);
  return res.json();
}

/**
 * The Graph id of an opened message. locator comes from the Outlook provider: an item id from the
 * page URL (EWS form), or a conversation id and the message's position in the reading pane.
 */
export async function resolveMessageId({ itemId, conversationId, index }) {
  if (itemId) {
    const key = `oi:${itemId}`;
    const { [key]: known } = await ext.storage.session.get(key);
    if (known) return known;
    const out = await graphJSON('/me/translateExchangeIds', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ inputIds: [itemId], sourceIdType: 'ewsId', targetIdType: 'restImmutableEntryId' }),
    });
    const id = out?.value?.[0]?.targetId;
    if (!id) throw new RawUnavailable('Graph could not translate the message id');
    await ext.storage.session.set({ [key]: id });
    return id;
  }
  if (!conversationId || !Number.isInteger(index) || index < 0) throw new RawUnavailable('no message id on the page');
  const key = `oc:${conversationId}`;
  let { [key]: ids } = await ext.storage.session.get(key);
  if (!ids || index >= ids.length) {
    // $orderby with this filter fails ("restriction or sort order is too complex"): sort here.
    const filter = encodeURIComponent(`conversationId eq '${conversationId.replace(/'/g, "''")}'`);
    const out = await graphJSON(`/me/messages?$filter=${filter}&$select=id,receivedDateTime&$top=100`);
    ids = (out.value ?? []).sort((a, b) => String(a.receivedDateTime).localeCompare(String(b.receivedDateTime))).map((m) => m.id);
    await ext.storage.session.set({ [key]: ids });
  }
  if (index >= ids.length) throw new RawUnavailable('the conversation has fewer messages than the page shows');
  return ids[index];
}

/** @returns {Promise<Uint8Array>} the message exactly as Exchange stored it */
export async function rawMessage(id) {
  const { graphBase } = await endpoints();
  const token = await graphToken();
  return fetcher.fetchBytes(`${graphBase}/me/messages/${encodeURIComponent(id)}/$value`, {
    headers: { authorization: `Bearer ${token}`, prefer: 'IdType="ImmutableId"' },
  });
}

/**
 * receivedTime is when Exchange says the message arrived (Graph's receivedDateTime), or null.
 * Mail within one tenant and sent items carry no Received field, and the core then judges the
 * signer's certificate at this time instead of the present. It never throws: without it the
 * core uses the present, which is only stricter.
 * @returns {Promise<string|null>}
 */
export async function receivedTime(id) {
  try {
    const out = await graphJSON(`/me/messages/${encodeURIComponent(id)}?$select=receivedDateTime`);
    const t = out?.receivedDateTime;
    return typeof t === 'string' && !Number.isNaN(Date.parse(t)) ? t : null;
  } catch {
    return null;
  }
}
