package keys_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/mailseal/mailseal/internal/classify"
	"github.com/mailseal/mailseal/internal/keys"
	"github.com/mailseal/mailseal/internal/keys/keystest"
	"github.com/mailseal/mailseal/internal/testpki"
	"github.com/stretchr/testify/require"
	"software.sslmate.com/src/go-pkcs12"
)

func TestRefusals(t *testing.T) {
	const day = 24 * time.Hour
	other := issue(t, testpki.Profile{Email: "other@example.com", Key: testpki.RSA2048B})
	for _, c := range []struct {
		name string
		prof testpki.Profile
		at   time.Time
		want keys.Problem
	}{
		{"encryption-only key usage", testpki.Profile{Email: "a@example.com", KeyUsage: x509.KeyUsageKeyEncipherment}, at, keys.ProblemKeyUsage},
		{"server EKU", testpki.Profile{Email: "a@example.com", ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}, at, keys.ProblemExtKeyUsage},
		{"no address", testpki.Profile{NoSAN: true, Subject: testpki.Subject{CommonName: "Nobody"}}, at, keys.ProblemNoAddress},
		{"expired", testpki.Profile{Email: "a@example.com"}, testpki.Epoch.Add(366 * day), keys.ProblemExpired},
		{"not yet valid", testpki.Profile{Email: "a@example.com"}, testpki.Epoch.Add(-31 * day), keys.ProblemNotYetValid},
		{"RSA-1024", testpki.Profile{Email: "a@example.com", Key: testpki.RSA1024}, at, keys.ProblemKeyType},
		{"Ed25519", testpki.Profile{Email: "a@example.com", Key: testpki.Ed25519}, at, keys.ProblemKeyType},
		// Accepted edges: no EKU at all, anyEKU, nonRepudiation alone, subject emailAddress only.
		{"no EKU", testpki.Profile{Email: "a@example.com", NoEKU: true}, at, ""},
		{"any EKU", testpki.Profile{Email: "a@example.com", ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}, at, ""},
		{"nonRepudiation only", testpki.Profile{Email: "a@example.com", KeyUsage: x509.KeyUsageContentCommitment}, at, ""},
		{"subject emailAddress", testpki.Profile{Email: "a@example.com", NoSAN: true}, at, ""},
		{"last valid second", testpki.Profile{Email: "a@example.com"}, testpki.Epoch.Add(365 * day), ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			fixture := issue(t, c.prof)
			p12 := keystest.PKCS12(t, fixture, "pw", pkcs12.Modern)
			_, err := keys.ImportAt(p12, "pw", c.at)
			checkRefusal(t, err, c.want)
		})
	}
	t.Run("key of another certificate", func(t *testing.T) {
		fixture := issue(t, testpki.Profile{Email: "a@example.com", Key: testpki.RSA2048})
		id := &keys.Identity{Certificate: fixture.Certificate, Key: keystest.BareKey(other.Key)}
		checkRefusal(t, keys.CheckAt(id, at), keys.ProblemKeyMismatch)
	})
	t.Run("CA certificate", func(t *testing.T) {
		key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "Some CA"},
			EmailAddresses: []string{"ca@example.com"}, NotBefore: at.Add(-day), NotAfter: at.Add(day),
			BasicConstraintsValid: true, IsCA: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
		require.NoError(t, err)
		cert, _ := x509.ParseCertificate(der)
		checkRefusal(t, keys.CheckAt(&keys.Identity{Certificate: cert, Key: key}, at), keys.ProblemCA)
	})
}

func checkRefusal(t *testing.T, err error, want keys.Problem) {
	t.Helper()
	if want == "" {
		require.NoError(t, err, "refused")
		return
	}
	var r *keys.Refusal
	if !errors.As(err, &r) || r.Problem != want {
		t.Fatalf("got %v, want refusal %q", err, want)
	}
	if !errors.Is(err, keys.ErrRefused) {
		t.Fatalf("a refusal must be ErrRefused, got %v", err)
	}
	// A sentence a person reads: capital first, full stop last, no Go type names.
	if !unicode.IsUpper([]rune(r.Reason)[0]) || !strings.HasSuffix(r.Reason, ".") || strings.Contains(r.Reason, "x509") {
		t.Fatalf("reason is not a sentence: %q", r.Reason)
	}
}

func TestDescribe(t *testing.T) {
	pki := testpki.MustNew(t)
	fixture := issue(t, testpki.OrganizationProfile(testpki.Strict, "billing@acme.example", "Acme Ltd", "NTRGB-12345678", "GB"))
	id := keystest.Identity(t, fixture)
	s := keys.Describe(id, at, nil)
	if len(s.Addresses) != 1 || s.Addresses[0] != "billing@acme.example" {
		t.Fatalf("addresses: %v", s.Addresses)
	}
	if s.Level != classify.LevelV3 || s.Organization != "Acme Ltd" || s.Country != "GB" {
		t.Fatalf("level: %q %q %q", s.Level, s.Organization, s.Country)
	}
	if want := "V3 · billing@acme.example · Acme Ltd (GB), Identity Validated and Trusted"; s.Banner != want {
		t.Fatalf("banner: got %q, want %q", s.Banner, want)
	}
	if s.KeyType != "RSA 2048" || !strings.Contains(s.Issuer, "Mailseal Test S/MIME CA") || len(s.Fingerprint) != 64 {
		t.Fatalf("summary: %+v", s)
	}
	if s.Trusted || s.TrustReason == "" {
		t.Fatalf("the fixture root is not bundled: trusted=%v reason=%q", s.Trusted, s.TrustReason)
	}
	if s := keys.Describe(id, at, []*x509.Certificate{pki.Root}); !s.Trusted {
		t.Fatalf("with the fixture root given: %q", s.TrustReason)
	}
	if len(s.Warnings) != 0 {
		t.Fatalf("warnings for a certificate with a subject: %v", s.Warnings)
	}
	_, empty := p256(t, "a@example.com")
	if s := keys.Describe(empty, at, nil); len(s.Warnings) != 1 || !strings.Contains(s.Warnings[0], "gpgsm") || s.KeyType != "ECDSA P-256" {
		t.Fatalf("empty subject: %v %q", s.Warnings, s.KeyType)
	}
}

// However an Identity is printed, the private key does not come out.
func TestIdentityNeverPrintsKey(t *testing.T) {
	_, id := p256(t, "a@example.com")
	d := id.Key.(*ecdsa.PrivateKey).D.String()
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%d", "%x"} {
		if out := fmt.Sprintf(verb, id); strings.Contains(out, d) || strings.Contains(out, fmt.Sprintf("%x", id.Key.(*ecdsa.PrivateKey).D)) || !strings.Contains(out, "a@example.com") {
			t.Fatalf("%s printed %q", verb, out)
		}
	}
}
