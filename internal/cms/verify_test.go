package cms

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"math/big"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var (
	testKeysOnce sync.Once
	testKeys     map[string]crypto.Signer
)

func testKey(t testing.TB, kind string) crypto.Signer {
	testKeysOnce.Do(func() {
		testKeys = map[string]crypto.Signer{}
		r2048, _ := rsa.GenerateKey(rand.Reader, 2048)
		r1024, _ := rsa.GenerateKey(rand.Reader, 1024)
		p256, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
		p521, _ := ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
		_, ed, _ := ed25519.GenerateKey(rand.Reader)
		testKeys["rsa2048"], testKeys["rsa1024"] = r2048, r1024
		testKeys["p256"], testKeys["p384"], testKeys["p521"], testKeys["ed25519"] = p256, p384, p521, ed
	})
	return testKeys[kind]
}

func selfSigned(t testing.TB, key crypto.Signer, serial int64) *x509.Certificate {
	tmpl := &x509.Certificate{
		SerialNumber:   big.NewInt(serial),
		Subject:        pkix.Name{CommonName: "signer"},
		NotBefore:      time.Now().Add(-time.Hour),
		NotAfter:       time.Now().Add(time.Hour),
		EmailAddresses: []string{"signer@example.com"},
		SubjectKeyId:   []byte{byte(serial), 1, 2, 3},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	require.NoError(t, err)
	c, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return c
}

func signer(t testing.TB, kind string) Signer {
	k := testKey(t, kind)
	return Signer{Certificate: selfSigned(t, k, 7), Key: k}
}

// verifyOne signs content and verifies it, returning the single result.
func verifyOne(t *testing.T, content []byte, s Signer, opts SignOptions, check []byte) SignerResult {
	t.Helper()
	der, err := Sign(content, []Signer{s}, opts)
	require.NoError(t, err)
	sd, err := Parse(der)
	require.NoError(t, err)
	var detached []byte
	if opts.Detached {
		detached = check
	} else if check != nil {
		sd.Content = check
	}
	rs, err := sd.Verify(detached, nil)
	require.NoError(t, err)
	return rs[0]
}

func TestVerifyAlgorithms(t *testing.T) {
	content := []byte("Content-Type: text/plain\r\n\r\nPay 100 EUR to account 1.\r\n")
	tampered := bytes.Replace(content, []byte("100"), []byte("900"), 1)
	cases := []struct {
		key  string
		opts SignOptions
		alg  SignatureKind
	}{
		{"rsa2048", SignOptions{}, RSAPKCS1v15},
		{"rsa2048", SignOptions{PSS: true}, RSAPSS},
		{"rsa2048", SignOptions{Hash: crypto.SHA512}, RSAPKCS1v15},
		{"p256", SignOptions{}, ECDSA},
		{"p384", SignOptions{Hash: crypto.SHA384}, ECDSA},
		{"p521", SignOptions{Hash: crypto.SHA512}, ECDSA},
		{"ed25519", SignOptions{}, Ed25519},
	}
	for _, c := range cases {
		for _, detached := range []bool{true, false} {
			opts := c.opts
			opts.Detached = detached
			name := c.key + "/" + string(c.alg)
			t.Run(name, func(t *testing.T) {
				s := signer(t, c.key)
				good := verifyOne(t, content, s, opts, content)
				if good.Err != nil || good.Algorithm.Kind != c.alg || len(good.Weak) != 0 {
					t.Fatalf("good: err=%v alg=%v weak=%v", good.Err, good.Algorithm, good.Weak)
				}
				bad := verifyOne(t, content, s, opts, tampered)
				if !errors.Is(bad.Err, ErrSignature) {
					t.Fatalf("tampered content verified: %v", bad.Err)
				}
			})
		}
	}
}

func TestVerifyAttributeRules(t *testing.T) {
	content := []byte("hello\r\n")
	s := signer(t, "p256")
	ctAttr := Attribute{Type: OIDAttrContentType, Values: [][]byte{mustDER(t, OIDData)}}
	mdAttr := Attribute{Type: OIDAttrMessageDigest, Values: [][]byte{mustDER(t, []byte("not the digest"))}}
	cases := []struct {
		name string
		opts SignOptions
		want string // "" = good
	}{
		{"unsorted attributes are hashed as received", SignOptions{Detached: true, UnsortedAttributes: true, SigningTime: time.Now()}, ""},
		{"subject key identifier", SignOptions{Detached: true, SubjectKeyID: true}, ""},
		{"no signed attributes", SignOptions{Detached: true, NoSignedAttributes: true}, ""},
		{"content-type attribute mismatch", SignOptions{Detached: true, ContentType: OIDSignedData}, "does not match"},
		{"missing message digest", SignOptions{Detached: true, NoSignedAttributes: true, ExtraAttributes: []Attribute{ctAttr}}, "one message-digest"},
		{"second message digest", SignOptions{Detached: true, ExtraAttributes: []Attribute{mdAttr}}, "one message-digest"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := verifyOne(t, content, s, c.opts, content)
			if c.want == "" && r.Err != nil || c.want != "" && (r.Err == nil || !strings.Contains(r.Err.Error(), c.want)) {
				t.Fatalf("err = %v, want %q", r.Err, c.want)
			}
		})
	}
}

func mustDER(t *testing.T, v any) []byte {
	der, err := asn1.Marshal(v)
	require.NoError(t, err)
	return der
}

func TestVerifyStructureRules(t *testing.T) {
	content := []byte("hello\r\n")
	s := signer(t, "p256")

	confusion, _ := Sign(content, []Signer{s}, SignOptions{Detached: true, ExtraContent: []byte("other text")})
	sd, err := Parse(confusion)
	require.NoError(t, err)
	if _, err := sd.Verify(content, nil); err == nil || !strings.Contains(err.Error(), "eContent confusion") {
		t.Errorf("eContent confusion: %v", err)
	}

	none, _ := Sign(content, nil, SignOptions{Detached: true})
	if sd, err = Parse(none); err != nil {
		t.Fatal(err)
	}
	if _, err := sd.Verify(content, nil); err == nil || !strings.Contains(err.Error(), "no signers") {
		t.Errorf("zero signers: %v", err)
	}

	other := signer(t, "p384")
	two, err := Sign(content, []Signer{s, other}, SignOptions{Detached: true})
	require.NoError(t, err)
	two[len(two)-1] ^= 1 // the last byte of the DER is the last byte of the second signature
	sd, _ = Parse(two)
	rs, err := sd.Verify(content, nil)
	if err != nil || len(rs) != 2 || rs[0].Err != nil || rs[1].Err == nil {
		t.Errorf("two signers, second bad: %v %+v", err, rs)
	}
}

func TestVerifyFlagsWeakAlgorithms(t *testing.T) {
	content := []byte("hello\r\n")
	sha1 := verifyOne(t, content, signer(t, "rsa2048"), SignOptions{Detached: true, Hash: crypto.SHA1}, content)
	if sha1.Err != nil || len(sha1.Weak) == 0 {
		t.Errorf("SHA-1: err %v weak %v", sha1.Err, sha1.Weak)
	}
	short := verifyOne(t, content, signer(t, "rsa1024"), SignOptions{Detached: true}, content)
	if short.Err != nil || len(short.Weak) != 1 || !strings.Contains(short.Weak[0], "1024") {
		t.Errorf("RSA-1024: err %v weak %v", short.Err, short.Weak)
	}
}

func TestNormalizeBER(t *testing.T) {
	// [0] { OCTET STRING (constructed, indefinite) { "ab", "c" } } with an indefinite outer length.
	ber := []byte{0xa0, 0x80, 0x24, 0x80, 0x04, 0x02, 'a', 'b', 0x04, 0x01, 'c', 0x00, 0x00, 0x00, 0x00}
	der, err := normalizeBER(ber)
	require.NoError(t, err)
	if want := []byte{0xa0, 0x05, 0x04, 0x03, 'a', 'b', 'c'}; !bytes.Equal(der, want) {
		t.Errorf("got % x, want % x", der, want)
	}
	plain := []byte{0x31, 0x06, 0x04, 0x01, 'z', 0x04, 0x01, 'a'} // an unsorted SET stays as it is
	if out, _ := normalizeBER(plain); &out[0] != &plain[0] {
		t.Error("DER input was rewritten")
	}
	for _, bad := range [][]byte{{0x30, 0x80, 0x04, 0x01}, {0x30, 0x85, 1, 2, 3, 4, 5}, {0x24, 0x80, 0x02, 0x01, 0x00, 0x00, 0x00}} {
		if _, err := normalizeBER(bad); err == nil {
			t.Errorf("normalizeBER(% x) succeeded", bad)
		}
	}
}

func FuzzParse(f *testing.F) {
	s := signer(f, "p256")
	for _, opts := range []SignOptions{{}, {Detached: true}, {SubjectKeyID: true, SigningTime: time.Unix(1e9, 0)}} {
		der, err := Sign([]byte("seed\r\n"), []Signer{s}, opts)
		require.NoError(f, err)
		f.Add(der)
	}
	f.Fuzz(func(t *testing.T, der []byte) {
		sd, err := Parse(der)
		if err != nil {
			return
		}
		_, _ = sd.Verify(nil, nil)
		_, _ = sd.Verify([]byte("x"), nil)
	})
}

// TestPSSSaltLengthIsExact: Go's rsa.VerifyPSS reads salt length 0 as "any", so a signature
// whose parameters say 0 must be checked for an empty salt on its own.
func TestPSSSaltLengthIsExact(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	digest := make([]byte, 32)
	sign := func(salt int) []byte {
		sig, err := rsa.SignPSS(rand.Reader, key, crypto.SHA256, digest, &rsa.PSSOptions{SaltLength: salt})
		require.NoError(t, err)
		if got := pssSaltLength(&key.PublicKey, crypto.SHA256, sig); got != salt {
			t.Fatalf("salt length read back as %d, signed with %d", got, salt)
		}
		return sig
	}
	// SignPSS reads 0 as "as long as possible", so the empty salt is encoded here by hand
	// (RFC 8017 §9.1.1) and signed with the raw private operation.
	unsalted := func() []byte {
		emBits := key.N.BitLen() - 1
		emLen := (emBits + 7) / 8
		d := sha256.New()
		d.Write(make([]byte, 8))
		d.Write(digest)
		h := d.Sum(nil)
		db := make([]byte, emLen-len(h)-1)
		db[len(db)-1] = 0x01
		mask := mgf1(crypto.SHA256, h, len(db))
		for i := range db {
			db[i] ^= mask[i]
		}
		db[0] &= 0xff >> (8*emLen - emBits)
		em := append(append(db, h...), 0xbc)
		sig := new(big.Int).Exp(new(big.Int).SetBytes(em), key.D, key.N)
		return sig.FillBytes(make([]byte, key.Size()))
	}()
	if got := pssSaltLength(&key.PublicKey, crypto.SHA256, unsalted); got != 0 {
		t.Fatalf("salt length of the unsalted signature read back as %d", got)
	}
	for _, tc := range []struct {
		sig              []byte
		signed, declared int
		ok               bool
	}{
		{sign(32), 32, 32, true},
		{sign(32), 32, 0, false},
		{sign(20), 20, 32, false},
		{sign(1), 1, 0, false},
		{unsalted, 0, 0, true},
		{unsalted, 0, 32, false},
	} {
		alg := SignatureAlgorithm{Kind: RSAPSS, Hash: crypto.SHA256, SaltLength: tc.declared}
		err := VerifyDigest(&key.PublicKey, alg, digest, tc.sig)
		if (err == nil) != tc.ok {
			t.Errorf("signed with salt %d, declared %d: err = %v", tc.signed, tc.declared, err)
		}
	}
}
