// Package trust validates a signer's certificate chain for S/MIME at a given time.
//
// Chains are built and their signatures checked by crypto/x509.Verify. On top of
// it, this package enforces what x509.Verify leaves to the caller for email:
// key usage (digitalSignature or nonRepudiation where the extension is present),
// extended key usage (emailProtection or anyExtendedKeyUsage where present, on the
// leaf and on intermediates), weak algorithms below the root (SHA-1, MD5, RSA under
// 2048 bits) and revocation by the CRLs the caller supplies (revocation.go says which
// lists count). It bounds what a message can make it do (bounds.go): keys too large to
// compute with are refused, and x509.Verify sees only a few candidate issuers, their
// signature checks counted against a Budget. When no chain is found it says why in
// words: a missing intermediate, an untrusted root, an expiry.
//
// Anchors come in three kinds: bundled (Mozilla's S/MIME roots), given (passed by
// an administrator or on the command line, trusted like bundled ones) and user
// (added by hand in the extension; the caller caps the level for them).
package trust

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/cryptobyte"
	casn1 "golang.org/x/crypto/cryptobyte/asn1"

	"github.com/mailseal/mailseal/internal/classify"
	"github.com/mailseal/mailseal/internal/cms"
	"github.com/mailseal/mailseal/internal/sentence"
)

// AnchorKind says who trusts the root a chain ends at.
type AnchorKind string

const (
	AnchorNone    AnchorKind = ""
	AnchorBundled AnchorKind = "bundled"
	AnchorGiven   AnchorKind = "given"
	AnchorUser    AnchorKind = "user"
)

// Problem names why a chain is not acceptable.
type Problem string

const (
	OK                  Problem = ""
	Untrusted           Problem = "untrusted"
	MissingIntermediate Problem = "missing-intermediate"
	// UnknownRoot: the message carries the chain up to a CA certificate, and the root that
	// issued that one is not an anchor (nothing is missing from the message).
	UnknownRoot Problem = "unknown-root"
	Expired     Problem = "expired"
	NotYetValid Problem = "not-yet-valid"
	Weak        Problem = "weak"
	Usage       Problem = "usage"
	Revoked     Problem = "revoked"
	// Unsupported: a certificate's key is too large to compute with (cms.CheckKeyLimits),
	// or the chain asks for more signature checks than the Budget has left.
	Unsupported Problem = "unsupported"
)

// Result is the outcome of Validate.
type Result struct {
	// Chain runs from the signer to the anchor when one was found; otherwise it is the
	// path that could be followed through the certificates at hand.
	Chain   []*x509.Certificate
	Anchor  AnchorKind
	Problem Problem
	Reason  string        // for a person; set whenever Problem is not OK
	Why     sentence.Text // Reason as a sentence code (package sentence)
	// RevocationChecked: a usable revocation list of the signer's issuer (authentic,
	// current, complete and in scope: see revocation.go) was among the CRLs given and,
	// when Problem is OK, does not list the signer.
	RevocationChecked bool
	// RevocationUnchecked names the certificates below the anchor that no usable list covers.
	RevocationUnchecked []string
	// RevocationNotes say which lists were set aside, and why; RevocationWhy as sentence codes.
	RevocationNotes []string
	RevocationWhy   []sentence.Text
}

// Request says at which times, and with what, a chain is judged.
type Request struct {
	// At is the time at which every certificate of the chain must be valid.
	At time.Time
	// Delivery is the trusted time the message arrived: a revocation dated before it counts,
	// whatever its reason. Zero means At.
	Delivery time.Time
	// Now is the present, against which a CRL must be current. Zero means time.Now().
	Now time.Time
	// CRLs are DER revocation lists to consult.
	CRLs [][]byte
	// Budget, when not nil, bounds the signature checks this and later calls may make.
	Budget *Budget
	// Encryption judges the leaf as a recipient to encrypt to, not as a signer: its key usage
	// must allow keyEncipherment (RSA) or keyAgreement (EC) instead of signatures.
	Encryption bool
}

// Store holds the trust anchors. Anchors are kept as DER and parsed only when a chain
// names one as its issuer: a message needs one root of the 88 bundled, and parsing
// them all is most of a first verify in WebAssembly. Building a store reads each
// root's subject and nothing more: no parse and no hash, which on a fresh
// WebAssembly module cost tens of milliseconds for the bundle.
type Store struct {
	bySubject map[string][]*anchor // by raw subject Name
	// id tells this store from every other one built by this process, for the keys of
	// the result cache: a result found under one set of anchors is never reused under
	// another. Callers keep stores for as long as their anchors stay the same
	// (smime.storeFor), so results are reused for as long as they may be.
	id uint64
}

var storeIDs atomic.Uint64

// anchor is a trust anchor, parsed on first use.
type anchor struct {
	raw  []byte
	kind AnchorKind
	once sync.Once
	cert *x509.Certificate // nil when raw does not parse
}

func (a *anchor) parsed() *x509.Certificate {
	a.once.Do(func() { a.cert, _ = x509.ParseCertificate(a.raw) })
	return a.cert
}

// NewStore builds a Store from the bundled roots as DER and the given and user roots as
// parsed certificates. A certificate listed in several kinds keeps the strongest (the
// first added: given, then bundled, then user). A bundled root whose subject cannot be
// read is left out.
func NewStore(bundled [][]byte, given, user []*x509.Certificate) *Store {
	s := &Store{bySubject: map[string][]*anchor{}, id: storeIDs.Add(1)}
	add := func(raw, subject []byte, parsed *x509.Certificate, kind AnchorKind) {
		if s.find(raw, subject) != nil {
			return
		}
		a := &anchor{raw: raw, kind: kind}
		if parsed != nil {
			a.once.Do(func() { a.cert = parsed })
		}
		s.bySubject[string(subject)] = append(s.bySubject[string(subject)], a)
	}
	for _, c := range given {
		add(c.Raw, c.RawSubject, c, AnchorGiven)
	}
	for _, raw := range bundled {
		if subject, ok := rawSubject(raw); ok {
			add(raw, subject, nil, AnchorBundled)
		}
	}
	for _, c := range user {
		add(c.Raw, c.RawSubject, c, AnchorUser)
	}
	return s
}

// find returns the anchor that is, byte for byte, the certificate raw, or nil.
func (s *Store) find(raw, subject []byte) *anchor {
	for _, a := range s.bySubject[string(subject)] {
		if bytes.Equal(a.raw, raw) {
			return a
		}
	}
	return nil
}

// rawSubject reads the subject Name, tag and length included, out of a DER certificate
// without parsing the rest (RFC 5280 §4.1).
func rawSubject(der []byte) ([]byte, bool) {
	in := cryptobyte.String(der)
	var cert, tbs cryptobyte.String
	if !in.ReadASN1(&cert, casn1.SEQUENCE) || !cert.ReadASN1(&tbs, casn1.SEQUENCE) {
		return nil, false
	}
	var subject cryptobyte.String
	ok := tbs.SkipOptionalASN1(casn1.Tag(0).Constructed().ContextSpecific()) && // version
		tbs.SkipASN1(casn1.INTEGER) && // serialNumber
		tbs.SkipASN1(casn1.SEQUENCE) && // signature
		tbs.SkipASN1(casn1.SEQUENCE) && // issuer
		tbs.SkipASN1(casn1.SEQUENCE) && // validity
		tbs.ReadASN1Element(&subject, casn1.SEQUENCE)
	return subject, ok
}

// issuersOf returns the anchors whose subject is the issuer of c, parsed.
func (s *Store) issuersOf(c *x509.Certificate) []*x509.Certificate {
	var out []*x509.Certificate
	for _, a := range s.bySubject[string(c.RawIssuer)] {
		if p := a.parsed(); p != nil {
			out = append(out, p)
		}
	}
	return out
}

// Kind returns how c is trusted as an anchor, or AnchorNone.
func (s *Store) Kind(c *x509.Certificate) AnchorKind {
	if a := s.find(c.Raw, c.RawSubject); a != nil {
		return a.kind
	}
	return AnchorNone
}

// Validate checks leaf with intermediates from the message, at the times and with the
// CRLs req gives.
func (s *Store) Validate(leaf *x509.Certificate, intermediates []*x509.Certificate, req Request) Result {
	if req.Delivery.IsZero() {
		req.Delivery = req.At
	}
	if req.Now.IsZero() {
		req.Now = time.Now()
	}
	if err := cms.CheckKeyLimits(leaf.PublicKey); err != nil {
		return refuse(Result{Chain: []*x509.Certificate{leaf}}, Unsupported, say("key_refused", name(leaf), strings.TrimPrefix(err.Error(), "cms: ")))
	}
	if len(req.CRLs) > 0 || req.Encryption {
		// A listed certificate is revoked from its revocation time on, which may fall inside
		// the chain's validity: such results depend on the exact time and are not kept. The
		// cache holds signers; a recipient is judged by other key usage rules.
		return s.validate(leaf, intermediates, req)
	}
	key := cacheKey(s, leaf, intermediates)
	if r, ok := results.get(key, req.At); ok {
		return r
	}
	r := s.validate(leaf, intermediates, req)
	results.put(key, r)
	return r
}

func (s *Store) validate(leaf *x509.Certificate, intermediates []*x509.Certificate, req Request) Result {
	at := req.At
	candidates := s.candidates(leaf, intermediates)
	if !req.Budget.Spend(candidates.checks) {
		return refuse(Result{Chain: []*x509.Certificate{leaf}}, Unsupported,
			say("chain_budget", fmt.Sprint(candidates.checks), fmt.Sprint(req.Budget.Left())))
	}
	inter := x509.NewCertPool()
	for _, c := range candidates.intermediates {
		inter.AddCert(c)
	}
	roots := x509.NewCertPool()
	for _, r := range candidates.anchors {
		roots.AddCert(r)
	}
	chains, err := leaf.Verify(x509.VerifyOptions{
		Roots:         roots,
		Intermediates: inter,
		CurrentTime:   at,
		// EKU is enforced below with email rules; x509.Verify only knows TLS defaults.
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
	})
	if err != nil {
		return s.explain(leaf, intermediates, at, err)
	}
	chain := s.best(chains)
	r := Result{Chain: chain, Anchor: s.Kind(chain[len(chain)-1])}
	if p, reason := checkUsage(chain, req.Encryption); p != OK {
		return refuse(r, p, reason)
	}
	if reason := weakness(chain); reason.Code != "" {
		return refuse(r, Weak, reason)
	}
	rev := revoked(chain, req.Delivery, req.Now, req.CRLs)
	r.RevocationChecked, r.RevocationUnchecked, r.RevocationWhy = rev.leafChecked, rev.unchecked, rev.notes
	for _, n := range rev.notes {
		r.RevocationNotes = append(r.RevocationNotes, n.String())
	}
	if rev.reason.Code != "" {
		return refuse(r, Revoked, rev.reason)
	}
	return r
}

// say is the sentence of code with args (package sentence holds the English of each code).
var say = sentence.New

// refuse returns r with Problem p and its reason why, in English and as a code.
func refuse(r Result, p Problem, why sentence.Text) Result {
	r.Problem, r.Why, r.Reason = p, why, why.String()
	return r
}

// best picks the chain whose anchor is trusted most (given or bundled before user), then the shortest.
func (s *Store) best(chains [][]*x509.Certificate) []*x509.Certificate {
	rank := map[AnchorKind]int{AnchorGiven: 0, AnchorBundled: 0, AnchorUser: 1, AnchorNone: 2}
	best := chains[0]
	for _, c := range chains[1:] {
		rc, rb := rank[s.Kind(c[len(c)-1])], rank[s.Kind(best[len(best)-1])]
		if rc < rb || (rc == rb && len(c) < len(best)) {
			best = c
		}
	}
	return best
}

// checkUsage applies the S/MIME key usage rules to every certificate below the anchor.
func checkUsage(chain []*x509.Certificate, encryption bool) (Problem, sentence.Text) {
	leaf := chain[0]
	switch {
	case encryption:
		if p, reason := EncryptionUsage(leaf); p != OK {
			return p, reason
		}
	case leaf.KeyUsage != 0 && leaf.KeyUsage&(x509.KeyUsageDigitalSignature|x509.KeyUsageContentCommitment) == 0:
		return Usage, say("usage_key_usage")
	}
	for i, c := range chain[:max(1, len(chain)-1)] {
		if !emailEKU(c) {
			if i > 0 {
				return Usage, say("usage_ca_not_email", c.Subject.CommonName)
			}
			if encryption {
				return Usage, say("usage_recipient_not_email")
			}
			return Usage, say("usage_not_email")
		}
	}
	return OK, sentence.Text{}
}

// EncryptionUsage checks that mail may be encrypted to leaf's key (RFC 8550 §4.4.2): RSA
// keys by key transport (keyEncipherment), EC keys by key agreement (keyAgreement).
func EncryptionUsage(leaf *x509.Certificate) (Problem, sentence.Text) {
	need, name := x509.KeyUsageKeyEncipherment, "keyEncipherment"
	if _, ok := leaf.PublicKey.(*ecdsa.PublicKey); ok {
		need, name = x509.KeyUsageKeyAgreement, "keyAgreement"
	} else if _, ok := leaf.PublicKey.(*rsa.PublicKey); !ok {
		return Usage, say("usage_recipient_key_kind")
	}
	if leaf.KeyUsage != 0 && leaf.KeyUsage&need == 0 {
		return Usage, say("usage_recipient_key_usage", name)
	}
	return OK, sentence.Text{}
}

// emailEKU reports whether c allows email protection: no EKU extension, emailProtection or anyExtendedKeyUsage.
func emailEKU(c *x509.Certificate) bool {
	if len(c.ExtKeyUsage) == 0 && len(c.UnknownExtKeyUsage) == 0 {
		return true
	}
	for _, u := range c.ExtKeyUsage {
		if u == x509.ExtKeyUsageEmailProtection || u == x509.ExtKeyUsageAny {
			return true
		}
	}
	return false
}

// weakness reports weak algorithms in the certificates below the anchor.
func weakness(chain []*x509.Certificate) sentence.Text {
	for i, c := range chain {
		isAnchor := i == len(chain)-1 && len(chain) > 1
		if k, ok := c.PublicKey.(*rsa.PublicKey); ok && k.N.BitLen() < 2048 && !isAnchor {
			return say("weak_rsa_key", name(c), fmt.Sprint(k.N.BitLen()))
		}
		if !isAnchor && weakSignature(c.SignatureAlgorithm) {
			return say("weak_certificate_signature", name(c), c.SignatureAlgorithm.String())
		}
	}
	return sentence.Text{}
}

func weakSignature(a x509.SignatureAlgorithm) bool {
	switch a {
	case x509.MD2WithRSA, x509.MD5WithRSA, x509.SHA1WithRSA, x509.DSAWithSHA1, x509.ECDSAWithSHA1:
		return true
	}
	return false
}

func name(c *x509.Certificate) string {
	if c.Subject.CommonName != "" {
		return c.Subject.CommonName
	}
	return classify.DistinguishedName(c.RawSubject)
}

// explain turns an x509.Verify failure into a Problem and a sentence.
func (s *Store) explain(leaf *x509.Certificate, intermediates []*x509.Certificate, at time.Time, err error) Result {
	path := s.walk(leaf, intermediates)
	r := Result{Chain: path}
	var invalid x509.CertificateInvalidError
	if errors.As(err, &invalid) && invalid.Reason == x509.Expired {
		c := invalid.Cert
		if at.Before(c.NotBefore) {
			return refuse(r, NotYetValid, say("not_yet_valid", name(c), day(at), day(c.NotBefore)))
		}
		return refuse(r, Expired, say("expired", name(c), day(at), day(c.NotAfter)))
	}
	if reason := weakness(path); reason.Code != "" {
		return refuse(r, Weak, reason)
	}
	if errors.As(err, &invalid) {
		return refuse(r, Untrusted, say("chain_not_acceptable", err.Error()))
	}
	top := path[len(path)-1]
	switch {
	case s.Kind(top) != AnchorNone:
		// The path reaches an anchor, yet Verify refused it (for example a broken signature).
		return refuse(r, Untrusted, say("chain_does_not_verify", err.Error()))
	case bytes.Equal(top.RawIssuer, top.RawSubject) && top == leaf:
		return refuse(r, Untrusted, say("self_signed"))
	case bytes.Equal(top.RawIssuer, top.RawSubject):
		// The message carries the root itself: a sender's own root, not one trusted for email.
		return refuse(r, UnknownRoot, say("root_not_trusted", name(top)))
	case top != leaf && top.IsCA:
		// The message carries the chain up to a CA certificate, as senders do: nothing is
		// missing but the root, and that root is not trusted.
		return refuse(r, UnknownRoot, say("issuer_root_not_trusted", name(top), classify.DistinguishedName(top.RawIssuer)))
	default:
		// Only the signer's certificate is at hand: its issuer may be an intermediate the
		// sender left out, or a root nobody trusts; which, the message cannot tell.
		return refuse(r, MissingIntermediate, say("missing_intermediate", classify.DistinguishedName(top.RawIssuer)))
	}
}

// walk follows issuer names from leaf through the given certificates and the anchors,
// to describe where a chain stops. It checks no signatures.
func (s *Store) walk(leaf *x509.Certificate, intermediates []*x509.Certificate) []*x509.Certificate {
	path := []*x509.Certificate{leaf}
	cur := leaf
	for len(path) < 10 && !bytes.Equal(cur.RawIssuer, cur.RawSubject) {
		next := IssuerOf(cur, s.issuersOf(cur))
		if next == nil {
			next = IssuerOf(cur, intermediates)
		}
		if next == nil || contains(path, next) {
			break
		}
		path = append(path, next)
		cur = next
	}
	return path
}

// IssuerOf returns the first of candidates, other than c itself, whose subject is c's
// issuer and whose key identifier, when both say one, is c's authority key identifier.
// Names and key identifiers, not signatures: finding a path is no trust decision, and a
// SHA-1-signed intermediate must still be found for the verifier to judge.
func IssuerOf(c *x509.Certificate, candidates []*x509.Certificate) *x509.Certificate {
	for _, p := range candidates {
		if p == c || !bytes.Equal(p.RawSubject, c.RawIssuer) {
			continue
		}
		if len(c.AuthorityKeyId) > 0 && len(p.SubjectKeyId) > 0 && !bytes.Equal(c.AuthorityKeyId, p.SubjectKeyId) {
			continue
		}
		return p
	}
	return nil
}

func contains(path []*x509.Certificate, c *x509.Certificate) bool {
	for _, p := range path {
		if bytes.Equal(p.Raw, c.Raw) {
			return true
		}
	}
	return false
}

func day(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }
