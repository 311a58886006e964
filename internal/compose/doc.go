// Package compose writes outgoing mail and signs it with S/MIME.
//
// Two ways in, one way out:
//
//	m, err := compose.Build(draft)     // a new message: headers, text, HTML, attachments
//	m, err := compose.Prepare(raw)     // a complete message from disk (mailseal sign)
//	out, err := compose.SignDetached(m, identity, now) // multipart/signed, what the extension sends
//	out, err := compose.SignOpaque(m, identity, now)   // application/pkcs7-mime signed-data
//
// A Message is split the way S/MIME signs it: the RFC 5322 fields (From, To,
// Subject, Date, ...) stay outside, the MIME entity (its Content-* fields and
// body) is what the signature covers. Recipients' clients hash the entity as
// it arrives, so it is written only in forms no relay alters: 7-bit, CRLF, lines
// of at most 76 octets in bodies, no white space before a line break, no line
// starting with "From " — quoted-printable for text that needs it, base64 for
// everything else.
//
// Signing checks the identity again at the signing time (keys.CheckAt) and
// refuses a From address the certificate does not name (ErrFromMismatch). The
// digest is SHA-256, SHA-384 for P-384 keys and SHA-512 for P-521; the signed
// attributes are content-type, messageDigest, signingTime and SMIMECapabilities;
// the certificate set holds the signer and its intermediates. go-message writes
// the header fields (RFC 2047 for non-ASCII) and multipart bodies; the CMS
// SignedData comes from internal/cms.
package compose
