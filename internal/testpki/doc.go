// Package testpki is the fixture CA of mailseal's tests: a root, an intermediate
// and every end-entity certificate profile the verifier must classify and judge,
// minted in code so that nothing in the repository expires.
//
// Everything is deterministic. The keys are fixed (keys.pem, published test keys
// that nothing trusts), certificates are signed with RSA PKCS #1 v1.5, serial
// numbers derive from the profile, and validity is relative to Epoch. New returns
// the same PKI every time:
//
//	pki := testpki.New()
//	alice, err := pki.Issue(testpki.Profile{Email: "alice@example.com",
//		Policies: []asn1.ObjectIdentifier{testpki.Policy(testpki.Mailbox, testpki.Strict)}})
//	msg, err := testpki.SignedMessage(testpki.Header{From: "Alice <alice@example.com>"},
//		testpki.TextContent("Hello\r\n"), []*testpki.Identity{alice}, cms.SignOptions{Detached: true})
//
// Signatures are deterministic too where the algorithm allows it: RSA PKCS #1 v1.5
// and Ed25519 always, ECDSA through RFC 6979 (the keys' Sign ignores the random
// source), RSA-PSS only in a program built with GODEBUG cryptocustomrand=1 (the
// vector generator is), which lets the salt come from the digest.
//
// The message builders write RFC 5322 messages around signed entities, and the
// MIME shapes of known attacks (mailing-list footers, prepended text, attached
// signed messages, several From fields). cmd/genvectors turns them into
// testdata/vectors.
package testpki
