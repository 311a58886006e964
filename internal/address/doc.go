// Package address binds a message's author to a signer certificate: it reads
// the single From mailbox of the raw header and finds it among the
// certificate's addresses.
//
// A valid signature from alice@example.com on a message whose From says
// boss@bank.example proves nothing about the boss: the signature binds the
// certificate's addresses, and only a From that is one of them may be shown
// as signed by that identity. RFC 8550 §3 makes receivers check that the
// From or Sender address is one of the certificate's; mailseal binds From,
// the address a reader sees, and the CA/B Forum S/MIME BR validate exactly
// the SAN addresses (§3.2.2).
//
// Call [FromHeader] on the raw header block, then [Match] with the signer
// certificate. [SenderHeader] gives the Sender mailbox for callers that
// want to mention it.
//
// # From
//
// RFC 5322 §3.6.2 allows one From field; it may list several mailboxes, but
// then there is no single author, so FromHeader refuses both
// ([ErrSeveralFrom]), counting fields by name case-insensitively in the raw
// bytes (also "From :" with white space before the colon, RFC 5322 §4.5).
// Folded lines are unfolded, RFC 2047 encoded words are decoded in the
// display name only, comments and groups (flattened) are understood, and
// UTF-8 in addresses is accepted (RFC 6532). The display name carries no
// weight: in `"boss@bank.example" <eve@evil.example>` the address is eve's.
//
// # Certificate addresses
//
// rfc822Name and SmtpUTF8Mailbox (RFC 9598) subjectAltNames; the subject's
// emailAddress attribute only when there is neither, as RFC 8550 §3 still
// allows for old certificates.
//
// # Comparing
//
// [Equal] splits at the last '@'. Domains are compared after UTS #46
// processing for lookup (non-transitional) in A-label form, so
// "bücher.example" equals "xn--bcher-kva.example" and "EXAMPLE.com" equals
// "example.com", while a Cyrillic "е" makes a different domain. Local parts
// that are ASCII compare ignoring ASCII case, which is how mailbox providers
// and CAs treat them though RFC 5321 allows otherwise; non-ASCII local parts
// compare after NFC, exactly, never case-folded (RFC 5321 §2.4 leaves
// the meaning of a local part to the mailbox's host). Sub-addresses ("+tag") and dots are
// part of the mailbox and must match.
package address
