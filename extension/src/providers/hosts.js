// @ts-check
// Which provider serves a page: one map from host to provider (as Mailvelope's detectHost does).
// The demo build adds hosts (with port) from its demo policy; production knows only these.

export const providerHosts = Object.freeze({
  'mail.google.com': 'gmail',
  'outlook.office.com': 'outlook',
  'outlook.office365.com': 'outlook',
  'outlook.live.com': 'outlook',
});

/** @returns {'gmail'|'outlook'|null} */
export function providerNameFor(url, extraHosts = {}) {
  let u;
  try { u = new URL(url); } catch { return null; }
  if (u.protocol === 'https:' && Object.hasOwn(providerHosts, u.hostname)) return providerHosts[u.hostname];
  if (u.protocol === 'http:' && Object.hasOwn(extraHosts, u.host)) return extraHosts[u.host];
  return null;
}
