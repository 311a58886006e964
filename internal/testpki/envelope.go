package testpki

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"math/big"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"github.com/mailseal/mailseal/internal/cms"
)

// KeyIDEnvelope encrypts content to the RSA key of recipient as AuthEnvelopedData
// (AES-256-GCM, RFC 5083/5084), naming the recipient by its subjectKeyIdentifier (a version 2
// KeyTransRecipientInfo, RFC 5652 §6.2.1) rather than issuer and serial: any certificate for the
// same key opens it, such as the demo identity test/e2e/p12 issues afresh for each run.
//
// Unlike cms.Encrypt it is deterministic: the content key, the nonce and the PKCS #1 v1.5
// padding come from seed, so that a committed vector is the same each time it is generated
// (crypto/rsa takes no caller's randomness). Never for real mail: the seed is public.
func KeyIDEnvelope(content []byte, recipient *x509.Certificate, seed string) ([]byte, error) {
	pub, ok := recipient.PublicKey.(*rsa.PublicKey)
	if !ok || len(recipient.SubjectKeyId) == 0 {
		return nil, errors.New("testpki: KeyIDEnvelope needs an RSA certificate with a subjectKeyIdentifier")
	}
	stream := seededBytes(seed)
	cek, nonce := stream(32), stream(12)
	k := pub.Size()
	// EM = 0x00 || 0x02 || PS (non-zero) || 0x00 || CEK (RFC 8017 §7.2.1).
	em := []byte{0, 2}
	for _, b := range stream(4 * k) {
		if b != 0 && len(em) < k-len(cek)-1 {
			em = append(em, b)
		}
	}
	em = append(append(em, 0), cek...)
	c := new(big.Int).Exp(new(big.Int).SetBytes(em), big.NewInt(int64(pub.E)), pub.N)
	ek := c.FillBytes(make([]byte, k))

	block, err := aes.NewCipher(cek)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	sealed := aead.Seal(nil, nonce, content, nil)
	ciphertext, mac := sealed[:len(content)], sealed[len(content):]

	b := cryptobyte.NewBuilder(nil)
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1ObjectIdentifier(cms.OIDAuthEnvelopedData)
		b.AddASN1(cbasn1.Tag(0).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				b.AddASN1Int64(0)
				b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) {
					b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // KeyTransRecipientInfo
						b.AddASN1Int64(2)
						b.AddASN1(cbasn1.Tag(0).ContextSpecific(), func(b *cryptobyte.Builder) { b.AddBytes(recipient.SubjectKeyId) })
						b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
							b.AddASN1ObjectIdentifier(cms.OIDRSAEncryption)
							b.AddASN1NULL()
						})
						b.AddASN1OctetString(ek)
					})
				})
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // EncryptedContentInfo
					b.AddASN1ObjectIdentifier(cms.OIDData)
					b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
						b.AddASN1ObjectIdentifier(cms.OIDAES256GCM)
						b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
							b.AddASN1OctetString(nonce)
							b.AddASN1Int64(int64(len(mac)))
						})
					})
					b.AddASN1(cbasn1.Tag(0).ContextSpecific(), func(b *cryptobyte.Builder) { b.AddBytes(ciphertext) })
				})
				b.AddASN1OctetString(mac)
			})
		})
	})
	return b.Bytes()
}

// seededBytes returns a function that gives the next n bytes of SHA-256(seed, counter).
func seededBytes(seed string) func(n int) []byte {
	var counter uint64
	var pool []byte
	return func(n int) []byte {
		for len(pool) < n {
			h := sha256.New()
			h.Write([]byte(seed))
			h.Write(new(big.Int).SetUint64(counter).Bytes())
			counter++
			pool = h.Sum(pool)
		}
		out := pool[:n:n]
		pool = pool[n:]
		return out
	}
}
