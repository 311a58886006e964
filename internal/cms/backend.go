package cms

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"errors"
	"fmt"
	"math/big"
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
	return string(a.Kind) + " with " + a.Hash.String() // not fmt: every verify says it
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
			// Go reads salt length 0 as "any length"; the parameters said exactly none.
			err = rsa.VerifyPSS(k, alg.Hash, digest, sig, &rsa.PSSOptions{SaltLength: alg.SaltLength, Hash: alg.Hash})
			if err == nil && alg.SaltLength == 0 && pssSaltLength(k, alg.Hash, sig) != 0 {
				err = ErrSignature
			}
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

// pssSaltLength recovers the salt length of an RSASSA-PSS signature that has already
// verified (RFC 8017 §9.1.2), or -1 when the encoding cannot be read.
func pssSaltLength(k *rsa.PublicKey, h crypto.Hash, sig []byte) int {
	emBits := k.N.BitLen() - 1
	emLen := (emBits + 7) / 8
	m := new(big.Int).Exp(new(big.Int).SetBytes(sig), big.NewInt(int64(k.E)), k.N)
	if (m.BitLen()+7)/8 > emLen {
		return -1
	}
	em := m.FillBytes(make([]byte, emLen))
	hLen := h.Size()
	if emLen < hLen+2 {
		return -1
	}
	db, seed := em[:emLen-hLen-1], em[emLen-hLen-1:emLen-1]
	mask := mgf1(h, seed, len(db))
	for i := range db {
		db[i] ^= mask[i]
	}
	db[0] &= 0xff >> (8*emLen - emBits)
	for i, b := range db { // DB = zeros || 0x01 || salt
		if b != 0 {
			if b != 0x01 {
				return -1
			}
			return len(db) - i - 1
		}
	}
	return -1
}

// mgf1 is the mask generation function of RFC 8017 §B.2.1.
func mgf1(h crypto.Hash, seed []byte, length int) []byte {
	out := make([]byte, 0, length+h.Size())
	var counter [4]byte
	for len(out) < length {
		d := h.New()
		d.Write(seed)
		d.Write(counter[:])
		out = d.Sum(out)
		for i := 3; i >= 0; i-- {
			counter[i]++
			if counter[i] != 0 {
				break
			}
		}
	}
	return out[:length]
}
