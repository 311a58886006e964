package cms

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"errors"
	"fmt"
)

// SignatureKind is the family of a signature algorithm.
type SignatureKind string

const (
	RSAPKCS1v15 SignatureKind = "RSASSA-PKCS1-v1_5"
	RSAPSS      SignatureKind = "RSA-PSS"
	ECDSA       SignatureKind = "ECDSA"
	Ed25519     SignatureKind = "Ed25519"
)

// SignatureAlgorithm says how a signature was made.
type SignatureAlgorithm struct {
	Kind SignatureKind
	// Hash is the digest the signature is computed over (zero for Ed25519, which signs the message).
	Hash crypto.Hash
	// SaltLength is the RSA-PSS salt length in bytes.
	SaltLength int
}

func (a SignatureAlgorithm) String() string {
	if a.Kind == Ed25519 {
		return string(a.Kind)
	}
	return fmt.Sprintf("%s with %s", a.Kind, a.Hash)
}

// Backend does the hashing and the public-key arithmetic of verification.
// GoBackend uses Go's crypto packages; the WebAssembly build substitutes the
// browser's WebCrypto where it supports the algorithm, and falls back to GoBackend.
type Backend interface {
	// Hash returns the digest of data.
	Hash(h crypto.Hash, data []byte) ([]byte, error)
	// VerifySignature checks sig over message (not over its digest) with pub.
	VerifySignature(pub crypto.PublicKey, alg SignatureAlgorithm, message, sig []byte) error
}

// ErrSignature means the signature does not match the data and key.
var ErrSignature = errors.New("cms: signature does not verify")

// GoBackend is the reference Backend, built on Go's standard library.
type GoBackend struct{}

func (GoBackend) Hash(h crypto.Hash, data []byte) ([]byte, error) {
	if !h.Available() {
		return nil, fmt.Errorf("cms: hash %v not available", h)
	}
	w := h.New()
	w.Write(data)
	return w.Sum(nil), nil
}

func (b GoBackend) VerifySignature(pub crypto.PublicKey, alg SignatureAlgorithm, message, sig []byte) error {
	if alg.Kind == Ed25519 {
		k, ok := pub.(ed25519.PublicKey)
		if !ok {
			return fmt.Errorf("cms: Ed25519 signature with a %T key", pub)
		}
		if !ed25519.Verify(k, message, sig) {
			return ErrSignature
		}
		return nil
	}
	digest, err := b.Hash(alg.Hash, message)
	if err != nil {
		return err
	}
	return VerifyDigest(pub, alg, digest, sig)
}

// VerifyDigest checks sig over a precomputed digest (every kind but Ed25519).
func VerifyDigest(pub crypto.PublicKey, alg SignatureAlgorithm, digest, sig []byte) error {
	switch alg.Kind {
	case RSAPKCS1v15, RSAPSS:
		k, ok := pub.(*rsa.PublicKey)
		if !ok {
			return fmt.Errorf("cms: %s signature with a %T key", alg.Kind, pub)
		}
		var err error
		if alg.Kind == RSAPSS {
			err = rsa.VerifyPSS(k, alg.Hash, digest, sig, &rsa.PSSOptions{SaltLength: alg.SaltLength, Hash: alg.Hash})
		} else {
			err = rsa.VerifyPKCS1v15(k, alg.Hash, digest, sig)
		}
		if err != nil {
			return ErrSignature
		}
		return nil
	case ECDSA:
		k, ok := pub.(*ecdsa.PublicKey)
		if !ok {
			return fmt.Errorf("cms: ECDSA signature with a %T key", pub)
		}
		if !ecdsa.VerifyASN1(k, digest, sig) {
			return ErrSignature
		}
		return nil
	}
	return fmt.Errorf("cms: signature kind %q not supported", alg.Kind)
}
