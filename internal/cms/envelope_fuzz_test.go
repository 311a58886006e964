package cms_test

import (
	"crypto/x509"
	"testing"

	"github.com/mailseal/mailseal/internal/cms"
	"github.com/mailseal/mailseal/internal/fuzzlimit"
	"github.com/mailseal/mailseal/internal/testpki"
)

// FuzzEnvelope parses an EnvelopedData or AuthEnvelopedData and decrypts it with an RSA and
// an EC key whose certificates the seeds name. Whatever the input: no panic, and the work
// of one input (at most MaxDecryptAttempts private-key operations) within fuzzlimit.
func FuzzEnvelope(f *testing.F) {
	rsaID := recipient(f, testpki.RSA2048, "bob@example.org")
	ecID := recipient(f, testpki.P256, "carol@example.org")
	to := []*x509.Certificate{rsaID.Certificate, ecID.Certificate}
	for _, opts := range []cms.EncryptOptions{{}, {Authenticated: true}, {OAEP: true}, {OAEP: true, Authenticated: true}} {
		der, err := cms.Encrypt(secret, to, opts)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(der)
	}
	keys := []cms.Key{keyOf(rsaID), keyOf(ecID)}
	f.Fuzz(func(t *testing.T, der []byte) {
		fuzzlimit.Run(t, func() {
			env, err := cms.ParseEnvelope(der)
			if err != nil {
				return
			}
			env.ContentCipher()
			if _, used, err := env.Decrypt(keys); err == nil && used == nil {
				t.Fatal("decrypted without naming the key")
			}
		})
	})
}
