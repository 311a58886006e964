// @ts-check
// Outlook on the web through Microsoft Graph (experimental; docs/outlook.md says why and how),
// for the background: which Graph message an opened message is, and its raw bytes
// (GET /me/messages/{id}/$value, read as bytes). The token comes from oauth.js: silently when a
// message opens, interactively only when the user presses "Connect Outlook" (popup, first-run
// page, options).
import { ext } from '../platform.js';
import { RawFetcher, unavailable } from '../rawfetch.js';
import { endpoints } from '../config.js';
import { microsoftToken } from '../oauth.js';

const fetcher = new RawFetcher();

async function graphJSON(path, init = {}) {
  const { graphBase } = await endpoints();
  const token = await microsoftToken('read');
  const res = await fetch(`${graphBase}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, prefer: 'IdType="ImmutableId"', ...init.headers },
  });
  if (!res.ok) throw unavailable(`Graph answered ${res.status} for ${path.split('?')[0]}`);
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
    if (!id) throw unavailable('Graph could not translate the message id');
    await ext.storage.session.set({ [key]: id });
    return id;
  }
  if (!conversationId || !Number.isInteger(index) || index < 0) throw unavailable('no message id on the page');
  const key = `oc:${conversationId}`;
  let { [key]: ids } = await ext.storage.session.get(key);
  if (!ids || index >= ids.length) {
    // $orderby with this filter fails ("restriction or sort order is too complex"): sort here.
    const filter = encodeURIComponent(`conversationId eq '${conversationId.replace(/'/g, "''")}'`);
    const out = await graphJSON(`/me/messages?$filter=${filter}&$select=id,receivedDateTime&$top=100`);
    ids = (out.value ?? []).sort((a, b) => String(a.receivedDateTime).localeCompare(String(b.receivedDateTime))).map((m) => m.id);
    await ext.storage.session.set({ [key]: ids });
  }
  if (index >= ids.length) throw unavailable('the conversation has fewer messages than the page shows');
  return ids[index];
}

/** @returns {Promise<Uint8Array>} the message exactly as Exchange stored it */
export async function rawMessage(id) {
  const { graphBase } = await endpoints();
  const token = await microsoftToken('read');
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
