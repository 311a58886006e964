package cms

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/mailseal/mailseal/internal/fuzzlimit"
	"github.com/stretchr/testify/require"
)

// hostileKey is an RSA public key of any size and exponent, which no one need hold: a
// message can carry a certificate for it all the same.
func hostileKey(bits, e int) *rsa.PublicKey {
	n := new(big.Int).Lsh(big.NewInt(1), uint(bits-1))
	n.Add(n, big.NewInt(12345)) // odd, exactly bits long
	return &rsa.PublicKey{N: n, E: e}
}

// certificateFor issues a certificate for pub, signed by a P-256 key.
func certificateFor(t testing.TB, pub crypto.PublicKey) []byte {
	t.Helper()
	issuer := testKey(t, "p256").(*ecdsa.PrivateKey)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "hostile"},
		NotBefore: time.Unix(0, 0), NotAfter: time.Unix(1<<32, 0)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, pub, issuer)
	require.NoError(t, err)
	return der
}

func TestCheckKeyLimits(t *testing.T) {
	for _, c := range []struct {
		bits, e int
		ok      bool
	}{
		{2048, 65537, true}, {8192, 1<<31 - 1, true}, {8193, 65537, false}, {65536, 65537, false},
		{4096, 1 << 32, true}, {4096, 1<<32 + 1, false},
	} {
		err := CheckKeyLimits(hostileKey(c.bits, c.e))
		if (err == nil) != c.ok || (err != nil && !errors.Is(err, ErrKeyTooLarge)) {
			t.Errorf("%d bits, e=%d: %v", c.bits, c.e, err)
		}
	}
	if CheckKeyLimits(testKey(t, "p256").Public()) != nil {
		t.Error("an ECDSA key was refused")
	}
}

// TestParseRefusesHugeKeys: a certificate with a key beyond the limits ends the parse, in
// far less time than one signature with it would take.
func TestParseRefusesHugeKeys(t *testing.T) {
	for _, pub := range []*rsa.PublicKey{hostileKey(65536, 1<<31-1), hostileKey(4096, 1<<40)} {
		der := signedDataWith(t, certificateFor(t, pub))
		start := time.Now()
		_, err := Parse(der)
		if !errors.Is(err, ErrKeyTooLarge) {
			t.Errorf("%d-bit key, e=%d: %v", pub.N.BitLen(), pub.E, err)
		}
		if d := time.Since(start); d > 100*time.Millisecond {
			t.Errorf("refusing took %v", d)
		}
	}
}

// signedDataWith is a SignedData signed by a P-256 key whose certificate set also holds cert.
func signedDataWith(t *testing.T, cert []byte) []byte {
	t.Helper()
	c, err := x509.ParseCertificate(cert)
	require.NoError(t, err)
	s := signer(t, "p256")
	s.Chain = append(s.Chain, c)
	der, err := Sign([]byte("hello\r\n"), []Signer{s}, SignOptions{Detached: true})
	require.NoError(t, err)
	return der
}

// FuzzCertificate parses a certificate as the certificate set of a message is parsed, and
// when its key is within the limits computes with it as a signature check would. Whatever
// the key, an input must stay within fuzzlimit.
func FuzzCertificate(f *testing.F) {
	f.Add(certificateFor(f, testKey(f, "rsa2048").Public()))
	f.Add(certificateFor(f, testKey(f, "p384").Public()))
	f.Add(certificateFor(f, testKey(f, "ed25519").Public()))
	f.Add(certificateFor(f, hostileKey(8192, 1<<31-1)))
	f.Add(certificateFor(f, hostileKey(8192, 1<<32)))
	f.Add(certificateFor(f, hostileKey(16384, 65537)))
	f.Add(certificateFor(f, hostileKey(2048, 1<<32+1)))
	digest := sha256.Sum256([]byte("mailseal"))
	f.Fuzz(func(t *testing.T, der []byte) {
		fuzzlimit.Run(t, func() {
			c, err := x509.ParseCertificate(der)
			if err != nil {
				return
			}
			if err := CheckKeyLimits(c.PublicKey); err != nil {
				if !errors.Is(err, ErrKeyTooLarge) && c.PublicKey.(*rsa.PublicKey).N != nil {
					t.Fatalf("refused with an unexpected error: %v", err)
				}
				return
			}
			sig := make([]byte, 1024)
			if k, ok := c.PublicKey.(*rsa.PublicKey); ok {
				sig = make([]byte, (k.N.BitLen()+7)/8)
				sig[len(sig)-1] = 2
			}
			for _, kind := range []SignatureKind{RSAPKCS1v15, RSAPSS, ECDSA} {
				VerifyDigest(c.PublicKey, SignatureAlgorithm{Kind: kind, Hash: crypto.SHA256, SaltLength: 32}, digest[:], sig)
			}
		})
	})
}
