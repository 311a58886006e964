// The line recipients' banner will show for the user's own identity, in the banner's words
// (view/headline.js): the compose window says it above the message, the identity page beside the
// certificate. A chain no bundled or configured root vouches for shows no identity to recipients,
// and the line says so instead of naming one.
import { headline } from '../view/headline.js';

/** signedAs is the banner line for identity summary s sending from address from. */
export function signedAs(s, from = '') {
  const email = s.addresses.find((a) => a.toLowerCase() === from.toLowerCase()) ?? s.addresses[0] ?? '';
  return headline({
    status: s.trusted ? 'valid' : 'untrusted',
    level: s.level,
    // The core's English words (keys.Summary.Banner) are for the certificate's first address.
    banner: s.trusted && email === s.addresses[0] ? s.banner : undefined,
    signer: { email, name: s.name, organization: s.organization, country: s.country, title: s.title },
  });
}

/** signedAsLevel is what the line's look follows: the level when trusted, else 'untrusted'. */
export const signedAsLevel = (s) => (s.trusted ? s.level : 'untrusted');
