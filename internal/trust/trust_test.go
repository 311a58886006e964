package trust

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/mailseal/mailseal/internal/fuzzlimit"
	"github.com/mailseal/mailseal/internal/roots"
	"github.com/mailseal/mailseal/internal/testpki"
	"github.com/stretchr/testify/require"
)

var at = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

type ca struct {
	cert *x509.Certificate
	key  crypto.Signer
}

var serial int64

func issue(t *testing.T, parent *ca, tmpl *x509.Certificate, key crypto.Signer) *ca {
	t.Helper()
	serial++
	tmpl.SerialNumber = big.NewInt(serial)
	if tmpl.NotBefore.IsZero() {
		tmpl.NotBefore, tmpl.NotAfter = at.AddDate(-1, 0, 0), at.AddDate(1, 0, 0)
	}
	if key == nil {
		key, _ = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	}
	signer, issuer := key, tmpl
	if parent != nil {
		signer, issuer = parent.key, parent.cert
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, issuer, key.Public(), signer)
	require.NoError(t, err)
	c, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return &ca{c, key}
}

func caTemplate(name string) *x509.Certificate {
	return &x509.Certificate{Subject: pkix.Name{CommonName: name}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign}
}

func leafTemplate() *x509.Certificate {
	return &x509.Certificate{Subject: pkix.Name{CommonName: "alice"}, EmailAddresses: []string{"alice@example.com"},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection}}
}

func TestValidate(t *testing.T) {
	root := issue(t, nil, caTemplate("Root"), nil)
	inter := issue(t, root, caTemplate("Intermediate"), nil)
	leaf := issue(t, inter, leafTemplate(), nil)
	other := issue(t, nil, caTemplate("Other Root"), nil)
	otherInter := issue(t, other, caTemplate("Other Intermediate"), nil)
	otherLeaf := issue(t, otherInter, leafTemplate(), nil)
	selfLeaf := issue(t, nil, leafTemplate(), nil)

	mod := func(f func(*x509.Certificate)) *x509.Certificate {
		tmpl := leafTemplate()
		f(tmpl)
		return issue(t, inter, tmpl, nil).cert
	}
	rsa1024, _ := rsa.GenerateKey(rand.Reader, 1024)
	shortKey := issue(t, inter, leafTemplate(), rsa1024).cert
	interTLS := caTemplate("TLS-only Intermediate")
	interTLS.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
	tlsInter := issue(t, root, interTLS, nil)
	underTLS := issue(t, tlsInter, leafTemplate(), nil).cert

	store := NewStore([][]byte{root.cert.Raw}, nil, nil)
	cases := []struct {
		name          string
		leaf          *x509.Certificate
		intermediates []*x509.Certificate
		when          time.Time
		want          Problem
		reason        string
	}{
		{"good chain", leaf.cert, []*x509.Certificate{inter.cert}, at, OK, ""},
		{"expired at the time", leaf.cert, []*x509.Certificate{inter.cert}, at.AddDate(2, 0, 0), Expired, "had expired"},
		{"not yet valid", leaf.cert, []*x509.Certificate{inter.cert}, at.AddDate(-2, 0, 0), NotYetValid, "not yet valid"},
		{"missing intermediate", leaf.cert, nil, at, MissingIntermediate, "missing intermediate"},
		{"unknown root, sent", otherLeaf.cert, []*x509.Certificate{otherInter.cert, other.cert}, at, UnknownRoot, "not a root trusted"},
		{"unknown root, intermediate sent", otherLeaf.cert, []*x509.Certificate{otherInter.cert}, at, UnknownRoot, "untrusted root"},
		{"self-signed", selfLeaf.cert, nil, at, Untrusted, "self-signed"},
		{"server EKU only", mod(func(c *x509.Certificate) { c.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth} }), []*x509.Certificate{inter.cert}, at, Usage, "emailProtection"},
		{"no EKU is allowed", mod(func(c *x509.Certificate) { c.ExtKeyUsage = nil }), []*x509.Certificate{inter.cert}, at, OK, ""},
		{"any EKU is allowed", mod(func(c *x509.Certificate) { c.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageAny} }), []*x509.Certificate{inter.cert}, at, OK, ""},
		{"key encipherment only", mod(func(c *x509.Certificate) { c.KeyUsage = x509.KeyUsageKeyEncipherment }), []*x509.Certificate{inter.cert}, at, Usage, "key usage"},
		{"non-repudiation only", mod(func(c *x509.Certificate) { c.KeyUsage = x509.KeyUsageContentCommitment }), []*x509.Certificate{inter.cert}, at, OK, ""},
		{"intermediate not for email", underTLS, []*x509.Certificate{tlsInter.cert}, at, Usage, "issuing CA"},
		{"RSA-1024 signer", shortKey, []*x509.Certificate{inter.cert}, at, Weak, "1024 bits"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := store.validateAt(c.leaf, c.intermediates, c.when, nil)
			if r.Problem != c.want || !strings.Contains(r.Reason, c.reason) {
				t.Fatalf("got %q %q, want %q containing %q", r.Problem, r.Reason, c.want, c.reason)
			}
			if r.Problem == OK && (r.Anchor != AnchorBundled || len(r.Chain) != 3) {
				t.Fatalf("anchor %q chain %d", r.Anchor, len(r.Chain))
			}
		})
	}
}

func TestAnchorKinds(t *testing.T) {
	root := issue(t, nil, caTemplate("Root"), nil)
	leaf := issue(t, root, leafTemplate(), nil)
	for _, kind := range []AnchorKind{AnchorBundled, AnchorGiven, AnchorUser} {
		var s *Store
		switch kind {
		case AnchorBundled:
			s = NewStore([][]byte{root.cert.Raw}, nil, nil)
		case AnchorGiven:
			s = NewStore(nil, []*x509.Certificate{root.cert}, nil)
		case AnchorUser:
			s = NewStore(nil, nil, []*x509.Certificate{root.cert})
		}
		if r := s.validateAt(leaf.cert, nil, at, nil); r.Problem != OK || r.Anchor != kind {
			t.Errorf("%s: %q %q", kind, r.Anchor, r.Reason)
		}
	}
}

// TestAnchorListedTwiceKeepsTheStrongerKind: a root an administrator gives and the
// user also adds is trusted as given, and the same bytes are one anchor, not two.
func TestAnchorListedTwiceKeepsTheStrongerKind(t *testing.T) {
	root := issue(t, nil, caTemplate("Root"), nil)
	other := issue(t, nil, caTemplate("Root"), nil) // same subject, other key and bytes
	s := NewStore([][]byte{root.cert.Raw}, []*x509.Certificate{root.cert}, []*x509.Certificate{root.cert, other.cert})
	if k := s.Kind(root.cert); k != AnchorGiven {
		t.Errorf("root given, bundled and added: kind %q, want given", k)
	}
	if k := s.Kind(other.cert); k != AnchorUser {
		t.Errorf("a root with the same subject but other bytes: kind %q, want user", k)
	}
	if n := len(s.bySubject[string(root.cert.RawSubject)]); n != 2 {
		t.Errorf("%d anchors under the subject, want 2", n)
	}
	if k := NewStore(nil, nil, nil).Kind(root.cert); k != AnchorNone {
		t.Errorf("empty store: kind %q", k)
	}
}

// TestResultsAreKeptPerStore: a chain validated under one set of anchors is not
// answered from the cache under another that lacks its root.
func TestResultsAreKeptPerStore(t *testing.T) {
	root := issue(t, nil, caTemplate("Root"), nil)
	leaf := issue(t, root, leafTemplate(), nil)
	if r := NewStore(nil, []*x509.Certificate{root.cert}, nil).validateAt(leaf.cert, nil, at, nil); r.Problem != OK {
		t.Fatal(r.Reason)
	}
	if r := NewStore(nil, nil, nil).validateAt(leaf.cert, nil, at, nil); r.Problem == OK {
		t.Error("a store without the root validated the chain")
	}
}

func TestRevocation(t *testing.T) {
	root := issue(t, nil, caTemplate("Root"), nil)
	leaf := issue(t, root, leafTemplate(), nil)
	store := NewStore([][]byte{root.cert.Raw}, nil, nil)
	crl := func(revokedAt time.Time, reason int) []byte {
		der, err := x509.CreateRevocationList(rand.Reader, &x509.RevocationList{
			Number: big.NewInt(1), ThisUpdate: at.AddDate(0, -1, 0), NextUpdate: at.AddDate(0, 1, 0),
			RevokedCertificateEntries: []x509.RevocationListEntry{{SerialNumber: leaf.cert.SerialNumber, RevocationTime: revokedAt, ReasonCode: reason}},
		}, root.cert, root.key)
		require.NoError(t, err)
		return der
	}
	if r := store.validateAt(leaf.cert, nil, at, [][]byte{crl(at.AddDate(0, 0, -1), 4)}); r.Problem != Revoked {
		t.Errorf("revoked before signing: %q %q", r.Problem, r.Reason)
	}
	if r := store.validateAt(leaf.cert, nil, at, [][]byte{crl(at.AddDate(0, 0, 1), 4)}); r.Problem != OK || !r.RevocationChecked {
		t.Errorf("superseded after signing: %q %q, checked %v", r.Problem, r.Reason, r.RevocationChecked)
	}
	if r := store.validateAt(leaf.cert, nil, at, nil); r.Problem != OK || r.RevocationChecked {
		t.Errorf("no CRL: %q, checked %v", r.Problem, r.RevocationChecked)
	}
	// Revoked (superseded) an hour after one message and before another: no cache may carry
	// the first answer over to the second.
	later := [][]byte{crl(at.Add(time.Hour), 4)}
	if r := store.validateAt(leaf.cert, nil, at, later); r.Problem != OK {
		t.Errorf("before the revocation time: %q %q", r.Problem, r.Reason)
	}
	if r := store.validateAt(leaf.cert, nil, at.Add(2*time.Hour), later); r.Problem != Revoked {
		t.Errorf("after the revocation time, the same day: %q", r.Problem)
	}
	if r := store.validateAt(leaf.cert, nil, at, [][]byte{crl(at.AddDate(0, 0, 1), 1)}); r.Problem != Revoked || !strings.Contains(r.Reason, "compromised") {
		t.Errorf("key compromise after signing: %q %q", r.Problem, r.Reason)
	}
	forged := issue(t, nil, caTemplate("Root"), nil) // same name, other key: its CRL proves nothing
	der, _ := x509.CreateRevocationList(rand.Reader, &x509.RevocationList{Number: big.NewInt(2), ThisUpdate: at, NextUpdate: at.AddDate(0, 1, 0),
		RevokedCertificateEntries: []x509.RevocationListEntry{{SerialNumber: leaf.cert.SerialNumber, RevocationTime: at.AddDate(-1, 0, 0)}}}, forged.cert, forged.key)
	if r := store.validateAt(leaf.cert, nil, at, [][]byte{der}); r.Problem != OK || r.RevocationChecked {
		t.Errorf("CRL signed by another key was believed: %q, checked %v", r.Reason, r.RevocationChecked)
	}
}

func TestCacheAnswersOnlyInsideTheChainsValidity(t *testing.T) {
	root := issue(t, nil, caTemplate("Root"), nil)
	tmpl := leafTemplate()
	tmpl.NotBefore, tmpl.NotAfter = at.Add(-time.Hour), at.Add(time.Hour) // issued and expiring that day
	leaf := issue(t, root, tmpl, nil)
	store := NewStore([][]byte{root.cert.Raw}, nil, nil)
	if r := store.validateAt(leaf.cert, nil, at, nil); r.Problem != OK {
		t.Fatal(r.Reason)
	}
	if _, ok := results.get(cacheKey(store, leaf.cert, nil), at.Add(30*time.Minute)); !ok {
		t.Error("a certificate issued today was not cached today")
	}
	// Later the same day the certificate has expired; earlier it was not yet valid.
	if r := store.validateAt(leaf.cert, nil, at.Add(2*time.Hour), nil); r.Problem != Expired {
		t.Errorf("cached result hid an expiry: %q", r.Problem)
	}
	if r := store.validateAt(leaf.cert, nil, at.Add(-2*time.Hour), nil); r.Problem != NotYetValid {
		t.Errorf("cached result hid a start of validity: %q", r.Problem)
	}
}

// TestRawSubjectReadsEveryBundledRoot checks the DER shortcut against x509's own parse.
func TestRawSubjectReadsEveryBundledRoot(t *testing.T) {
	for i, c := range roots.Bundled() {
		subject, ok := rawSubject(c.Raw)
		if !ok || !bytes.Equal(subject, c.RawSubject) {
			t.Errorf("root %d (%s): subject not read", i, c.Subject)
		}
	}
	for _, bad := range [][]byte{nil, {0x30}, {0x30, 0x03, 0x30, 0x01, 0x00}} {
		if _, ok := rawSubject(bad); ok {
			t.Errorf("rawSubject(%x) read a subject", bad)
		}
	}
}

// validateAt judges at one time, which is also the delivery time and the present.
func (s *Store) validateAt(leaf *x509.Certificate, intermediates []*x509.Certificate, when time.Time, crls [][]byte) Result {
	return s.Validate(leaf, intermediates, Request{At: when, Now: when, CRLs: crls})
}

// TestChainBuildingIsBounded: of sixty intermediates that share the issuer's name and key
// identifier, each with an 8192-bit key the leaf's signature has the size for, only a few
// are handed to x509.Verify, and a budget too small for them stops the build in words.
func TestChainBuildingIsBounded(t *testing.T) {
	pki := testpki.MustNew(t)
	id := pki.MustIssue(t, testpki.MailboxProfile(testpki.Strict, "bomb@example.com"))
	require.NoError(t, pki.ChainBomb(id, 60))
	store := NewStore(nil, []*x509.Certificate{pki.Root}, nil)
	c := store.candidates(id.Certificate, id.Chain)
	if len(c.intermediates) != maxIssuersPerName || c.checks > 2*maxIssuersPerName {
		t.Errorf("%d intermediates, %d checks", len(c.intermediates), c.checks)
	}
	start := fuzzlimit.CPUTime() // CPU, not wall: a busy machine does not move it
	r := store.Validate(id.Certificate, id.Chain, Request{At: testpki.Epoch, Budget: NewBudget(48)})
	if took := fuzzlimit.CPUTime() - start; r.Problem == OK || took > 250*time.Millisecond {
		t.Errorf("%q in %v", r.Problem, took)
	}
	r = store.Validate(id.Certificate, id.Chain, Request{At: testpki.Epoch, Budget: NewBudget(1)})
	if r.Problem != Unsupported || !strings.Contains(r.Reason, "signature checks") {
		t.Errorf("budget of 1: %q %q", r.Problem, r.Reason)
	}
}

// TestLongChainsAreNotFollowed: a chain of MaxPathLength certificates is built, a longer one is not.
func TestLongChainsAreNotFollowed(t *testing.T) {
	root := issue(t, nil, caTemplate("Root"), nil)
	store := NewStore([][]byte{root.cert.Raw}, nil, nil)
	parent := root
	var inters []*x509.Certificate
	for i := 1; i <= MaxPathLength; i++ {
		leaf := issue(t, parent, leafTemplate(), nil)
		r := store.validateAt(leaf.cert, inters, at, nil)
		if chainLen := i + 1; (r.Problem == OK) != (chainLen <= MaxPathLength) {
			t.Errorf("chain of %d certificates: %q %s", chainLen, r.Problem, r.Reason)
		}
		parent = issue(t, parent, caTemplate(fmt.Sprintf("CA %d", i)), nil)
		inters = append([]*x509.Certificate{parent.cert}, inters...)
	}
}
