package testpki

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	_ "embed"
	"encoding/binary"
	"encoding/pem"
	"fmt"
	"io"
	"sync"
)

// KeyType names one of the fixed test keys.
type KeyType string

const (
	RSA2048  KeyType = "rsa-2048"
	RSA2048B KeyType = "rsa-2048-b" // a second RSA-2048 key, for a second signer
	RSA3072  KeyType = "rsa-3072"
	RSA1024  KeyType = "rsa-1024" // too short: the weak-key fixture
	P256     KeyType = "p-256"
	P384     KeyType = "p-384"
	P521     KeyType = "p-521"
	Ed25519  KeyType = "ed25519"

	keyRoot         KeyType = "root"
	keyIntermediate KeyType = "intermediate"
	keyOtherRoot    KeyType = "other-root"
)

// keysPEM holds PKCS #8 keys, each labelled with a "Name:" PEM header. They are
// published test keys: generating RSA keys in every test run would be slow and
// would make the vectors change each time.
//
//go:embed keys.pem
var keysPEM []byte

var (
	keysOnce sync.Once
	keys     map[KeyType]crypto.Signer
	keysErr  error
)

// Key returns the fixed test key of type k. Its Sign is deterministic where the
// algorithm allows (see the package documentation).
func Key(k KeyType) (crypto.Signer, error) {
	keysOnce.Do(func() {
		keys = map[KeyType]crypto.Signer{}
		rest := keysPEM
		for {
			var block *pem.Block
			block, rest = pem.Decode(rest)
			if block == nil {
				break
			}
			parsed, err := x509.ParsePKCS8PrivateKey(block.Bytes)
			if err != nil {
				keysErr = fmt.Errorf("testpki: key %q: %w", block.Headers["Name"], err)
				return
			}
			keys[KeyType(block.Headers["Name"])] = fixedSigner{parsed.(crypto.Signer)}
		}
	})
	if keysErr != nil {
		return nil, keysErr
	}
	key, ok := keys[k]
	if !ok {
		return nil, fmt.Errorf("testpki: no key %q", k)
	}
	return key, nil
}

// fixedSigner makes signatures repeatable: ECDSA as RFC 6979 says, RSA-PSS with a
// salt drawn from the digest. A test key needs no secret randomness.
type fixedSigner struct{ crypto.Signer }

func (s fixedSigner) Sign(_ io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	switch k := s.Signer.(type) {
	case *ecdsa.PrivateKey:
		return k.Sign(nil, digest, opts) // a nil source selects RFC 6979
	case *rsa.PrivateKey:
		if pss, ok := opts.(*rsa.PSSOptions); ok {
			// crypto/rsa honours this source only under GODEBUG cryptocustomrand=1.
			return rsa.SignPSS(saltSource(digest), k, pss.Hash, digest, pss)
		}
	}
	return s.Signer.Sign(nil, digest, opts) // PKCS #1 v1.5 and Ed25519 are deterministic
}

// saltSource yields the same bytes from the start on every Read, so the one byte
// crypto/internal/randutil may read first does not shift the salt.
type saltSource []byte

func (s saltSource) Read(p []byte) (int, error) {
	for i := 0; i < len(p); i += sha256.Size {
		var counter [8]byte
		binary.BigEndian.PutUint64(counter[:], uint64(i))
		sum := sha256.Sum256(append(counter[:], s...))
		copy(p[i:], sum[:])
	}
	return len(p), nil
}
