package classify

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// profile describes a leaf certificate for a test: its policies and its
// subject attributes in order.
type profile struct {
	policies []string
	subject  []pkix.AttributeTypeAndValue
}

func attr(oid asn1.ObjectIdentifier, v string) pkix.AttributeTypeAndValue {
	return pkix.AttributeTypeAndValue{Type: oid, Value: v}
}

var (
	keyOnce sync.Once
	testKey *ecdsa.PrivateKey
)

// mint builds a self-signed certificate for p. Classification never looks at
// the issuer, so no CA is needed.
func mint(t testing.TB, p profile) *x509.Certificate {
	t.Helper()
	keyOnce.Do(func() {
		var err error
		if testKey, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
			panic(err)
		}
	})
	tmpl := &x509.Certificate{
		SerialNumber:   big.NewInt(1),
		Subject:        pkix.Name{ExtraNames: p.subject},
		NotBefore:      time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:       time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC),
		EmailAddresses: []string{"hanako.yamada@example.com"},
		ExtKeyUsage:    []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection},
		KeyUsage:       x509.KeyUsageDigitalSignature,
	}
	for _, s := range p.policies {
		oid, err := x509.ParseOID(s)
		if err != nil {
			t.Fatalf("policy %q: %v", s, err)
		}
		tmpl.Policies = append(tmpl.Policies, oid)
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &testKey.PublicKey, testKey)
	require.NoError(t, err, "create certificate")
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err, "parse certificate")
	return cert
}
