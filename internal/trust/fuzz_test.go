package trust

import (
	"bytes"
	"crypto/x509"
	"testing"
	"time"

	"golang.org/x/crypto/cryptobyte"
	casn1 "golang.org/x/crypto/cryptobyte/asn1"

	"github.com/mailseal/mailseal/internal/fuzzlimit"
	"github.com/mailseal/mailseal/internal/testpki"
	"github.com/stretchr/testify/require"
)

// FuzzChain builds chains from certificates a message could carry. The input is DER
// certificates one after another: the first is the signer's, the last is trusted as a given
// root, the rest are the message's intermediates. Whatever they are (hostile keys, loops,
// dozens of one name), Validate must answer within fuzzlimit and spend no more than its
// Budget, and a good answer must be a chain from the signer to the root.
func FuzzChain(f *testing.F) {
	pki := testpki.MustNew(f)
	join := func(certs ...*x509.Certificate) []byte {
		var b []byte
		for _, c := range certs {
			b = append(b, c.Raw...)
		}
		return b
	}
	alice := pki.MustIssue(f, testpki.MailboxProfile(testpki.Strict, "alice@example.com"))
	f.Add(join(alice.Certificate, pki.Intermediate, pki.Root))
	f.Add(join(alice.Certificate, pki.SHA1Intermediate, pki.Intermediate, pki.Root))
	f.Add(join(alice.Certificate, pki.Root))
	hostile, err := pki.HostileIdentity(testpki.MailboxProfile(testpki.Strict, "h@example.com"), testpki.HostileKey(16384, 65537))
	require.NoError(f, err)
	f.Add(join(hostile.Certificate, pki.Intermediate, pki.Root))
	f.Add(join(alice.Certificate, hostile.Certificate, pki.Intermediate, pki.Root))
	bomb := pki.MustIssue(f, testpki.MailboxProfile(testpki.Strict, "bomb@example.com"))
	require.NoError(f, pki.ChainBomb(bomb, 12))
	f.Add(join(append(append([]*x509.Certificate{bomb.Certificate}, bomb.Chain...), pki.Root)...))
	at := testpki.Epoch.Add(time.Hour)
	f.Fuzz(func(t *testing.T, data []byte) {
		certs := splitCertificates(data, 70)
		if len(certs) < 2 {
			return
		}
		leaf, root := certs[0], certs[len(certs)-1]
		fuzzlimit.Run(t, func() {
			budget := NewBudget(48)
			r := NewStore(nil, []*x509.Certificate{root}, nil).Validate(leaf, certs[1:len(certs)-1], Request{At: at, Now: at, Budget: budget})
			if budget.Left() < 0 {
				t.Fatalf("spent more than the budget: %d left", budget.Left())
			}
			if r.Problem == OK {
				if len(r.Chain) < 1 || r.Chain[0] != leaf || !bytes.Equal(r.Chain[len(r.Chain)-1].Raw, root.Raw) || len(r.Chain) > MaxPathLength {
					t.Fatalf("a good result with chain of %d certificates", len(r.Chain))
				}
			} else if r.Reason == "" {
				t.Fatalf("problem %q without a reason", r.Problem)
			}
		})
	})
}

// splitCertificates parses up to max DER certificates from the front of data, skipping
// elements that are not certificates.
func splitCertificates(data []byte, max int) []*x509.Certificate {
	in := cryptobyte.String(data)
	var out []*x509.Certificate
	for !in.Empty() && len(out) < max {
		var der cryptobyte.String
		if !in.ReadASN1Element(&der, casn1.SEQUENCE) {
			break
		}
		if c, err := x509.ParseCertificate(der); err == nil {
			out = append(out, c)
		}
	}
	return out
}

// FuzzIssuingDistributionPoint reads arbitrary bytes as a CRL's issuingDistributionPoint
// (hand-written ASN.1 in revocation.go) for a CA and an end-entity certificate: no panic,
// and a reason whenever the list is not in scope.
func FuzzIssuingDistributionPoint(f *testing.F) {
	uri := "http://crl.example/ca.crl"
	dp := append([]byte{0xa0, byte(len(uri) + 4), 0xa0, byte(len(uri) + 2), 0x86, byte(len(uri))}, uri...)
	f.Add(append([]byte{0x30, byte(len(dp))}, dp...))
	f.Add([]byte{0x30, 0x03, 0x81, 0x01, 0xff})                   // onlyContainsUserCerts
	f.Add([]byte{0x30, 0x03, 0x82, 0x01, 0xff})                   // onlyContainsCACerts
	f.Add([]byte{0x30, 0x04, 0x83, 0x02, 0x07, 0x80})             // onlySomeReasons
	f.Add([]byte{0x30, 0x06, 0xa0, 0x04, 0xa1, 0x02, 0x31, 0x00}) // nameRelativeToCRLIssuer
	leaf := &x509.Certificate{CRLDistributionPoints: []string{uri}}
	ca := &x509.Certificate{IsCA: true, CRLDistributionPoints: []string{uri}}
	f.Fuzz(func(t *testing.T, der []byte) {
		for _, c := range []*x509.Certificate{leaf, ca} {
			why := outOfScope(der, c)
			if why.Code == "" && len(der) < 2 {
				t.Fatalf("%x read as in scope", der)
			}
		}
	})
}
