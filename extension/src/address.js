// The one shape of an email address mailseal reads out of text: a header field of a raw message,
// a tab's title, a recipient the user typed. atext and dots, "@", then letters, digits, hyphens
// and dots. What is sent is parsed again by the core (Go's net/mail), which has the last word.
const source = "[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?";

/** findAddresses gives every address in text, in order. */
export function findAddresses(text) {
  return String(text ?? '').match(new RegExp(source, 'g')) ?? [];
}

/**
 * isAddress says whether s is one deliverable-looking address and nothing else: the shape above,
 * no empty dot-separated piece on either side, and a domain of at least two labels.
 */
export function isAddress(s) {
  if (typeof s !== 'string' || s.length > 254 || !new RegExp(`^${source}$`).test(s)) return false;
  const [local, domain] = s.split('@');
  return local.length <= 64 && !local.split('.').includes('') && domain.split('.').length >= 2 && !domain.split('.').includes('');
}
