package trust

import (
	"bytes"
	"crypto/x509"

	"github.com/mailseal/mailseal/internal/cms"
)

// A message chooses the certificates it carries, so chain building must stay cheap
// whatever they are: with 63 intermediates of the same name x509.Verify may try up to
// 100 signatures, each with a key the sender picked. Only certificates that can be on a
// short path from the signer are handed to x509.Verify, and the checks it may make are
// counted against the message's Budget before it runs.
const (
	// MaxIntermediates is how many certificates from the message are considered for a chain.
	MaxIntermediates = 8
	// MaxPathLength is the most certificates a chain may have, signer and anchor included.
	MaxPathLength = 6
	// maxIssuersPerName is how many certificates of one subject name are tried as an issuer.
	maxIssuersPerName = 2
)

// Budget bounds the signature checks spent on one message: its signers, its chains and
// those of the messages attached to it. A nil *Budget has no bound.
type Budget struct{ left int }

// NewBudget returns a Budget of n signature checks.
func NewBudget(n int) *Budget { return &Budget{left: n} }

// Spend takes n checks from b and reports whether there were enough; when there were not,
// nothing is taken.
func (b *Budget) Spend(n int) bool {
	if b == nil {
		return true
	}
	if n > b.left {
		return false
	}
	b.left -= n
	return true
}

// Left returns the checks that remain.
func (b *Budget) Left() int {
	if b == nil {
		return -1
	}
	return b.left
}

// candidates are the certificates x509.Verify is given for one leaf.
type candidates struct {
	intermediates []*x509.Certificate
	anchors       []*x509.Certificate
	// checks is how many signature checks x509.Verify may make over them at most: one per
	// edge of every path from the leaf, as it walks them all.
	checks int
}

// candidates keeps, breadth first from leaf, the intermediates that can issue a certificate
// already kept (same name, no conflicting key identifier, a key within cms.CheckKeyLimits),
// at most maxIssuersPerName per certificate and MaxIntermediates in all, no deeper than a
// chain of MaxPathLength allows; and the anchors that issued one of them.
func (s *Store) candidates(leaf *x509.Certificate, intermediates []*x509.Certificate) candidates {
	var out candidates
	level := []*x509.Certificate{leaf}
	// A chain is leaf, intermediates, anchor: MaxPathLength-2 intermediates at most.
	for depth := 0; depth < MaxPathLength-2 && len(level) > 0; depth++ {
		var next []*x509.Certificate
		for _, c := range level {
			n := 0
			for _, p := range intermediates {
				if n == maxIssuersPerName || len(out.intermediates) == MaxIntermediates {
					break
				}
				if bytes.Equal(p.Raw, leaf.Raw) || contains(out.intermediates, p) || !mayIssue(p, c) {
					continue
				}
				out.intermediates = append(out.intermediates, p)
				next = append(next, p)
				n++
			}
		}
		level = next
	}
	for _, c := range append([]*x509.Certificate{leaf}, out.intermediates...) {
		for _, a := range s.issuersOf(c) {
			if mayIssue(a, c) && !contains(out.anchors, a) {
				out.anchors = append(out.anchors, a)
			}
		}
	}
	out.checks = countChecks(leaf, out, []*x509.Certificate{leaf})
	return out
}

// mayIssue reports whether p could have signed c, from names and key identifiers alone,
// and whether p's key is one mailseal computes with.
func mayIssue(p, c *x509.Certificate) bool {
	if !bytes.Equal(p.RawSubject, c.RawIssuer) {
		return false
	}
	if len(c.AuthorityKeyId) > 0 && len(p.SubjectKeyId) > 0 && !bytes.Equal(c.AuthorityKeyId, p.SubjectKeyId) {
		return false
	}
	return cms.CheckKeyLimits(p.PublicKey) == nil
}

// maxCounted stops countChecks once the count exceeds what any message may spend.
const maxCounted = 101

// countChecks walks every path from c as x509.Verify does (anchors end a path, a
// certificate appears once per path) and counts one check per edge.
func countChecks(c *x509.Certificate, in candidates, path []*x509.Certificate) int {
	n := 0
	for _, a := range in.anchors {
		if mayIssue(a, c) {
			n++
		}
	}
	for _, p := range in.intermediates {
		if n >= maxCounted {
			return n
		}
		if !mayIssue(p, c) || contains(path, p) {
			continue
		}
		n += 1 + countChecks(p, in, append(path[:len(path):len(path)], p))
	}
	return n
}
