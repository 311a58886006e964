package keys_test

import (
	"bytes"
	"crypto/ecdsa"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/mailseal/mailseal/internal/keys"
	"github.com/mailseal/mailseal/internal/keys/keystest"
	"github.com/mailseal/mailseal/internal/testpki"
	"github.com/stretchr/testify/require"
)

func TestSealOpen(t *testing.T) {
	fixture, id := p256(t, "frank@example.com")
	start := time.Now()
	sealed, err := keys.Seal(id, "correct horse")
	require.NoError(t, err)
	t.Logf("Seal (scrypt N=2^17 r=8 p=1): %v, %d bytes", time.Since(start), len(sealed))
	start = time.Now()
	got, err := keys.Open(sealed, "correct horse")
	require.NoError(t, err)
	t.Logf("Open: %v", time.Since(start))
	checkIdentity(t, got, fixture)
	if bytes.Contains(sealed, id.Key.(*ecdsa.PrivateKey).D.Bytes()) {
		t.Fatal("the private key is in the sealed file in clear")
	}

	again, _ := keys.Seal(id, "correct horse")
	if bytes.Equal(again, sealed) {
		t.Fatal("two seals are identical: salt and nonce must be fresh")
	}
	if _, err := keys.Open(sealed, "correct horsE"); !errors.Is(err, keys.ErrBadPassphrase) {
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
	_, id := p256(t, "grace@example.com")
	sealed, err := keys.Seal(id, "tin roof rusted")
	require.NoError(t, err)
	// The file is: 8 magic, 5 version/kdf/params, 1+16 salt, 1+12 nonce, 1+16 check, then certificates.
	damaged := map[string]int{"magic": 0, "version": 8, "nonce": 8 + 5 + 17 + 3, "check": 8 + 5 + 17 + 13 + 4,
		"certificate": 8 + 5 + 17 + 13 + 17 + 3 + 3 + 40, "ciphertext": len(sealed) - 5, "tag": len(sealed) - 1}
	for name, i := range damaged {
		bad := bytes.Clone(sealed)
		bad[i] ^= 0x01
		if _, err := keys.Open(bad, "tin roof rusted"); !errors.Is(err, keys.ErrDamaged) && !errors.Is(err, keys.ErrBadPassphrase) {
			t.Errorf("%s (byte %d): got %v", name, i, err)
		}
		if name == "certificate" || name == "ciphertext" || name == "tag" || name == "nonce" {
			if _, err := keys.Open(bad, "tin roof rusted"); !errors.Is(err, keys.ErrDamaged) {
				t.Errorf("%s: got %v, want ErrDamaged", name, err)
			}
		}
	}
	for _, name := range []string{"salt", "logN"} {
		i := map[string]int{"salt": 8 + 5 + 1, "logN": 10}[name]
		bad := bytes.Clone(sealed)
		bad[i] ^= 0x01
		if _, err := keys.Open(bad, "tin roof rusted"); err == nil {
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
	if _, err := keys.Open(append(bytes.Clone(sealed), 0), "tin roof rusted"); !errors.Is(err, keys.ErrDamaged) {
		t.Fatalf("trailing byte: %v", err)
	}
}

// The passphrase is compared in NFC: "é" typed composed or decomposed opens the same identity.
func TestPassphraseNFC(t *testing.T) {
	_, id := p256(t, "heidi@example.com")
	sealed, err := keys.Seal(id, "caf\u00e9 au lait noir")
	require.NoError(t, err)
	if _, err := keys.Open(sealed, "cafe\u0301 au lait noir"); err != nil {
		t.Fatalf("decomposed passphrase: %v", err)
	}
}

func BenchmarkOpen(b *testing.B) {
	id := keystest.Identity(b, testpki.MustNew(b).MustIssue(b, testpki.Profile{Email: "a@example.com", Key: testpki.P256}))
	sealed, err := keys.Seal(id, "tin roof rusted")
	require.NoError(b, err)
	for b.Loop() {
		if _, err := keys.Open(sealed, "tin roof rusted"); err != nil {
			b.Fatal(err)
		}
	}
}

// testdata/sealed-n15.bin was sealed by an earlier version, at scrypt N = 2^15, under
// "correct horse battery staple": it still opens, and comes back sealed at today's cost.
func TestUnlockCommittedOldCostFile(t *testing.T) {
	old, err := os.ReadFile("testdata/sealed-n15.bin")
	require.NoError(t, err)
	if old[10] != 15 {
		t.Fatalf("the fixture is sealed at N = 2^%d", old[10])
	}
	id, resealed, err := keys.Unlock(old, "correct horse battery staple")
	if err != nil || resealed == nil || resealed[10] < 17 {
		t.Fatalf("Unlock: %v, resealed %d bytes", err, len(resealed))
	}
	again, err := keys.Open(resealed, "correct horse battery staple")
	if err != nil || !again.Certificate.Equal(id.Certificate) {
		t.Fatalf("the resealed file: %v", err)
	}
}
