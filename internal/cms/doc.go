// Package cms reads, verifies and builds CMS SignedData (RFC 5652) as S/MIME uses it, and
// reads, decrypts and builds EnvelopedData and AuthEnvelopedData (RFC 5652, 5083, 5084, 5753):
// ParseEnvelope, Envelope.Decrypt and Encrypt.
package cms
