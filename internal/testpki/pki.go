package testpki

import (
	"crypto"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/mailseal/mailseal/internal/cms"
)

// Epoch is the reference time of every fixture: certificates are valid around it,
// messages are written and delivered just after it.
var Epoch = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

const day = 24 * time.Hour

// PKI is the fixture CA. Root is the trust anchor tests pass as smime.Options.Roots;
// OtherRoot is a second, unrelated root that nothing trusts.
type PKI struct {
	Root             *x509.Certificate
	Intermediate     *x509.Certificate
	SHA1Intermediate *x509.Certificate // same key as Intermediate, signed by Root with SHA-1
	OtherRoot        *x509.Certificate
	// OtherIntermediate is an S/MIME CA under OtherRoot (with Intermediate's key): a message
	// can carry it, and its chain still ends at a root nothing trusts.
	OtherIntermediate *x509.Certificate

	rootKey, intermediateKey, otherRootKey crypto.Signer
}

// Identity is an end entity: its certificate, key and the intermediates a message carries.
type Identity struct {
	Certificate *x509.Certificate
	Key         crypto.Signer
	Chain       []*x509.Certificate // never the root
}

// Signer returns the identity as a cms.Signer.
func (id *Identity) Signer() cms.Signer {
	return cms.Signer{Certificate: id.Certificate, Key: id.Key, Chain: id.Chain}
}

var (
	pkiOnce sync.Once
	pki     *PKI
	pkiErr  error
)

// New returns the fixture PKI, built once per process and identical in every run.
func New() (*PKI, error) {
	pkiOnce.Do(func() { pki, pkiErr = build() })
	return pki, pkiErr
}

// MustNew is New for tests.
func MustNew(tb testing.TB) *PKI {
	tb.Helper()
	p, err := New()
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

func build() (*PKI, error) {
	p := &PKI{}
	var err error
	for _, k := range []struct {
		dst  *crypto.Signer
		name KeyType
	}{{&p.rootKey, keyRoot}, {&p.intermediateKey, keyIntermediate}, {&p.otherRootKey, keyOtherRoot}} {
		if *k.dst, err = Key(k.name); err != nil {
			return nil, err
		}
	}
	ca := func(serial int64, cn string, key crypto.Signer, from, to time.Duration, parent *x509.Certificate, parentKey crypto.Signer, alg x509.SignatureAlgorithm) (*x509.Certificate, error) {
		tmpl := &x509.Certificate{
			SerialNumber:          big.NewInt(serial),
			Subject:               pkix.Name{Country: []string{"XX"}, Organization: []string{"Mailseal Test"}, CommonName: cn},
			NotBefore:             Epoch.Add(from),
			NotAfter:              Epoch.Add(to),
			KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
			BasicConstraintsValid: true,
			IsCA:                  true,
			SubjectKeyId:          keyID(key.Public()),
			SignatureAlgorithm:    alg,
		}
		if parent == nil {
			parent, parentKey = tmpl, key
		} else {
			// S/MIME BR §7.1.2.2: a subordinate CA limited to email protection.
			tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection}
		}
		return issue(tmpl, parent, key.Public(), parentKey)
	}
	if p.Root, err = ca(1, "Mailseal Test Root CA", p.rootKey, -5*365*day, 20*365*day, nil, nil, 0); err != nil {
		return nil, err
	}
	if p.Intermediate, err = ca(2, "Mailseal Test S/MIME CA", p.intermediateKey, -2*365*day, 8*365*day, p.Root, p.rootKey, 0); err != nil {
		return nil, err
	}
	if p.SHA1Intermediate, err = ca(3, "Mailseal Test SHA-1 S/MIME CA", p.intermediateKey, -2*365*day, 8*365*day, p.Root, p.rootKey, x509.SHA1WithRSA); err != nil {
		return nil, err
	}
	if p.OtherRoot, err = ca(1, "Unrelated Test Root CA", p.otherRootKey, -5*365*day, 20*365*day, nil, nil, 0); err != nil {
		return nil, err
	}
	if p.OtherIntermediate, err = ca(4, "Unrelated Test S/MIME CA", p.intermediateKey, -2*365*day, 8*365*day, p.OtherRoot, p.otherRootKey, 0); err != nil {
		return nil, err
	}
	return p, nil
}

// Issue mints the end-entity certificate prof describes.
func (p *PKI) Issue(prof Profile) (*Identity, error) {
	if prof.Key == "" {
		prof.Key = RSA2048
	}
	key, err := Key(prof.Key)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		NotBefore:    prof.NotBefore,
		NotAfter:     prof.NotAfter,
		KeyUsage:     prof.KeyUsage,
		ExtKeyUsage:  prof.ExtKeyUsage,
		SubjectKeyId: keyID(key.Public()),

		CRLDistributionPoints: prof.CRLDistributionPoints,
	}
	if tmpl.NotBefore.IsZero() {
		tmpl.NotBefore = Epoch.Add(-30 * day)
	}
	if tmpl.NotAfter.IsZero() {
		tmpl.NotAfter = Epoch.Add(365 * day)
	}
	if tmpl.KeyUsage == 0 {
		tmpl.KeyUsage = x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment
	}
	if prof.NoEKU {
		tmpl.ExtKeyUsage = nil
	} else if tmpl.ExtKeyUsage == nil {
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection}
	}
	subject := prof.Subject
	if prof.NoSAN {
		subject.Email = prof.Email
	} else {
		san, err := prof.subjectAltName()
		if err != nil {
			return nil, fmt.Errorf("testpki: %w", err)
		}
		tmpl.ExtraExtensions = append(tmpl.ExtraExtensions, pkix.Extension{Id: oidSubjectAltName, Value: san})
	}
	if tmpl.RawSubject, err = subject.der(); err != nil {
		return nil, fmt.Errorf("testpki: subject: %w", err)
	}
	for _, oid := range prof.Policies {
		ints := make([]uint64, len(oid))
		for i, n := range oid {
			ints[i] = uint64(n)
		}
		o, err := x509.OIDFromInts(ints)
		if err != nil {
			return nil, fmt.Errorf("testpki: policy %v: %w", oid, err)
		}
		tmpl.Policies = append(tmpl.Policies, o)
	}

	id := &Identity{Key: key}
	var parent *x509.Certificate
	var parentKey crypto.Signer
	switch prof.Issuer {
	case ByIntermediate:
		parent, parentKey, id.Chain = p.Intermediate, p.intermediateKey, []*x509.Certificate{p.Intermediate}
	case BySHA1Intermediate:
		parent, parentKey, id.Chain = p.SHA1Intermediate, p.intermediateKey, []*x509.Certificate{p.SHA1Intermediate}
	case ByOtherRoot:
		parent, parentKey = p.OtherRoot, p.otherRootKey
	case ByOtherIntermediate:
		parent, parentKey, id.Chain = p.OtherIntermediate, p.intermediateKey, []*x509.Certificate{p.OtherIntermediate}
	case SelfSigned:
		parent, parentKey = tmpl, key
	default:
		return nil, fmt.Errorf("testpki: unknown issuer kind %d", prof.Issuer)
	}
	tmpl.SerialNumber = serialFor(tmpl, key, prof.Issuer)
	if id.Certificate, err = issue(tmpl, parent, key.Public(), parentKey); err != nil {
		return nil, err
	}
	return id, nil
}

// MustIssue is Issue for tests.
func (p *PKI) MustIssue(tb testing.TB, prof Profile) *Identity {
	tb.Helper()
	id, err := p.Issue(prof)
	if err != nil {
		tb.Fatal(err)
	}
	return id
}

// Revocations returns a CRL from the Intermediate listing the certificates as revoked
// at the given time for the given reason (RFC 5280 §5.3.1, 1 = keyCompromise).
func (p *PKI) Revocations(at time.Time, reason int, certs ...*x509.Certificate) ([]byte, error) {
	tmpl := &x509.RevocationList{
		Number:     big.NewInt(at.Unix()),
		ThisUpdate: at,
		NextUpdate: at.Add(30 * day),
	}
	for _, c := range certs {
		tmpl.RevokedCertificateEntries = append(tmpl.RevokedCertificateEntries,
			x509.RevocationListEntry{SerialNumber: c.SerialNumber, RevocationTime: at, ReasonCode: reason})
	}
	return p.CRL(tmpl)
}

// CRL returns the list tmpl describes, signed by the Intermediate.
func (p *PKI) CRL(tmpl *x509.RevocationList) ([]byte, error) {
	der, err := x509.CreateRevocationList(nil, tmpl, p.Intermediate, p.intermediateKey)
	if err != nil {
		return nil, fmt.Errorf("testpki: CRL: %w", err)
	}
	return der, nil
}

func issue(tmpl, parent *x509.Certificate, pub crypto.PublicKey, parentKey crypto.Signer) (*x509.Certificate, error) {
	// The keys ignore the random source (their signatures are deterministic).
	der, err := x509.CreateCertificate(nil, tmpl, parent, pub, parentKey)
	if err != nil {
		return nil, fmt.Errorf("testpki: issuing %q: %w", tmpl.Subject.CommonName, err)
	}
	return x509.ParseCertificate(der)
}

// keyID is the subjectKeyIdentifier: SHA-1 of the whole SubjectPublicKeyInfo (RFC 7093 §2 allows any method).
func keyID(pub crypto.PublicKey) []byte {
	spki, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil
	}
	sum := sha1.Sum(spki)
	return sum[:]
}

// serialFor derives a positive 64-bit serial from everything that makes the certificate
// different, so a profile always gets the same serial and two profiles never share one.
func serialFor(tmpl *x509.Certificate, key crypto.Signer, issuer IssuerKind) *big.Int {
	h := sha256.New()
	spki, _ := x509.MarshalPKIXPublicKey(key.Public())
	fmt.Fprintf(h, "%d|%x|%x|%s|%s|%d|%v|", issuer, tmpl.RawSubject, spki,
		tmpl.NotBefore.UTC().Format(time.RFC3339), tmpl.NotAfter.UTC().Format(time.RFC3339), tmpl.KeyUsage, tmpl.ExtKeyUsage)
	for _, e := range tmpl.ExtraExtensions {
		fmt.Fprintf(h, "%v=%x|", e.Id, e.Value)
	}
	for _, p := range tmpl.Policies {
		fmt.Fprintf(h, "%s|", p)
	}
	var n big.Int
	n.SetBytes(h.Sum(nil)[:8])
	return n.Rsh(&n, 1).Add(&n, big.NewInt(1)) // 63 bits, never zero
}
