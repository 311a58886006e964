package cms

import (
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	_ "crypto/sha1" // the hashes OAEP and the ECDH KDFs may name
	_ "crypto/sha256"
	_ "crypto/sha512"
	"crypto/x509"
	"errors"
	"fmt"
	"io"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// EncryptOptions choose the shape of what Encrypt builds. The zero value gives
// EnvelopedData with AES-256-CBC and RSA PKCS #1 v1.5 key transport, which every S/MIME
// client reads.
type EncryptOptions struct {
	// Authenticated builds AuthEnvelopedData with AES-256-GCM (RFC 5083/5084): only for
	// recipients whose SMIMECapabilities list it.
	Authenticated bool
	// OAEP transports the key to RSA recipients with RSAES-OAEP (SHA-256) instead of PKCS #1 v1.5.
	OAEP bool
	// Rand is the source of the content key, IV and ephemeral keys; nil means crypto/rand.
	Rand io.Reader
}

// Encrypt encrypts content (a MIME entity, for S/MIME) to each certificate and returns the
// DER ContentInfo. RSA certificates get key transport; EC certificates on P-256, P-384 or
// P-521 get ECDH ephemeral-static with the SHA-256 KDF and AES-256 key wrap (RFC 5753).
// It does not judge the certificates: the caller has validated them.
func Encrypt(content []byte, recipients []*x509.Certificate, opts EncryptOptions) ([]byte, error) {
	if len(recipients) == 0 {
		return nil, errors.New("cms: no recipients to encrypt to")
	}
	if len(recipients) > MaxRecipients {
		return nil, fmt.Errorf("cms: more than %d recipients", MaxRecipients)
	}
	rnd := opts.Rand
	if rnd == nil {
		rnd = rand.Reader
	}
	cek := make([]byte, 32)
	if _, err := io.ReadFull(rnd, cek); err != nil {
		return nil, fmt.Errorf("cms: %w", err)
	}
	var infos [][]byte
	for _, c := range recipients {
		ri, err := recipientInfo(c, cek, opts, rnd)
		if err != nil {
			return nil, err
		}
		infos = append(infos, ri)
	}
	block, err := aes.NewCipher(cek)
	if err != nil {
		return nil, err
	}
	contentType, version := OIDEnvelopedData, int64(0)
	for _, c := range recipients {
		if _, ok := c.PublicKey.(*rsa.PublicKey); !ok {
			version = 2 // a KeyAgreeRecipientInfo (RFC 5652 §6.1)
		}
	}
	var algorithm, ciphertext, mac []byte
	if opts.Authenticated {
		contentType, version = OIDAuthEnvelopedData, 0
		nonce := make([]byte, 12)
		if _, err := io.ReadFull(rnd, nonce); err != nil {
			return nil, fmt.Errorf("cms: %w", err)
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, err
		}
		sealed := aead.Seal(nil, nonce, content, nil)
		ciphertext, mac = sealed[:len(content)], sealed[len(content):]
		algorithm = algorithmDER(OIDAES256GCM, func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				b.AddASN1OctetString(nonce)
				b.AddASN1Int64(int64(len(mac)))
			})
		})
	} else {
		iv := make([]byte, aes.BlockSize)
		if _, err := io.ReadFull(rnd, iv); err != nil {
			return nil, fmt.Errorf("cms: %w", err)
		}
		p := aes.BlockSize - len(content)%aes.BlockSize
		ciphertext = append(append([]byte(nil), content...), make([]byte, p)...)
		for i := len(content); i < len(ciphertext); i++ {
			ciphertext[i] = byte(p)
		}
		cipher.NewCBCEncrypter(block, iv).CryptBlocks(ciphertext, ciphertext)
		algorithm = algorithmDER(OIDAES256CBC, func(b *cryptobyte.Builder) { b.AddASN1OctetString(iv) })
	}
	b := cryptobyte.NewBuilder(nil)
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1ObjectIdentifier(contentType)
		b.AddASN1(cbasn1.Tag(0).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				b.AddASN1Int64(version)
				b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) {
					for _, ri := range infos {
						b.AddBytes(ri)
					}
				})
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
					b.AddASN1ObjectIdentifier(OIDData)
					b.AddBytes(algorithm)
					b.AddASN1(cbasn1.Tag(0).ContextSpecific(), func(b *cryptobyte.Builder) { b.AddBytes(ciphertext) })
				})
				if mac != nil {
					b.AddASN1OctetString(mac)
				}
			})
		})
	})
	return b.Bytes()
}

func algorithmDER(oid []int, params func(*cryptobyte.Builder)) []byte {
	b := cryptobyte.NewBuilder(nil)
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1ObjectIdentifier(oid)
		if params != nil {
			params(b)
		}
	})
	return b.BytesOrPanic()
}

func issuerAndSerialDER(c *x509.Certificate) func(*cryptobyte.Builder) {
	return func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddBytes(c.RawIssuer)
			b.AddASN1BigInt(c.SerialNumber)
		})
	}
}

func recipientInfo(c *x509.Certificate, cek []byte, opts EncryptOptions, rnd io.Reader) ([]byte, error) {
	switch pub := c.PublicKey.(type) {
	case *rsa.PublicKey:
		if err := CheckKeyLimits(pub); err != nil {
			return nil, err
		}
		var ek, alg []byte
		var err error
		if opts.OAEP {
			ek, err = rsa.EncryptOAEP(crypto.SHA256.New(), rnd, pub, cek, nil)
			alg = algorithmDER(OIDRSAOAEP, func(b *cryptobyte.Builder) {
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
					b.AddASN1(cbasn1.Tag(0).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
						b.AddBytes(algorithmDER(OIDSHA256, nil))
					})
					b.AddASN1(cbasn1.Tag(1).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
						b.AddBytes(algorithmDER(OIDMGF1, func(b *cryptobyte.Builder) { b.AddBytes(algorithmDER(OIDSHA256, nil)) }))
					})
				})
			})
		} else {
			ek, err = rsa.EncryptPKCS1v15(rnd, pub, cek)
			alg = algorithmDER(OIDRSAEncryption, func(b *cryptobyte.Builder) { b.AddASN1NULL() })
		}
		if err != nil {
			return nil, fmt.Errorf("cms: encrypting the key to %s: %w", c.Subject, err)
		}
		b := cryptobyte.NewBuilder(nil)
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1Int64(0)
			issuerAndSerialDER(c)(b)
			b.AddBytes(alg)
			b.AddASN1OctetString(ek)
		})
		return b.Bytes()
	case *ecdsa.PublicKey:
		return keyAgreeInfo(c, pub, cek, rnd)
	}
	return nil, fmt.Errorf("cms: cannot encrypt to the %T key of %s", c.PublicKey, c.Subject)
}

// keyAgreeInfo builds a KeyAgreeRecipientInfo for ECDH ephemeral-static (RFC 5753 §3.1.1).
func keyAgreeInfo(c *x509.Certificate, pub *ecdsa.PublicKey, cek []byte, rnd io.Reader) ([]byte, error) {
	static, err := pub.ECDH()
	if err != nil {
		return nil, fmt.Errorf("cms: the key of %s cannot do ECDH: %w", c.Subject, err)
	}
	eph, err := static.Curve().GenerateKey(rnd)
	if err != nil {
		return nil, fmt.Errorf("cms: %w", err)
	}
	z, err := eph.ECDH(static)
	if err != nil {
		return nil, fmt.Errorf("cms: %w", err)
	}
	wrapAlg := algorithmDER(OIDAES256Wrap, nil)
	kek := x963KDF(crypto.SHA256, z, sharedInfo(wrapAlg, nil, 32), 32)
	wrapped, err := aesWrap(kek, cek)
	if err != nil {
		return nil, err
	}
	curve, err := curveOID(eph)
	if err != nil {
		return nil, err
	}
	b := cryptobyte.NewBuilder(nil)
	b.AddASN1(cbasn1.Tag(1).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
		b.AddASN1Int64(3)
		b.AddASN1(cbasn1.Tag(0).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.Tag(1).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
				b.AddBytes(algorithmDER(OIDECPublicKey, func(b *cryptobyte.Builder) { b.AddASN1ObjectIdentifier(curve) }))
				b.AddASN1BitString(eph.PublicKey().Bytes())
			})
		})
		b.AddBytes(algorithmDER(OIDECDHSHA256KDF, func(b *cryptobyte.Builder) { b.AddBytes(wrapAlg) }))
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				issuerAndSerialDER(c)(b)
				b.AddASN1OctetString(wrapped)
			})
		})
	})
	return b.Bytes()
}

func curveOID(k *ecdh.PrivateKey) ([]int, error) {
	switch k.Curve() {
	case ecdh.P256():
		return []int{1, 2, 840, 10045, 3, 1, 7}, nil
	case ecdh.P384():
		return []int{1, 3, 132, 0, 34}, nil
	case ecdh.P521():
		return []int{1, 3, 132, 0, 35}, nil
	}
	return nil, errors.New("cms: unsupported curve")
}
