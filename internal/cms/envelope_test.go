package cms_test

import (
	"bytes"
	"crypto/x509"
	"errors"
	"testing"

	"github.com/mailseal/mailseal/internal/cms"
	"github.com/mailseal/mailseal/internal/keys/keystest"
	"github.com/mailseal/mailseal/internal/testpki"
)

// recipient issues a mail certificate with a key of type k that may encrypt.
func recipient(t testing.TB, k testpki.KeyType, email string) *testpki.Identity {
	t.Helper()
	prof := testpki.MailboxProfile(testpki.Strict, email)
	prof.Key = k
	prof.KeyUsage = x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment | x509.KeyUsageKeyAgreement
	return testpki.MustNew(t).MustIssue(t, prof)
}

func keyOf(id *testpki.Identity) cms.Key {
	return cms.Key{Certificate: id.Certificate, Private: keystest.BareKey(id.Key)}
}

var secret = []byte("Content-Type: text/plain\r\n\r\nThe code is 4711.\r\n")

func TestEncryptDecrypt(t *testing.T) {
	for _, c := range []struct {
		name string
		key  testpki.KeyType
		opts cms.EncryptOptions
		want string
	}{
		{"rsa-pkcs1-cbc", testpki.RSA2048, cms.EncryptOptions{}, "AES-256-CBC"},
		{"rsa-oaep-cbc", testpki.RSA3072, cms.EncryptOptions{OAEP: true}, "AES-256-CBC"},
		{"rsa-pkcs1-gcm", testpki.RSA2048, cms.EncryptOptions{Authenticated: true}, "AES-256-GCM"},
		{"p256-gcm", testpki.P256, cms.EncryptOptions{Authenticated: true}, "AES-256-GCM"},
		{"p384-cbc", testpki.P384, cms.EncryptOptions{}, "AES-256-CBC"},
		{"p521-gcm", testpki.P521, cms.EncryptOptions{Authenticated: true}, "AES-256-GCM"},
	} {
		t.Run(c.name, func(t *testing.T) {
			bob := recipient(t, c.key, "bob@example.org")
			alice := recipient(t, testpki.RSA2048B, "alice@example.com")
			der, err := cms.Encrypt(secret, []*x509.Certificate{bob.Certificate, alice.Certificate}, c.opts)
			if err != nil {
				t.Fatal(err)
			}
			env, err := cms.ParseEnvelope(der)
			if err != nil {
				t.Fatal(err)
			}
			if name, err := env.ContentCipher(); err != nil || name != c.want {
				t.Fatalf("cipher %q, %v; want %s", name, err, c.want)
			}
			if env.Authenticated != c.opts.Authenticated {
				t.Fatalf("Authenticated = %v", env.Authenticated)
			}
			for _, id := range []*testpki.Identity{bob, alice} {
				got, used, err := env.Decrypt([]cms.Key{keyOf(id)})
				if err != nil {
					t.Fatalf("%s: %v", id.Certificate.Subject, err)
				}
				if !bytes.Equal(got, secret) || used.Certificate != id.Certificate {
					t.Fatalf("decrypted %q with %v", got, used.Certificate.Subject)
				}
			}
		})
	}
}

func TestDecryptRefusals(t *testing.T) {
	bob := recipient(t, testpki.RSA2048, "bob@example.org")
	carol := recipient(t, testpki.P256, "carol@example.org")
	mallory := recipient(t, testpki.RSA3072, "mallory@example.net")

	t.Run("unknown recipient", func(t *testing.T) {
		der, _ := cms.Encrypt(secret, []*x509.Certificate{bob.Certificate}, cms.EncryptOptions{})
		env, err := cms.ParseEnvelope(der)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := env.Decrypt([]cms.Key{keyOf(mallory)}); !errors.Is(err, cms.ErrNoRecipient) {
			t.Fatalf("got %v, want ErrNoRecipient", err)
		}
	})

	// A message naming the user's certificate whose key was encrypted to another key: the
	// RSA padding fails. A message whose content was changed: the CBC padding or the GCM
	// tag fails. All must be the same error.
	// changed encrypts to, changes the envelope, and decrypts with dec's key.
	changed := func(t *testing.T, to, dec *testpki.Identity, opts cms.EncryptOptions, change func(*cms.Envelope)) error {
		der, err := cms.Encrypt(secret, []*x509.Certificate{to.Certificate}, opts)
		if err != nil {
			t.Fatal(err)
		}
		env, err := cms.ParseEnvelope(der)
		if err != nil {
			t.Fatal(err)
		}
		change(env)
		_, _, err = env.Decrypt([]cms.Key{keyOf(dec)})
		return err
	}
	wrongKey := func(t *testing.T, victim, other *testpki.Identity, opts cms.EncryptOptions) error {
		return changed(t, other, victim, opts, func(env *cms.Envelope) {
			for i := range env.Recipients { // now claims to be for victim
				env.Recipients[i].IssuerAndSerial.RawIssuer = victim.Certificate.RawIssuer
				env.Recipients[i].IssuerAndSerial.Serial = victim.Certificate.SerialNumber
			}
		})
	}
	tampered := func(t *testing.T, id *testpki.Identity, opts cms.EncryptOptions, change func(*cms.Envelope)) error {
		return changed(t, id, id, opts, change)
	}
	lastByte := func(env *cms.Envelope) { env.EncryptedContent[len(env.EncryptedContent)-1] ^= 1 }
	for name, err := range map[string]error{
		"rsa padding (wrong key, CBC)":  wrongKey(t, bob, mallory, cms.EncryptOptions{}),
		"rsa padding (wrong key, GCM)":  wrongKey(t, bob, mallory, cms.EncryptOptions{Authenticated: true}),
		"oaep (wrong key)":              wrongKey(t, bob, mallory, cms.EncryptOptions{OAEP: true}),
		"ECDH (a key on another curve)": wrongKey(t, carol, recipient(t, testpki.P384, "dave@example.org"), cms.EncryptOptions{}),
		"key wrap changed":              tampered(t, carol, cms.EncryptOptions{}, func(env *cms.Envelope) { env.Recipients[0].EncryptedKey[3] ^= 1 }),
		"ephemeral key changed":         tampered(t, carol, cms.EncryptOptions{}, func(env *cms.Envelope) { env.Recipients[0].OriginatorKey[5] ^= 1 }),
		"CBC padding (changed content)": tampered(t, bob, cms.EncryptOptions{}, lastByte),
		"GCM content changed":           tampered(t, carol, cms.EncryptOptions{Authenticated: true}, lastByte),
		"GCM tag changed":               tampered(t, bob, cms.EncryptOptions{Authenticated: true}, func(env *cms.Envelope) { env.MAC[0] ^= 1 }),
		"GCM tag cut":                   tampered(t, bob, cms.EncryptOptions{Authenticated: true}, func(env *cms.Envelope) { env.MAC = env.MAC[:12] }),
		"GCM attributes added":          tampered(t, bob, cms.EncryptOptions{Authenticated: true}, func(env *cms.Envelope) { env.AuthAttributes = []byte{0x31, 0x00} }),
	} {
		if err != cms.ErrDecrypt {
			t.Errorf("%s: got %v, want exactly ErrDecrypt", name, err)
		}
	}

	t.Run("weak cipher", func(t *testing.T) {
		der, _ := cms.Encrypt(secret, []*x509.Certificate{bob.Certificate}, cms.EncryptOptions{})
		env, _ := cms.ParseEnvelope(der)
		env.ContentAlgorithm = []int{1, 2, 840, 113549, 3, 7}
		_, _, err := env.Decrypt([]cms.Key{keyOf(bob)})
		var weak *cms.WeakCipherError
		if !errors.As(err, &weak) || weak.Name != "Triple DES" {
			t.Fatalf("got %v, want a weak-cipher refusal", err)
		}
	})
	t.Run("GCM without a MAC structure", func(t *testing.T) {
		der, _ := cms.Encrypt(secret, []*x509.Certificate{bob.Certificate}, cms.EncryptOptions{Authenticated: true})
		env, _ := cms.ParseEnvelope(der)
		env.Authenticated = false // GCM claimed inside EnvelopedData: no MAC is checked
		var u *cms.UnsupportedError
		if _, _, err := env.Decrypt([]cms.Key{keyOf(bob)}); !errors.As(err, &u) {
			t.Fatalf("got %v, want an unsupported refusal", err)
		}
	})
	t.Run("attempts are bounded", func(t *testing.T) {
		certs := make([]*x509.Certificate, cms.MaxDecryptAttempts+1)
		for i := range certs {
			certs[i] = mallory.Certificate
		}
		if err := wrongKeyMany(t, bob, certs); err != cms.ErrDecrypt {
			t.Fatalf("got %v", err)
		}
	})
}

// wrongKeyMany encrypts to certs, then relabels every recipient as victim.
func wrongKeyMany(t *testing.T, victim *testpki.Identity, certs []*x509.Certificate) error {
	der, err := cms.Encrypt(secret, certs, cms.EncryptOptions{})
	if err != nil {
		t.Fatal(err)
	}
	env, err := cms.ParseEnvelope(der)
	if err != nil {
		t.Fatal(err)
	}
	for i := range env.Recipients {
		env.Recipients[i].IssuerAndSerial.Serial = victim.Certificate.SerialNumber
		env.Recipients[i].IssuerAndSerial.RawIssuer = victim.Certificate.RawIssuer
	}
	_, _, err = env.Decrypt([]cms.Key{keyOf(victim)})
	return err
}

func TestParseEnvelopeRefuses(t *testing.T) {
	bob := recipient(t, testpki.RSA2048, "bob@example.org")
	der, _ := cms.Encrypt(secret, []*x509.Certificate{bob.Certificate}, cms.EncryptOptions{})
	if _, err := cms.ParseEnvelope(der[:len(der)-1]); err == nil {
		t.Error("a truncated envelope parsed")
	}
	signed, err := cms.Sign(secret, []cms.Signer{bob.Signer()}, cms.SignOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cms.ParseEnvelope(signed); !errors.Is(err, cms.ErrNotEnveloped) {
		t.Errorf("SignedData: got %v", err)
	}
	many := make([]*x509.Certificate, cms.MaxRecipients+1)
	for i := range many {
		many[i] = bob.Certificate
	}
	if _, err := cms.Encrypt(secret, many, cms.EncryptOptions{}); err == nil {
		t.Error("encrypted to more than MaxRecipients")
	}
}
