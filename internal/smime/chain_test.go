package smime

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"slices"
	"testing"
	"time"

	"github.com/mailseal/mailseal/internal/trust"
	"github.com/stretchr/testify/require"
)

// TestDescribeChainKeepsOnlyHTTPRevocationAddresses: the addresses a client may fetch a CRL
// from are HTTP ones, few and short; LDAP and the rest are left out.
func TestDescribeChainKeepsOnlyHTTPRevocationAddresses(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	long := "http://crl.example/" + string(make([]byte, 600))
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		CRLDistributionPoints: []string{"ldap://dir.example/cn=CA?certificateRevocationList", "http://crl.example/ca.crl",
			long, "https://crl.example/ca.crl", "http://a.example/1.crl", "http://b.example/2.crl", "http://c.example/3.crl", "http://d.example/4.crl"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	cert, _ := x509.ParseCertificate(der)
	got := describeChain(trust.Result{Chain: []*x509.Certificate{cert}}, trust.NewStore(nil, nil, nil))[0].CRLs
	want := []string{"http://crl.example/ca.crl", "http://a.example/1.crl", "http://b.example/2.crl", "http://c.example/3.crl"}
	if !slices.Equal(got, want) {
		t.Errorf("CRL addresses %q, want %q", got, want)
	}
}
