package cms

import (
	"crypto"
	"crypto/rsa"
	"errors"
	"fmt"
)

// RSA keys mailseal computes with. Larger moduli go to math/big, which in WebAssembly
// is single-threaded and slow enough that one hostile message could stall the core for
// minutes (a 65,536-bit key took 10 s per signature); no CA issues such keys for mail.
const (
	MaxRSABits     = 8192
	MaxRSAExponent = 1 << 32
)

// ErrKeyTooLarge means a certificate carries an RSA key beyond MaxRSABits or MaxRSAExponent.
var ErrKeyTooLarge = errors.New("cms: RSA key too large")

// CheckKeyLimits refuses an RSA public key that is too large to compute with. It only
// reads the key's length and exponent, so it costs nothing whatever the key.
func CheckKeyLimits(pub crypto.PublicKey) error {
	k, ok := pub.(*rsa.PublicKey)
	if !ok {
		return nil
	}
	if k.N == nil {
		return errors.New("cms: RSA key without a modulus")
	}
	if bits := k.N.BitLen(); bits > MaxRSABits {
		return fmt.Errorf("%w: a modulus of %d bits, mailseal computes with at most %d", ErrKeyTooLarge, bits, MaxRSABits)
	}
	if int64(k.E) > MaxRSAExponent {
		return fmt.Errorf("%w: a public exponent of %d, mailseal computes with at most 2^32", ErrKeyTooLarge, k.E)
	}
	return nil
}
