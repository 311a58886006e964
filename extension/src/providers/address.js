// @ts-check
// The one pattern for an email address found in text (a page title, the sender shown above a
// message, a header field): RFC 5322 atext before the '@', a domain of at least two labels of
// letters, digits and inner hyphens after it. What it finds is only ever compared with what a
// verified message or the browser says, never trusted on its own.
const pattern = "[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+";

/** addressesIn gives every address in text, lower-cased, in order. */
export function addressesIn(text) {
  return (String(text ?? '').match(new RegExp(pattern, 'g')) ?? []).map((a) => a.toLowerCase());
}

/** firstAddress gives the first address in text, lower-cased, or null. */
export function firstAddress(text) {
  return addressesIn(text)[0] ?? null;
}

/**
 * isAddress says whether s is one address and nothing else: the pattern above, at most 254
 * characters (64 before the '@'), no empty dot-separated piece before the '@'. The core parses
 * what is sent again (Go's net/mail) and has the last word.
 * @param {unknown} s
 */
export function isAddress(s) {
  if (typeof s !== 'string' || s.length > 254 || !new RegExp(`^${pattern}$`).test(s)) return false;
  const local = s.slice(0, s.lastIndexOf('@'));
  return local.length <= 64 && !local.split('.').includes('');
}
