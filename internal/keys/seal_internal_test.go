package keys

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// A file sealed with weaker scrypt parameters than Seal's (a downgrade) does not open.
func TestOpenRefusesWeakParameters(t *testing.T) {
	id := testIdentity(t)
	for _, kp := range []kdfParams{{14, 8, 1}, {15, 4, 1}} {
		sealed, err := seal(id, "tin roof rusted", kp)
		require.NoError(t, err)
		if _, err := Open(sealed, "tin roof rusted"); !errors.Is(err, ErrDamaged) {
			t.Errorf("%+v: got %v, want ErrDamaged", kp, err)
		}
	}
	// Parameters too heavy to run, or p = 0, are refused before scrypt runs (byte 10 is log2 N).
	sealed, err := Seal(id, "tin roof rusted")
	require.NoError(t, err)
	for _, edit := range []struct{ at, value int }{{10, 22}, {10, 40}, {11, 255}, {12, 0}, {12, 200}} {
		bad := append([]byte(nil), sealed...)
		bad[edit.at] = byte(edit.value)
		start := time.Now()
		if _, err := Open(bad, "tin roof rusted"); !errors.Is(err, ErrDamaged) || time.Since(start) > time.Second {
			t.Errorf("byte %d = %d: got %v after %v", edit.at, edit.value, err, time.Since(start))
		}
	}
	// Stronger than the default is fine.
	sealed, err = seal(id, "tin roof rusted", kdfParams{16, 8, 2})
	require.NoError(t, err)
	if _, err := Open(sealed, "tin roof rusted"); err != nil {
		t.Fatal(err)
	}
}

// TestUnlockResealsOldCost: an identity sealed at the old cost (N = 2^15) opens, and Unlock
// returns it sealed again at Seal's cost, which opens too; a current one is not resealed.
// A file below the old cost is still refused.
func TestUnlockResealsOldCost(t *testing.T) {
	id := testIdentity(t)
	old, err := seal(id, "tin roof rusted", kdfParams{15, 8, 1})
	require.NoError(t, err)
	got, resealed, err := Unlock(old, "tin roof rusted")
	if err != nil || resealed == nil || !got.Certificate.Equal(id.Certificate) {
		t.Fatalf("old cost: %v, resealed %v", err, resealed != nil)
	}
	s, err := parseSealed(resealed)
	if err != nil || s.kp != sealParams {
		t.Fatalf("resealed with %+v: %v", s.kp, err)
	}
	if _, again, err := Unlock(resealed, "tin roof rusted"); err != nil || again != nil {
		t.Errorf("current cost: %v, resealed again %v", err, again != nil)
	}
	if _, _, err := Unlock(old, "tin roof rustee"); !errors.Is(err, ErrBadPassphrase) {
		t.Errorf("wrong passphrase: %v", err)
	}
	downgraded, _ := seal(id, "tin roof rusted", kdfParams{14, 8, 1})
	if _, _, err := Unlock(downgraded, "tin roof rusted"); !errors.Is(err, ErrDamaged) {
		t.Errorf("downgraded: %v", err)
	}
	if sealParams.logN < 17 {
		t.Errorf("Seal's cost is N = 2^%d, below the 2^17 the design asks for", sealParams.logN)
	}
}

func TestCheckPassphrase(t *testing.T) {
	for _, weak := range []string{"short", "123456789", "1234567890", "Password123", "pass phrase", "aaaaaaaaaaaa", "          ", "Qwertyuiop"} {
		err := CheckPassphrase(weak)
		if !errors.Is(err, ErrWeakPassphrase) && !errors.Is(err, ErrEmptyPassphrase) {
			t.Errorf("%q accepted: %v", weak, err)
		} else if errors.Is(err, ErrWeakPassphrase) && !strings.Contains(err.Error(), "unrelated words") {
			t.Errorf("%q: %v gives no hint", weak, err)
		}
	}
	for _, good := range []string{"tin roof rusted", "correct horse battery", "Zürich im Nebel 7"} {
		if err := CheckPassphrase(good); err != nil {
			t.Errorf("%q refused: %v", good, err)
		}
	}
	if _, err := Seal(testIdentity(t), "letmein"); !errors.Is(err, ErrWeakPassphrase) {
		t.Errorf("Seal with a weak passphrase: %v", err)
	}
}

func testIdentity(t *testing.T) *Identity {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), EmailAddresses: []string{"a@example.com"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	require.NoError(t, err)
	cert, _ := x509.ParseCertificate(der)
	return &Identity{Certificate: cert, Key: key}
}
