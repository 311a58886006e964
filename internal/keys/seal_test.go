package keys_test

import (
	"bytes"
	"crypto/ecdsa"
	"errors"
	"testing"
	"time"

	"github.com/mailseal/mailseal/internal/keys"
	"github.com/mailseal/mailseal/internal/keys/keystest"
	"github.com/mailseal/mailseal/internal/testpki"
)

func TestSealOpen(t *testing.T) {
	fixture := issue(t, testpki.Profile{Email: "frank@example.com", Key: testpki.P256})
	id := keystest.Identity(t, fixture)
	start := time.Now()
	sealed, err := keys.Seal(id, "correct horse")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("Seal (scrypt N=2^15 r=8 p=1): %v, %d bytes", time.Since(start), len(sealed))
	start = time.Now()
	got, err := keys.Open(sealed, "correct horse")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("Open: %v", time.Since(start))
	checkIdentity(t, got, fixture)
	if bytes.Contains(sealed, id.Key.(*ecdsa.PrivateKey).D.Bytes()) {
		t.Fatal("the private key is in the sealed file in clear")
	}

	again, _ := keys.Seal(id, "correct horse")
	if bytes.Equal(again, sealed) {
		t.Fatal("two seals are identical: salt and nonce must be fresh")
	}
	if _, err := keys.Open(sealed, "correct horsE"); !errors.Is(err, keys.ErrBadPassphrase) || keys.Code(err) != "ERR_BAD_PASSPHRASE" {
		t.Fatalf("wrong passphrase: %v", err)
	}
	if _, err := keys.Seal(id, ""); !errors.Is(err, keys.ErrEmptyPassphrase) {
		t.Fatalf("empty passphrase: %v", err)
	}
	certs, err := keys.Certificates(sealed)
	if err != nil || len(certs) != 2 || !certs[0].Equal(fixture.Certificate) {
		t.Fatalf("Certificates: %v, %d", err, len(certs))
	}
}

// Every byte of a sealed identity matters: changing any one of them, or cutting
// the file anywhere, makes Open fail (and never panic).
func TestOpenTampered(t *testing.T) {
	id := keystest.Identity(t, issue(t, testpki.Profile{Email: "grace@example.com", Key: testpki.P256}))
	sealed, err := keys.Seal(id, "pw")
	if err != nil {
		t.Fatal(err)
	}
	// The file is: 8 magic, 5 version/kdf/params, 1+16 salt, 1+12 nonce, 1+16 check, then certificates.
	damaged := map[string]int{"magic": 0, "version": 8, "nonce": 8 + 5 + 17 + 3, "check": 8 + 5 + 17 + 13 + 4,
		"certificate": 8 + 5 + 17 + 13 + 17 + 3 + 3 + 40, "ciphertext": len(sealed) - 5, "tag": len(sealed) - 1}
	for name, i := range damaged {
		bad := bytes.Clone(sealed)
		bad[i] ^= 0x01
		if _, err := keys.Open(bad, "pw"); !errors.Is(err, keys.ErrDamaged) && !errors.Is(err, keys.ErrBadPassphrase) {
			t.Errorf("%s (byte %d): got %v", name, i, err)
		}
		if name == "certificate" || name == "ciphertext" || name == "tag" || name == "nonce" {
			if _, err := keys.Open(bad, "pw"); !errors.Is(err, keys.ErrDamaged) || keys.Code(err) != "ERR_DAMAGED" {
				t.Errorf("%s: got %v, want ErrDamaged", name, err)
			}
		}
	}
	for _, name := range []string{"salt", "logN"} {
		i := map[string]int{"salt": 8 + 5 + 1, "logN": 10}[name]
		bad := bytes.Clone(sealed)
		bad[i] ^= 0x01
		if _, err := keys.Open(bad, "pw"); err == nil {
			t.Errorf("%s changed: opened", name)
		}
	}
	if testing.Short() {
		return
	}
	// Cutting or extending: parsing fails before any scrypt run, so this is quick.
	for n := 0; n < len(sealed); n++ {
		if _, err := keys.Certificates(sealed[:n]); err == nil {
			t.Fatalf("truncated to %d bytes: parsed", n)
		}
	}
	if _, err := keys.Open(append(bytes.Clone(sealed), 0), "pw"); !errors.Is(err, keys.ErrDamaged) {
		t.Fatalf("trailing byte: %v", err)
	}
}

// The passphrase is compared in NFC: "é" typed composed or decomposed opens the same identity.
func TestPassphraseNFC(t *testing.T) {
	id := keystest.Identity(t, issue(t, testpki.Profile{Email: "heidi@example.com", Key: testpki.P256}))
	sealed, err := keys.Seal(id, "caf\u00e9")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := keys.Open(sealed, "cafe\u0301"); err != nil {
		t.Fatalf("decomposed passphrase: %v", err)
	}
}

func BenchmarkOpen(b *testing.B) {
	id := keystest.Identity(b, testpki.MustNew(b).MustIssue(b, testpki.Profile{Email: "a@example.com", Key: testpki.P256}))
	sealed, err := keys.Seal(id, "pw")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := keys.Open(sealed, "pw"); err != nil {
			b.Fatal(err)
		}
	}
}
