package cms

import (
	"bytes"
	"crypto"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"encoding/binary"
	"errors"
	"fmt"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// MaxDecryptAttempts bounds how many recipient entries are tried with the user's keys: a
// message may name one certificate many times, and each try costs a private-key operation.
const MaxDecryptAttempts = 8

// ErrNoRecipient means none of the recipients is one of the given certificates.
var ErrNoRecipient = errors.New("cms: the message is not encrypted to any of your certificates")

// ErrDecrypt means a recipient entry named the user's certificate but the content did not
// decrypt: the key did not fit, or the message was changed. It is the same error for a bad
// RSA padding, a bad key wrap, a bad CBC padding and a bad GCM tag, so that a sender who can
// watch the outcome learns nothing about which step failed (no padding oracle).
var ErrDecrypt = errors.New("cms: the message could not be decrypted: the key does not fit it, or it was changed in transit")

// Key is a private key of the user with its certificate.
type Key struct {
	Certificate *x509.Certificate
	// Private is an RSA key (a crypto.Decrypter: *rsa.PrivateKey or a token's key) or an
	// EC key (*ecdsa.PrivateKey or *ecdh.PrivateKey) on P-256, P-384 or P-521.
	Private crypto.PrivateKey
}

// Decrypt finds the recipient entries that name one of keys' certificates and returns the
// content of the first that decrypts, with the key that did it. It returns ErrNoRecipient,
// ErrDecrypt, a *WeakCipherError or an *UnsupportedError.
func (env *Envelope) Decrypt(keys []Key) ([]byte, *Key, error) {
	c, err := env.contentCipher()
	if err != nil {
		return nil, nil, err
	}
	attempts := 0
	var unsupported error
	for i := range env.Recipients {
		r := &env.Recipients[i]
		for k := range keys {
			if !r.names(keys[k].Certificate) {
				continue
			}
			if attempts++; attempts > MaxDecryptAttempts {
				return nil, nil, ErrDecrypt
			}
			cek, err := r.contentKey(&keys[k], c.keySize)
			var u *UnsupportedError
			if errors.As(err, &u) {
				unsupported = err
				continue
			}
			if err != nil {
				continue
			}
			content, err := env.open(c, cek)
			if err == errOpen {
				continue
			}
			if err != nil {
				return nil, nil, err // malformed parameters: the same for every key
			}
			return content, &keys[k], nil
		}
	}
	switch {
	case attempts > 0 && unsupported == nil:
		return nil, nil, ErrDecrypt
	case unsupported != nil:
		return nil, nil, unsupported
	}
	return nil, nil, ErrNoRecipient
}

// names reports whether r identifies cert.
func (r *Recipient) names(cert *x509.Certificate) bool {
	if cert == nil || r.Kind == OtherRecipient {
		return false
	}
	if r.IssuerAndSerial != nil {
		return bytes.Equal(r.IssuerAndSerial.RawIssuer, cert.RawIssuer) && r.IssuerAndSerial.Serial.Cmp(cert.SerialNumber) == 0
	}
	return len(r.SubjectKeyID) > 0 && bytes.Equal(r.SubjectKeyID, cert.SubjectKeyId)
}

// contentKey recovers the content-encryption key. Every failure of the key itself is
// errOpen; an *UnsupportedError means the algorithm, not the key, is the obstacle.
func (r *Recipient) contentKey(k *Key, keySize int) ([]byte, error) {
	switch r.Kind {
	case KeyTransport:
		return r.transportedKey(k, keySize)
	case KeyAgreement:
		return r.agreedKey(k)
	}
	return nil, &UnsupportedError{What: "recipient type"}
}

func (r *Recipient) transportedKey(k *Key, keySize int) ([]byte, error) {
	dec, ok := k.Private.(crypto.Decrypter)
	if _, isRSA := k.Certificate.PublicKey.(*rsa.PublicKey); !ok || !isRSA {
		return nil, &UnsupportedError{What: "key transport to a key that is not RSA"}
	}
	switch {
	case r.KeyAlgorithm.Equal(OIDRSAEncryption):
		// SessionKeyLen makes a bad padding return a random key of the right length instead
		// of an error (RFC 3218 §2.3.2): the failure shows only when the content fails to open.
		return dec.Decrypt(rand.Reader, r.EncryptedKey, &rsa.PKCS1v15DecryptOptions{SessionKeyLen: keySize})
	case r.KeyAlgorithm.Equal(OIDRSAOAEP):
		opts, err := oaepOptions(r.KeyParams)
		if err != nil {
			return nil, err
		}
		cek, err := dec.Decrypt(nil, r.EncryptedKey, opts)
		if err != nil {
			return nil, errOpen
		}
		return cek, nil
	}
	return nil, &UnsupportedError{What: fmt.Sprintf("key transport algorithm %v", r.KeyAlgorithm)}
}

var oidPSpecified = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 9}

// oaepOptions reads RSAES-OAEP-params (RFC 4055 §4.1); absent fields take SHA-1 defaults.
func oaepOptions(params []byte) (*rsa.OAEPOptions, error) {
	opts := &rsa.OAEPOptions{Hash: crypto.SHA1, MGFHash: crypto.SHA1}
	if len(params) == 0 || bytes.Equal(params, []byte{0x05, 0x00}) {
		return opts, nil
	}
	bad := &UnsupportedError{What: "RSA-OAEP parameters"}
	in := cryptobyte.String(params)
	var seq cryptobyte.String
	if !in.ReadASN1(&seq, cbasn1.SEQUENCE) {
		return nil, bad
	}
	var field cryptobyte.String
	var has bool
	if !seq.ReadOptionalASN1(&field, &has, cbasn1.Tag(0).Constructed().ContextSpecific()) {
		return nil, bad
	}
	if has {
		oid, _, err := readAlgorithm(&field)
		h, ok := hashFor(oid)
		if err != nil || !ok {
			return nil, bad
		}
		opts.Hash = h
	}
	if !seq.ReadOptionalASN1(&field, &has, cbasn1.Tag(1).Constructed().ContextSpecific()) {
		return nil, bad
	}
	if has {
		oid, mgfParams, err := readAlgorithm(&field)
		if err != nil || !oid.Equal(OIDMGF1) {
			return nil, bad
		}
		p := cryptobyte.String(mgfParams)
		hashOID, _, err := readAlgorithm(&p)
		h, ok := hashFor(hashOID)
		if err != nil || !ok {
			return nil, bad
		}
		opts.MGFHash = h
	}
	if !seq.ReadOptionalASN1(&field, &has, cbasn1.Tag(2).Constructed().ContextSpecific()) {
		return nil, bad
	}
	if has {
		oid, label, err := readAlgorithm(&field)
		l := cryptobyte.String(label)
		var value cryptobyte.String
		if err != nil || !oid.Equal(oidPSpecified) || !l.ReadASN1(&value, cbasn1.OCTET_STRING) {
			return nil, bad
		}
		opts.Label = value
	}
	return opts, nil
}

// agreedKey runs ECDH ephemeral-static (RFC 5753 §3.1.2): the shared secret with the
// originator's ephemeral key, the ANSI X9.63 KDF over ECC-CMS-SharedInfo, and the AES key
// unwrap of the content key.
func (r *Recipient) agreedKey(k *Key) ([]byte, error) {
	priv, err := ecdhKey(k.Private)
	if err != nil {
		return nil, err
	}
	h, ok := kdfHash(r.KeyAlgorithm)
	if !ok {
		return nil, &UnsupportedError{What: fmt.Sprintf("key agreement algorithm %v", r.KeyAlgorithm)}
	}
	wrap := cryptobyte.String(r.KeyParams)
	wrapOID, _, err := readAlgorithm(&wrap)
	if err != nil {
		return nil, &UnsupportedError{What: "key agreement without a key-wrap algorithm"}
	}
	kekSize := wrapKeySize(wrapOID)
	if kekSize == 0 {
		return nil, &UnsupportedError{What: fmt.Sprintf("key-wrap algorithm %v", wrapOID)}
	}
	if !r.OriginatorAlgorithm.Equal(OIDECPublicKey) {
		return nil, &UnsupportedError{What: fmt.Sprintf("originator key algorithm %v", r.OriginatorAlgorithm)}
	}
	eph, err := priv.Curve().NewPublicKey(r.OriginatorKey)
	if err != nil {
		return nil, errOpen // not a point on the recipient's curve
	}
	z, err := priv.ECDH(eph)
	if err != nil {
		return nil, errOpen
	}
	kek := x963KDF(h, z, sharedInfo(r.KeyParams, r.UKM, kekSize), kekSize)
	return aesUnwrap(kek, r.EncryptedKey)
}

func ecdhKey(p crypto.PrivateKey) (*ecdh.PrivateKey, error) {
	switch k := p.(type) {
	case *ecdh.PrivateKey:
		return k, nil
	case *ecdsa.PrivateKey:
		switch k.Curve {
		case elliptic.P256(), elliptic.P384(), elliptic.P521():
			return k.ECDH()
		}
	}
	return nil, &UnsupportedError{What: "key agreement with a key that is not P-256, P-384 or P-521"}
}

func kdfHash(oid asn1.ObjectIdentifier) (crypto.Hash, bool) {
	switch {
	case oid.Equal(OIDECDHSHA1KDF), oid.Equal(oidECDHCofactorSHA1KDF):
		return crypto.SHA1, true
	case oid.Equal(OIDECDHSHA224KDF), oid.Equal(oidECDHCofactorSHA224KDF):
		return crypto.SHA224, true
	case oid.Equal(OIDECDHSHA256KDF), oid.Equal(oidECDHCofactorSHA256KDF):
		return crypto.SHA256, true
	case oid.Equal(OIDECDHSHA384KDF), oid.Equal(oidECDHCofactorSHA384KDF):
		return crypto.SHA384, true
	case oid.Equal(OIDECDHSHA512KDF), oid.Equal(oidECDHCofactorSHA512KDF):
		return crypto.SHA512, true
	}
	return 0, false
}

func wrapKeySize(oid asn1.ObjectIdentifier) int {
	switch {
	case oid.Equal(OIDAES128Wrap):
		return 16
	case oid.Equal(OIDAES192Wrap):
		return 24
	case oid.Equal(OIDAES256Wrap):
		return 32
	}
	return 0
}

// sharedInfo is the DER of ECC-CMS-SharedInfo (RFC 5753 §7.2): the key-wrap algorithm as
// the message names it, the ukm if any, and the KEK length in bits.
func sharedInfo(wrapAlgorithm, ukm []byte, kekSize int) []byte {
	b := cryptobyte.NewBuilder(nil)
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddBytes(wrapAlgorithm)
		if ukm != nil {
			b.AddASN1(cbasn1.Tag(0).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
				b.AddASN1OctetString(ukm)
			})
		}
		b.AddASN1(cbasn1.Tag(2).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
			b.AddASN1OctetString(binary.BigEndian.AppendUint32(nil, uint32(kekSize*8)))
		})
	})
	return b.BytesOrPanic()
}

// x963KDF is the KDF of ANSI X9.63 §3.6.1 (SEC 1 §3.6.1) that RFC 5753 names.
func x963KDF(h crypto.Hash, z, info []byte, size int) []byte {
	var out []byte
	for counter := uint32(1); len(out) < size; counter++ {
		d := h.New()
		d.Write(z)
		d.Write(binary.BigEndian.AppendUint32(nil, counter))
		d.Write(info)
		out = d.Sum(out)
	}
	return out[:size]
}
