package cms

import (
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/subtle"
	"encoding/asn1"
	"errors"
	"fmt"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// Content-encryption, key-transport, key-agreement and key-wrap algorithms of S/MIME
// encryption (RFC 8551 §2.7, RFC 5084, RFC 5753, RFC 3565).
var (
	OIDAES128CBC = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 2}
	OIDAES192CBC = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 22}
	OIDAES256CBC = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 42}
	OIDAES128GCM = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 6}
	OIDAES192GCM = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 26}
	OIDAES256GCM = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 46}

	OIDAES128Wrap = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 5}
	OIDAES192Wrap = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 25}
	OIDAES256Wrap = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 45}

	OIDRSAOAEP = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 7}
	OIDSHA224  = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 4}

	// dhSinglePass-stdDH-*kdf-scheme and dhSinglePass-cofactorDH-*kdf-scheme (RFC 5753 §7.1.4).
	// On the NIST prime curves the cofactor is 1, so both compute the same secret.
	OIDECDHSHA1KDF   = asn1.ObjectIdentifier{1, 3, 133, 16, 840, 63, 0, 2}
	OIDECDHSHA224KDF = asn1.ObjectIdentifier{1, 3, 132, 1, 11, 0}
	OIDECDHSHA256KDF = asn1.ObjectIdentifier{1, 3, 132, 1, 11, 1}
	OIDECDHSHA384KDF = asn1.ObjectIdentifier{1, 3, 132, 1, 11, 2}
	OIDECDHSHA512KDF = asn1.ObjectIdentifier{1, 3, 132, 1, 11, 3}

	oidECDHCofactorSHA1KDF   = asn1.ObjectIdentifier{1, 3, 133, 16, 840, 63, 0, 3}
	oidECDHCofactorSHA224KDF = asn1.ObjectIdentifier{1, 3, 132, 1, 14, 0}
	oidECDHCofactorSHA256KDF = asn1.ObjectIdentifier{1, 3, 132, 1, 14, 1}
	oidECDHCofactorSHA384KDF = asn1.ObjectIdentifier{1, 3, 132, 1, 14, 2}
	oidECDHCofactorSHA512KDF = asn1.ObjectIdentifier{1, 3, 132, 1, 14, 3}
)

// Ciphers refused as weak: 64-bit blocks (3DES, DES, RC2) or a broken stream (RC4).
var weakCiphers = []struct {
	oid  asn1.ObjectIdentifier
	name string
}{
	{asn1.ObjectIdentifier{1, 2, 840, 113549, 3, 7}, "Triple DES"},
	{asn1.ObjectIdentifier{1, 3, 14, 3, 2, 7}, "DES"},
	{asn1.ObjectIdentifier{1, 2, 840, 113549, 3, 2}, "RC2"},
	{asn1.ObjectIdentifier{1, 2, 840, 113549, 3, 4}, "RC4"},
}

// WeakCipherError means the content is encrypted with a cipher mailseal refuses to use.
type WeakCipherError struct{ Name string }

func (e *WeakCipherError) Error() string {
	return fmt.Sprintf("cms: the content is encrypted with %s, a weak cipher that mailseal does not decrypt", e.Name)
}

// UnsupportedError means an algorithm of the message is one mailseal does not implement.
type UnsupportedError struct{ What string }

func (e *UnsupportedError) Error() string { return "cms: unsupported " + e.What }

// contentCipher is a content-encryption algorithm mailseal decrypts.
type contentCipher struct {
	name    string
	keySize int
	gcm     bool
}

var contentCiphers = []struct {
	oid asn1.ObjectIdentifier
	contentCipher
}{
	{OIDAES128CBC, contentCipher{"AES-128-CBC", 16, false}},
	{OIDAES192CBC, contentCipher{"AES-192-CBC", 24, false}},
	{OIDAES256CBC, contentCipher{"AES-256-CBC", 32, false}},
	{OIDAES128GCM, contentCipher{"AES-128-GCM", 16, true}},
	{OIDAES192GCM, contentCipher{"AES-192-GCM", 24, true}},
	{OIDAES256GCM, contentCipher{"AES-256-GCM", 32, true}},
}

// ContentCipher names the content-encryption algorithm of env, or says why it is refused:
// a *WeakCipherError or an *UnsupportedError. GCM belongs in AuthEnvelopedData and CBC in
// EnvelopedData; either elsewhere is refused, so a MAC is never silently absent.
func (env *Envelope) ContentCipher() (string, error) {
	c, err := env.contentCipher()
	if err != nil {
		return "", err
	}
	return c.name, nil
}

func (env *Envelope) contentCipher() (contentCipher, error) {
	for _, w := range weakCiphers {
		if env.ContentAlgorithm.Equal(w.oid) {
			return contentCipher{}, &WeakCipherError{Name: w.name}
		}
	}
	for _, c := range contentCiphers {
		if !env.ContentAlgorithm.Equal(c.oid) {
			continue
		}
		if c.gcm != env.Authenticated {
			return contentCipher{}, &UnsupportedError{What: fmt.Sprintf("content encryption: %s in %s", c.name, env.kindName())}
		}
		return c.contentCipher, nil
	}
	return contentCipher{}, &UnsupportedError{What: fmt.Sprintf("content encryption algorithm %v", env.ContentAlgorithm)}
}

func (env *Envelope) kindName() string {
	if env.Authenticated {
		return "AuthEnvelopedData"
	}
	return "EnvelopedData"
}

// errOpen is every failure after a key was tried: padding, MAC and wrong key alike.
var errOpen = errors.New("cms: decryption failed")

// open decrypts the content with cek. Every failure is errOpen, whatever its cause.
func (env *Envelope) open(c contentCipher, cek []byte) ([]byte, error) {
	if len(cek) != c.keySize {
		return nil, errOpen
	}
	block, err := aes.NewCipher(cek)
	if err != nil {
		return nil, errOpen
	}
	if c.gcm {
		nonce, tagSize, err := gcmParams(env.ContentParams)
		if err != nil {
			return nil, err
		}
		if len(env.MAC) != tagSize {
			return nil, errOpen
		}
		aead, err := cipher.NewGCMWithTagSize(block, tagSize)
		if err != nil {
			return nil, errOpen
		}
		sealed := append(append([]byte(nil), env.EncryptedContent...), env.MAC...)
		out, err := aead.Open(sealed[:0], nonce, sealed, env.AuthAttributes)
		if err != nil {
			return nil, errOpen
		}
		return out, nil
	}
	iv, err := cbcIV(env.ContentParams)
	if err != nil {
		return nil, err
	}
	ct := env.EncryptedContent
	if len(ct) == 0 || len(ct)%aes.BlockSize != 0 {
		return nil, errOpen
	}
	out := make([]byte, len(ct))
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(out, ct)
	n, ok := unpad(out)
	if !ok {
		return nil, errOpen
	}
	return out[:n], nil
}

// unpad checks PKCS #7 padding without branching on the padding bytes.
func unpad(b []byte) (int, bool) {
	p := int(b[len(b)-1])
	good := subtle.ConstantTimeLessOrEq(1, p) & subtle.ConstantTimeLessOrEq(p, aes.BlockSize)
	for i := 1; i <= aes.BlockSize; i++ {
		inPad := subtle.ConstantTimeLessOrEq(i, p)
		same := subtle.ConstantTimeByteEq(b[len(b)-i], byte(p))
		good &= subtle.ConstantTimeSelect(inPad, same, 1)
	}
	return len(b) - p, good == 1
}

func cbcIV(params []byte) ([]byte, error) {
	in := cryptobyte.String(params)
	var iv cryptobyte.String
	if !in.ReadASN1(&iv, cbasn1.OCTET_STRING) || len(iv) != aes.BlockSize || !in.Empty() {
		return nil, errors.New("cms: malformed AES-CBC parameters (the IV)")
	}
	return iv, nil
}

// gcmParams reads GCMParameters (RFC 5084 §3.2): the nonce and the tag length.
func gcmParams(params []byte) (nonce []byte, tagSize int, err error) {
	in := cryptobyte.String(params)
	var seq, n cryptobyte.String
	if !in.ReadASN1(&seq, cbasn1.SEQUENCE) || !seq.ReadASN1(&n, cbasn1.OCTET_STRING) {
		return nil, 0, errors.New("cms: malformed GCMParameters")
	}
	tagSize = 12
	if !seq.Empty() && !seq.ReadASN1Integer(&tagSize) {
		return nil, 0, errors.New("cms: malformed GCMParameters")
	}
	// Go's GCM takes tags of 12 to 16 bytes; RFC 5084 allows shorter ones, which forge easily.
	if len(n) != 12 || tagSize < 12 || tagSize > 16 {
		return nil, 0, &UnsupportedError{What: fmt.Sprintf("AES-GCM with a %d-byte nonce and a %d-byte tag", len(n), tagSize)}
	}
	return n, tagSize, nil
}

// hashFor maps a digest OID to a hash for OAEP and the ECDH KDFs.
func hashFor(oid asn1.ObjectIdentifier) (crypto.Hash, bool) {
	switch {
	case oid.Equal(OIDSHA1):
		return crypto.SHA1, true
	case oid.Equal(OIDSHA224):
		return crypto.SHA224, true
	case oid.Equal(OIDSHA256):
		return crypto.SHA256, true
	case oid.Equal(OIDSHA384):
		return crypto.SHA384, true
	case oid.Equal(OIDSHA512):
		return crypto.SHA512, true
	}
	return 0, false
}
