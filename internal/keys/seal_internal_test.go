package keys

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"errors"
	"math/big"
	"testing"
	"time"
)

// A file sealed with weaker scrypt parameters than Seal's (a downgrade) does not open.
func TestOpenRefusesWeakParameters(t *testing.T) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), EmailAddresses: []string{"a@example.com"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	id := &Identity{Certificate: cert, Key: key}
	for _, kp := range []kdfParams{{14, 8, 1}, {15, 4, 1}} {
		sealed, err := seal(id, "pw", kp)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Open(sealed, "pw"); !errors.Is(err, ErrDamaged) {
			t.Errorf("%+v: got %v, want ErrDamaged", kp, err)
		}
	}
	// Parameters too heavy to run, or p = 0, are refused before scrypt runs (byte 10 is log2 N).
	sealed, err := Seal(id, "pw")
	if err != nil {
		t.Fatal(err)
	}
	for _, edit := range []struct{ at, value int }{{10, 22}, {10, 40}, {11, 255}, {12, 0}, {12, 200}} {
		bad := append([]byte(nil), sealed...)
		bad[edit.at] = byte(edit.value)
		start := time.Now()
		if _, err := Open(bad, "pw"); !errors.Is(err, ErrDamaged) || time.Since(start) > time.Second {
			t.Errorf("byte %d = %d: got %v after %v", edit.at, edit.value, err, time.Since(start))
		}
	}
	// Stronger than the default is fine.
	sealed, err = seal(id, "pw", kdfParams{16, 8, 2})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Open(sealed, "pw"); err != nil {
		t.Fatal(err)
	}
}
