package keys

import (
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"time"

	"software.sslmate.com/src/go-pkcs12"
)

// maxPKCS12Size bounds what Import parses; real files are a few kilobytes.
const maxPKCS12Size = 1 << 20

// Import reads a PKCS #12 file and returns the identity in it, refusing one that
// cannot sign mail now. See ImportAt.
func Import(p12 []byte, password string) (*Identity, error) {
	return ImportAt(p12, password, time.Now())
}

// ImportAt reads a PKCS #12 file (modern AES-256 PBES2 as OpenSSL 3 writes by
// default, or legacy 3DES/RC2) and returns its identity if it can sign mail at
// time at. The signer's certificate is the one that matches the private key,
// wherever the file put it; the other certificates become the chain, in issuing
// order, and those not on the signer's path are dropped.
func ImportAt(p12 []byte, password string, at time.Time) (*Identity, error) {
	id, err := decode(p12, password)
	if err != nil {
		return nil, err
	}
	if err := CheckAt(id, at); err != nil {
		return nil, err
	}
	return id, nil
}

// decode reads the identity of a PKCS #12 file without judging it.
func decode(p12 []byte, password string) (*Identity, error) {
	if len(p12) > maxPKCS12Size {
		return nil, fmt.Errorf("%w: %d bytes is too large for one identity", ErrNotPKCS12, len(p12))
	}
	key, first, rest, err := pkcs12.DecodeChain(p12, password)
	if err != nil {
		return nil, decodeError(err)
	}
	signer, ok := key.(crypto.Signer)
	if !ok {
		return nil, refuse(ProblemKeyType, "The private key in the file is of a type mailseal cannot sign with.")
	}
	all := append([]*x509.Certificate{first}, rest...)
	leaf := first
	for _, c := range all {
		if k, ok := signer.Public().(interface{ Equal(crypto.PublicKey) bool }); ok && k.Equal(c.PublicKey) {
			leaf = c
			break
		}
	}
	return &Identity{Certificate: leaf, Key: signer, Chain: orderChain(leaf, all)}, nil
}

// decodeError turns go-pkcs12's errors into this package's sentinels.
func decodeError(err error) error {
	var notImpl pkcs12.NotImplementedError
	switch {
	case errors.Is(err, pkcs12.ErrIncorrectPassword), errors.Is(err, pkcs12.ErrDecryption):
		return ErrBadPassword
	case errors.As(err, &notImpl):
		return fmt.Errorf("%w (%v)", ErrUnsupportedFile, err)
	case err.Error() == "pkcs12: private key missing":
		return ErrNoKey
	default:
		return fmt.Errorf("%w (%v)", ErrNotPKCS12, err)
	}
}

// Export writes the identity as a PKCS #12 file protected by password, with the
// modern encoding (PBES2, AES-256-CBC, PBKDF2-HMAC-SHA-256, HMAC-SHA-256 MAC) that
// OpenSSL 1.1.1+, Windows Server 2019+, macOS and NSS read.
func Export(id *Identity, password string) ([]byte, error) {
	if _, err := x509.MarshalPKCS8PrivateKey(id.Key); err != nil {
		return nil, ErrNotExportable
	}
	der, err := pkcs12.Modern.Encode(id.Key, id.Certificate, id.Chain, password)
	if err != nil {
		return nil, fmt.Errorf("keys: writing PKCS #12: %w", err)
	}
	return der, nil
}
