// Package classify turns a signer certificate into an identity level and the
// few fields that level allows mailseal to show.
//
// Call [Classify] on the signer certificate, then, only if the chain ends at
// an anchor trusted for email and the From address matched the certificate,
// show [Banner] of the result. The policy OID alone proves nothing: anyone
// can write 2.23.140.1.5.3.3 into a self-signed certificate.
//
// # Levels
//
// The level comes from the one reserved policy of the CA/Browser Forum S/MIME
// Baseline Requirements (BR §7.1.6.1) the certificate carries,
// 2.23.140.1.5.<type>.<generation>, generation 1 legacy, 2 multipurpose, 3
// strict:
//
//	2.23.140.1.5.1.x  mailbox-validated       V1  the address
//	2.23.140.1.5.4.x  individual-validated    V2  the person's name
//	2.23.140.1.5.2.x  organization-validated  V3  the organization and its country
//	2.23.140.1.5.3.x  sponsor-validated       V4  the person, the organization, a title
//
// Only what the validation type vouches for is shown (BR §7.1.4.2.3 to
// §7.1.4.2.6): a mailbox-validated certificate with an O= shows the address
// alone; an individual-validated one never shows an organization. Extra
// CA-specific policies (§7.1.6.4) are ignored, and so are OIDs under
// 2.23.140.1.5 that are not one of the twelve reserved ones.
//
// These certificates are shown as V1, address only, and the Reason says why:
//   - no reserved policy (older, private, enterprise and eIDAS-only
//     certificates): nothing but the address is known to be validated, and a
//     level is never guessed from the subject;
//   - more than one reserved policy: non-conformant (§7.1.6.1 allows one), and
//     picking either would be a guess;
//   - an individual- or sponsor-validated certificate that names no person, or
//     an organization- or sponsor-validated one with no organizationName: the
//     field the level would show is missing.
//
// # Names
//
// A name attribute (CN, givenName, surname, pseudonym) counts only when it
// has a letter and no "@": a mailbox in a name field would read, next to the
// banner's own address, as a second address. For V2 and V4 the name is, in
// this order (§7.1.4.2.2a):
//   - the pseudonym attribute, flagged as a pseudonym, when there is one (also
//     when the subject wrongly mixes it with givenName/surname: the weaker
//     claim wins);
//   - the commonName, when it is a personal name (it has a letter and is not
//     a mailbox) and, if givenName/surname are present, consists of exactly
//     them in either order (case, spaces and ",.-" ignored), so "YAMADA
//     Hanako" and "黄恒" keep the form the person uses while a CN that adds a
//     job or a company to the name is not shown;
//   - givenName then surname, or surname then givenName with no space when
//     every letter is Han, Hiragana, Katakana or Hangul ("山田花子");
//   - the commonName alone: Legacy certificates may carry only a CN
//     (§7.1.4.2.5). A Legacy CN may itself be a pseudonym without saying so;
//     nothing in the certificate can tell.
//
// # Country
//
// V3 shows the countryName next to the organization, "Acme Ltd (GB)": the
// same organization validation (§3.2.3) that vouches for the name vouches for
// its country, and the country tells apart organizations of the same name. V4
// shows it the same way, for the same reason. Codes that name no country
// ("XX", which §7.1.4.2.2 allows, and the other ISO 3166-1 user-assigned
// codes) and malformed ones are left out.
//
// # Display text
//
// Every field goes through [CleanText] before it is stored or shown: NFC,
// no control or format characters (bidi overrides and isolates, zero-width
// characters, BOM), collapsed white space, a cap on stacked combining marks
// and on length. The banner is plain text; the caller still renders it as
// text, never as HTML.
package classify
