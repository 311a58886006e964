package main

import (
	"crypto"
	"encoding/asn1"
	"fmt"
	"io"
	"regexp"

	"github.com/mailseal/mailseal/internal/cms"
	"github.com/mailseal/mailseal/internal/testpki"
)

// Builders for the vectors that need more than one signed message.

func signDER(f *fixtures, prof testpki.Profile, content []byte, opts cms.SignOptions) ([]byte, error) {
	id, err := f.pki.Issue(prof)
	if err != nil {
		return nil, err
	}
	return cms.Sign(content, []cms.Signer{id.Signer()}, opts)
}

// wrapped puts alice's ordinary signed entity into the MIME structure shape returns.
func wrapped(shape func(signed []byte) []byte) func(*fixtures) ([]byte, error) {
	return func(f *fixtures) ([]byte, error) {
		id, err := f.pki.Issue(alice())
		if err != nil {
			return nil, err
		}
		signed, err := testpki.SignedEntity(body(), []*testpki.Identity{id},
			cms.SignOptions{Detached: true, SigningTime: epoch, Capabilities: true})
		if err != nil {
			return nil, err
		}
		return testpki.Message(aliceHeader(), shape(signed)), nil
	}
}

// brokenKey signs, then spoils the signature: a SignerInfo that does not verify.
type brokenKey struct{ crypto.Signer }

func (k brokenKey) Sign(r io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	sig, err := k.Signer.Sign(r, digest, opts)
	if err == nil {
		sig[len(sig)-1] ^= 0x01
	}
	return sig, err
}

func twoSignersOneBad(f *fixtures) ([]byte, error) {
	good, err := f.pki.Issue(alice())
	if err != nil {
		return nil, err
	}
	second := testpki.MailboxProfile(testpki.Strict, "carol@example.com")
	second.Key = testpki.RSA2048B
	bad, err := f.pki.Issue(second)
	if err != nil {
		return nil, err
	}
	bad.Key = brokenKey{bad.Key}
	return testpki.SignedMessage(aliceHeader(), body(), []*testpki.Identity{good, bad},
		cms.SignOptions{Detached: true, SigningTime: epoch, Capabilities: true})
}

func twoSigners(f *fixtures) ([]byte, error) {
	carol := testpki.MailboxProfile(testpki.Strict, "carol@example.com")
	carol.Key = testpki.RSA2048B
	first, err := f.pki.Issue(carol)
	if err != nil {
		return nil, err
	}
	second, err := f.pki.Issue(withKey(alice(), testpki.P256))
	if err != nil {
		return nil, err
	}
	return testpki.SignedMessage(aliceHeader(), body(), []*testpki.Identity{first, second},
		cms.SignOptions{Detached: true, SigningTime: epoch, Capabilities: true})
}

func revokedVector(f *fixtures) ([]byte, error) {
	prof := alice()
	prof.Subject.CommonName = "Alice Revoked" // a certificate of its own, not one other vectors use
	id, err := f.pki.Issue(prof)
	if err != nil {
		return nil, err
	}
	const keyCompromise = 1
	crl, err := f.pki.Revocations(epoch.Add(-10*day), keyCompromise, id.Certificate)
	if err != nil {
		return nil, err
	}
	f.extraFiles["revocation/revoked.crl"] = crl
	return testpki.SignedMessage(aliceHeader(), body(), []*testpki.Identity{id},
		cms.SignOptions{Detached: true, SigningTime: epoch, Capabilities: true})
}

// expiredAlice is alice's certificate, expired 35 days before Epoch.
func expiredAlice() testpki.Profile {
	p := alice()
	p.Subject.CommonName = "Alice Expired"
	p.NotBefore, p.NotAfter = epoch.Add(-400*day), epoch.Add(-35*day)
	return p
}

func supersededVector(f *fixtures) ([]byte, error) {
	prof := alice()
	prof.Subject.CommonName = "Alice Superseded"
	id, err := f.pki.Issue(prof)
	if err != nil {
		return nil, err
	}
	const superseded = 4
	crl, err := f.pki.Revocations(epoch.Add(-day), superseded, id.Certificate)
	if err != nil {
		return nil, err
	}
	f.extraFiles["revocation/superseded.crl"] = crl
	return testpki.SignedMessage(aliceHeader(), body(), []*testpki.Identity{id},
		cms.SignOptions{Detached: true, SigningTime: epoch.Add(-2 * day), Capabilities: true})
}

func hugeKeyVector(f *fixtures) ([]byte, error) {
	id, err := f.pki.Issue(alice())
	if err != nil {
		return nil, err
	}
	hostile, err := f.pki.HostileIdentity(testpki.MailboxProfile(testpki.Strict, "huge@example.com"), testpki.HostileKey(16384, 65537))
	if err != nil {
		return nil, err
	}
	id.Chain = append(id.Chain, hostile.Certificate)
	return testpki.SignedMessage(aliceHeader(), body(), []*testpki.Identity{id},
		cms.SignOptions{Detached: true, SigningTime: epoch, Capabilities: true})
}

var boundaryParam = regexp.MustCompile(`boundary="([^"]+)"`)

func boundaryOf(msg []byte) string {
	m := boundaryParam.FindSubmatch(msg)
	if m == nil {
		return ""
	}
	return string(m[1])
}

// mustMarshal encodes a fixed value; failure is a bug in this program.
func mustMarshal(v any) []byte {
	der, err := asn1.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("genvectors: marshal %T: %v", v, err))
	}
	return der
}
