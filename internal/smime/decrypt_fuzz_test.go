package smime

import (
	"crypto/x509"
	"testing"

	"github.com/mailseal/mailseal/internal/cms"
	"github.com/mailseal/mailseal/internal/fuzzlimit"
	"github.com/mailseal/mailseal/internal/testpki"
)

// FuzzOpen feeds arbitrary messages to Open with a key the seeds are encrypted to. Whatever
// comes in: no error, no panic, a status and a banner, content exactly when the report says
// it was decrypted, within fuzzlimit.
func FuzzOpen(f *testing.F) {
	fx := newEncryptionFixture(f)
	signed, err := testpki.SignedEntity(secretText, []*testpki.Identity{fx.alice}, cms.SignOptions{})
	if err != nil {
		f.Fatal(err)
	}
	der, err := cms.Encrypt(secretText, []*x509.Certificate{fx.bob.Certificate}, cms.EncryptOptions{})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(fx.encrypted(f, secretText, cms.EncryptOptions{}, fx.bob))
	f.Add(fx.encrypted(f, signed, cms.EncryptOptions{Authenticated: true}, fx.bob, fx.alice))
	f.Add(testpki.Message(fx.header(), testpki.Mixed(testpki.TextContent("x"), testpki.EncryptedEntity(der, false))))
	if msg, err := testpki.SignedMessage(fx.header(), testpki.EncryptedEntity(der, false), []*testpki.Identity{fx.alice}, cms.SignOptions{}); err == nil {
		f.Add(msg)
	}
	keys := fx.keys(fx.bob)
	f.Fuzz(func(t *testing.T, raw []byte) {
		var o *Opened
		var err error
		fuzzlimit.Run(t, func() { o, err = Open(raw, keys, fx.opts) })
		if err != nil {
			t.Fatalf("Open returned an error for message input: %v", err)
		}
		r := o.Report
		if r.Status == "" || r.Banner == "" {
			t.Fatalf("empty status or banner: %+v", r)
		}
		decrypted := r.Encryption != nil && r.Encryption.Decrypted
		if decrypted != (o.Content != nil) {
			t.Fatalf("decrypted %v, content of %d bytes", decrypted, len(o.Content))
		}
	})
}
