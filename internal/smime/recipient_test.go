package smime

import (
	"crypto/x509"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/mailseal/mailseal/internal/testpki"
)

func TestCheckRecipient(t *testing.T) {
	pki := testpki.MustNew(t)
	opts := Options{Roots: []*x509.Certificate{pki.Root}, NoBundledRoots: true, Now: testpki.Epoch.Add(time.Hour)}
	base := func(k testpki.KeyType, ku x509.KeyUsage) testpki.Profile {
		p := testpki.MailboxProfile(testpki.Strict, "bob@example.org")
		p.Key, p.KeyUsage = k, ku
		return p
	}
	for _, c := range []struct {
		name string
		prof testpki.Profile
		addr string
		want string // "" for accepted, else a piece of the reason
	}{
		{"RSA with keyEncipherment", base(testpki.RSA2048, x509.KeyUsageDigitalSignature|x509.KeyUsageKeyEncipherment), "bob@example.org", ""},
		{"address in another case", base(testpki.RSA2048, x509.KeyUsageKeyEncipherment), "Bob@Example.org", ""},
		{"EC with keyAgreement", base(testpki.P256, x509.KeyUsageDigitalSignature|x509.KeyUsageKeyAgreement), "bob@example.org", ""},
		{"RSA signing only", base(testpki.RSA2048, x509.KeyUsageDigitalSignature), "bob@example.org", "lacks keyEncipherment"},
		{"EC without keyAgreement", base(testpki.P256, x509.KeyUsageDigitalSignature|x509.KeyUsageKeyEncipherment), "bob@example.org", "lacks keyAgreement"},
		{"another address", base(testpki.RSA2048, x509.KeyUsageKeyEncipherment), "mallory@example.org", "not issued to this address"},
		{"not for email", func() testpki.Profile {
			p := base(testpki.RSA2048, x509.KeyUsageKeyEncipherment)
			p.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
			return p
		}(), "bob@example.org", "lacks emailProtection"},
		{"untrusted issuer", func() testpki.Profile {
			p := base(testpki.RSA2048, x509.KeyUsageKeyEncipherment)
			p.Issuer = testpki.ByOtherRoot
			return p
		}(), "bob@example.org", ""},
		{"expired", func() testpki.Profile {
			p := base(testpki.RSA2048, x509.KeyUsageKeyEncipherment)
			p.NotAfter = testpki.Epoch.Add(-time.Hour)
			return p
		}(), "bob@example.org", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			id := pki.MustIssue(t, c.prof)
			err := CheckRecipient(id.Certificate, id.Chain, c.addr, opts)
			wantErr := c.want != "" || strings.HasPrefix(c.name, "untrusted") || c.name == "expired"
			if (err != nil) != wantErr {
				t.Fatalf("got %v, want an error: %v", err, wantErr)
			}
			var re *RecipientError
			if err != nil && (!errors.As(err, &re) || !strings.Contains(re.Reason, c.want)) {
				t.Fatalf("got %v, want a reason with %q", err, c.want)
			}
		})
	}
}
