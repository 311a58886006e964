// Package keys holds the user's signing identity: a certificate, its private key
// and the intermediates recipients need, imported from PKCS #12 and kept at rest
// only in encrypted form.
//
// The life of an identity:
//
//	id, err := keys.Import(p12, password)      // .p12/.pfx, modern (AES-256 PBES2) or legacy (3DES/RC2)
//	sum := keys.Describe(id, time.Now(), nil)  // what to show: addresses, issuer, validity, level
//	sealed, err := keys.Seal(id, passphrase)   // what extension storage keeps
//	id, err = keys.Open(sealed, passphrase)    // unlock for signing
//	p12, err = keys.Export(id, password)       // hand it back as modern PKCS #12
//
// Import refuses a certificate that cannot sign mail and says why in a sentence
// (a *Refusal, which errors.Is ErrRefused); CheckAt applies the same rules at a
// given time, and signers call it again at signing time. Errors a caller acts on
// are sentinels.
//
// An unlocked identity can be kept for a while as a session (NewSession, OpenSession):
// its key under a random session key, stored apart from the session (session.go).
//
// Sealed format (version 1), all lengths big-endian:
//
//	"MSEALKEY" | version u8 = 1 | kdf u8 = 1 (scrypt) | log2 N u8 | r u8 | p u8
//	| salt <u8-length> | nonce <u8-length> | check <u8-length>
//	| certificates <u24-length> of <u24-length> DER, signer first
//	| ciphertext <u32-length>
//
// scrypt(NFC(passphrase), salt, N, r, p) gives 48 bytes: the first 32 are the
// AES-256-GCM key, the last 16 are stored as check, so that a wrong passphrase
// is told apart from a damaged file. The GCM plaintext is the PKCS #8 private
// key; everything before the ciphertext is the additional data, so the
// certificates travel in clear (a locked identity can still be shown) yet any
// change to them, or to the parameters, makes Open fail. Open refuses KDF
// parameters weaker than Seal's defaults or heavy enough to exhaust memory.
//
// Nothing here logs; an Identity formats as its certificate's subject, never as
// its key.
package keys
