package testpki

import (
	"bytes"
	"crypto/rsa"
	"crypto/x509"
	"fmt"
	"math/big"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"github.com/mailseal/mailseal/internal/cms"
)

// Inputs that cost a verifier work rather than fool it: keys too large to compute
// with, and certificate sets that make chain building try many signatures.

// HostileKey is an RSA public key of exactly bits bits with exponent e, which no one holds:
// a certificate can carry it all the same.
func HostileKey(bits, e int) *rsa.PublicKey {
	n := new(big.Int).Lsh(big.NewInt(1), uint(bits-1))
	n.Add(n, big.NewInt(12345)) // odd
	return &rsa.PublicKey{N: n, E: e}
}

// HostileIdentity is an identity like prof whose certificate, issued by the Intermediate,
// carries pub while Key stays the fixture key: a verifier must refuse the certificate's key
// before it computes anything with it.
func (p *PKI) HostileIdentity(prof Profile, pub *rsa.PublicKey) (*Identity, error) {
	id, err := p.Issue(prof)
	if err != nil {
		return nil, err
	}
	tmpl := *id.Certificate
	tmpl.SubjectKeyId = keyID(pub)
	c, err := issue(&tmpl, p.Intermediate, pub, p.intermediateKey)
	if err != nil {
		return nil, err
	}
	id.Certificate = c
	return id, nil
}

// ChainBomb turns id into a signer whose certificate x509.Verify checks against every one
// of n certificates that share the Intermediate's name and key identifier, each with an
// 8192-bit key: the certificate's own signature is replaced by 1024 bytes, the size those
// keys verify, so each try is a full 8192-bit RSA operation. The chain never validates.
func (p *PKI) ChainBomb(id *Identity, n int) error {
	leaf, err := withSignatureBytes(id.Certificate.Raw, 1024)
	if err != nil {
		return err
	}
	id.Certificate = leaf
	id.Chain = nil
	for i := range n {
		tmpl := *p.Intermediate
		tmpl.SerialNumber = big.NewInt(int64(1000 + i))
		key := HostileKey(8192, 1<<31-1)
		key.N.Add(key.N, big.NewInt(int64(2*i)))
		c, err := issue(&tmpl, p.Root, key, p.rootKey)
		if err != nil {
			return err
		}
		id.Chain = append(id.Chain, c)
	}
	return nil
}

// withSignatureBytes returns the certificate der with its signatureValue replaced by n bytes.
func withSignatureBytes(der []byte, n int) (*x509.Certificate, error) {
	in := cryptobyte.String(der)
	var cert, tbs, alg cryptobyte.String
	if !in.ReadASN1(&cert, cbasn1.SEQUENCE) || !cert.ReadASN1Element(&tbs, cbasn1.SEQUENCE) || !cert.ReadASN1Element(&alg, cbasn1.SEQUENCE) {
		return nil, fmt.Errorf("testpki: not a certificate")
	}
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddBytes(tbs)
		b.AddBytes(alg)
		b.AddASN1BitString(bytes.Repeat([]byte{1}, n))
	})
	out, err := b.Bytes()
	if err != nil {
		return nil, err
	}
	return x509.ParseCertificate(out)
}

// hostileHeader is the header of the hostile messages below.
var hostileHeader = Header{From: "ana@bank.example", To: "you@example.com"}

// HugeKeyMessage is a message with signers ordinary signatures whose certificate set also
// holds a certificate for HostileKey(bits, e), where a chain would find it. (cms.Sign will
// not sign for a key that does not match the certificate, and a verifier must refuse the key
// before it looks at any signature.)
func (p *PKI) HugeKeyMessage(bits, e, signers int) ([]byte, error) {
	hostile, err := p.HostileIdentity(MailboxProfile(Strict, "ana@bank.example"), HostileKey(bits, e))
	if err != nil {
		return nil, err
	}
	good, err := p.Issue(MailboxProfile(Strict, "ana@bank.example"))
	if err != nil {
		return nil, err
	}
	good.Chain = append(good.Chain, hostile.Certificate)
	ids := make([]*Identity, signers)
	for i := range ids {
		ids[i] = good
	}
	return SignedMessage(hostileHeader, TextContent("Pay.\n"), ids, cms.SignOptions{Detached: true, SigningTime: Epoch})
}

// ChainBombMessage is a message signed by an identity made into a ChainBomb of n.
func (p *PKI) ChainBombMessage(n int) ([]byte, error) {
	prof := MailboxProfile(Strict, "ana@bank.example")
	prof.Subject.CommonName = "Ana Chain Bomb"
	id, err := p.Issue(prof)
	if err != nil {
		return nil, err
	}
	if err := p.ChainBomb(id, n); err != nil {
		return nil, err
	}
	return SignedMessage(hostileHeader, TextContent("Pay.\n"), []*Identity{id}, cms.SignOptions{Detached: true, SigningTime: Epoch})
}

// NestedMessage attaches fan messages, each attaching fan more, depth levels deep: tiny
// unsigned messages at the bottom, and a signed one at the bottom of the first branch.
func (p *PKI) NestedMessage(fan, depth int) ([]byte, error) {
	id, err := p.Issue(MailboxProfile(Strict, "ana@bank.example"))
	if err != nil {
		return nil, err
	}
	signed, err := SignedMessage(hostileHeader, TextContent("Pay.\n"), []*Identity{id}, cms.SignOptions{Detached: true, SigningTime: Epoch})
	if err != nil {
		return nil, err
	}
	wrap := func(parts [][]byte) []byte {
		return append([]byte("From: mallory@example.net\r\nMIME-Version: 1.0\r\n"), Mixed(parts...)...)
	}
	first, msg := signed, []byte("From: a@example.net\r\n\r\nx\r\n")
	for range depth {
		parts := make([][]byte, fan)
		for i := range parts {
			parts[i] = AttachedMessage(msg)
		}
		parts[0] = AttachedMessage(first)
		first = wrap(parts)
		parts[0] = AttachedMessage(msg)
		msg = wrap(parts)
	}
	return first, nil
}
