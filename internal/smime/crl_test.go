package smime

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/mailseal/mailseal/internal/testpki"
	"github.com/stretchr/testify/require"
)

// TestStaleOrOutOfScopeListsProveNothing: an empty list signed by the issuer says "not
// revoked" only when it is current and covers the certificate; otherwise it is set aside in
// words, and a hard-fail policy fails.
func TestStaleOrOutOfScopeListsProveNothing(t *testing.T) {
	pki, id := issue9Signer(t, "Ana Stale List")
	signed, delivered := testpki.Epoch, testpki.Epoch.Add(time.Hour)
	msg := signedAt(t, id, testpki.Header{Date: signed, Received: delivered}, signed)
	now := delivered.Add(2 * day)
	idp := func(v any) pkix.Extension {
		der, err := asn1.Marshal(v)
		require.NoError(t, err)
		return pkix.Extension{Id: asn1.ObjectIdentifier{2, 5, 29, 28}, Critical: true, Value: der}
	}
	otherDP := issuingDistributionPoint("http://crl.example/other.crl")
	caOnly := idp(struct {
		CA bool `asn1:"tag:2"`
	}{true})
	cases := []struct {
		name       string
		this, next time.Time
		ext        []pkix.Extension
		why        string
	}{
		{"past nextUpdate", signed.Add(-30 * day), delivered.Add(day), nil, "out of date"},
		{"issued in the future", now.Add(day), now.Add(30 * day), nil, "dated in the future"},
		{"another distribution point", signed, signed.Add(30 * day), []pkix.Extension{otherDP}, "not one the certificate names"},
		{"CA certificates only", signed, signed.Add(30 * day), []pkix.Extension{caOnly}, "CA certificates only"},
		{"delta list", signed, signed.Add(30 * day), []pkix.Extension{{Id: asn1.ObjectIdentifier{2, 5, 29, 27}, Critical: true, Value: []byte{2, 1, 1}}}, "delta"},
	}
	for _, c := range cases {
		crl, err := pki.CRL(&x509.RevocationList{Number: big.NewInt(42), ThisUpdate: c.this, NextUpdate: c.next, ExtraExtensions: c.ext})
		require.NoError(t, err)
		r := verifyWith(t, pki, msg, Options{Now: now, CRLs: [][]byte{crl}})
		if r.Status != StatusValid || !strings.Contains(joined(r), c.why) || !strings.Contains(joined(r), "revocation was not checked") {
			t.Errorf("%s, soft-fail: %s %q", c.name, r.Status, joined(r))
		}
		r = verifyWith(t, pki, msg, Options{Now: now, CRLs: [][]byte{crl}, RequireRevocation: true})
		if r.Status != StatusUntrusted || !strings.Contains(joined(r), "revocation could not be checked") {
			t.Errorf("%s, hard-fail: %s %q", c.name, r.Status, joined(r))
		}
	}
	// The same list, current and complete, is what hard-fail needs.
	crl, err := pki.CRL(&x509.RevocationList{Number: big.NewInt(43), ThisUpdate: signed, NextUpdate: signed.Add(30 * day)})
	require.NoError(t, err)
	if r := verifyWith(t, pki, msg, Options{Now: now, CRLs: [][]byte{crl}, RequireRevocation: true}); r.Status != StatusValid {
		t.Errorf("current list, hard-fail: %s %q", r.Status, joined(r))
	}
	// A stale list that lists the certificate still revokes it: revocations are never withdrawn.
	stale, err := pki.CRL(&x509.RevocationList{Number: big.NewInt(44), ThisUpdate: signed, NextUpdate: signed.Add(day),
		RevokedCertificateEntries: []x509.RevocationListEntry{{SerialNumber: id.Certificate.SerialNumber, RevocationTime: signed.Add(-day)}}})
	require.NoError(t, err)
	if r := verifyWith(t, pki, msg, Options{Now: now, CRLs: [][]byte{stale}}); r.Status != StatusRevoked {
		t.Errorf("stale list naming the certificate: %s %q", r.Status, joined(r))
	}
}

// TestListForTheCertificatesDistributionPoint: a list whose issuing distribution point is
// one the certificate names covers it; hard-fail passes.
func TestListForTheCertificatesDistributionPoint(t *testing.T) {
	pki := testpki.MustNew(t)
	uri := "http://crl.example/ana.crl"
	prof := testpki.MailboxProfile(testpki.Strict, "ana@bank.example")
	prof.Subject.CommonName, prof.CRLDistributionPoints = "Ana Partitioned", []string{uri}
	prof.NotBefore, prof.NotAfter = testpki.Epoch.Add(-30*day), testpki.Epoch.Add(30*day)
	id := pki.MustIssue(t, prof)
	msg := signedAt(t, id, testpki.Header{Date: testpki.Epoch, Received: testpki.Epoch.Add(time.Hour)}, testpki.Epoch)
	crl, err := pki.CRL(&x509.RevocationList{Number: big.NewInt(45), ThisUpdate: testpki.Epoch, NextUpdate: testpki.Epoch.Add(30 * day),
		ExtraExtensions: []pkix.Extension{issuingDistributionPoint(uri)}})
	require.NoError(t, err)
	r := verifyWith(t, pki, msg, Options{Now: testpki.Epoch.Add(day), CRLs: [][]byte{crl}, RequireRevocation: true})
	if r.Status != StatusValid {
		t.Errorf("%s %q", r.Status, joined(r))
	}
}

// issuingDistributionPoint is the critical CRL extension naming one address (uri under 120
// bytes): SEQUENCE { distributionPoint [0] { fullName [0] { uniformResourceIdentifier [6] } } }.
func issuingDistributionPoint(uri string) pkix.Extension {
	dp := append([]byte{0xa0, byte(len(uri) + 4), 0xa0, byte(len(uri) + 2), 0x86, byte(len(uri))}, uri...)
	return pkix.Extension{Id: asn1.ObjectIdentifier{2, 5, 29, 28}, Critical: true, Value: append([]byte{0x30, byte(len(dp))}, dp...)}
}
