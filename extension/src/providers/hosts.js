// @ts-check
// Which provider serves a page: one map from host to provider (as Mailvelope's detectHost does).
// The demo build adds hosts (with port) from its demo policy; production knows only these.

export const providerHosts = Object.freeze({
  'mail.google.com': 'gmail',
  'outlook.office.com': 'outlook',
  'outlook.office365.com': 'outlook',
  'outlook.live.com': 'outlook',
});

// What shared code says of each webmail, so that it never branches on a provider's name: the
// name people know it by, the API mail is sent through, and whether mailseal's support for it is
// still experimental (Outlook's page is read without a public API for it; the banner says so).
export const webmails = Object.freeze({
  gmail: Object.freeze({ name: 'Gmail', api: 'Gmail API', experimental: false }),
  outlook: Object.freeze({ name: 'Outlook', api: 'Microsoft Graph', experimental: true }),
});

/** webmailOf is what the table says of provider, or null for a name it does not know. */
export function webmailOf(provider) {
  return Object.hasOwn(webmails, provider) ? webmails[provider] : null;
}

/** webmailName is the name people know provider by. */
export function webmailName(provider) {
  return webmailOf(provider)?.name ?? 'the webmail';
}

/** @returns {'gmail'|'outlook'|null} */
export function providerNameFor(url, extraHosts = {}) {
  let u;
  try { u = new URL(url); } catch { return null; }
  if (u.protocol === 'https:' && Object.hasOwn(providerHosts, u.hostname)) return providerHosts[u.hostname];
  if (u.protocol === 'http:' && Object.hasOwn(extraHosts, u.host)) return extraHosts[u.host];
  return null;
}
