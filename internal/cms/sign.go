package cms

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"slices"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// Signer is one signature to make: the certificate that names the signer, its
// private key and the intermediates a verifier needs to reach a root.
type Signer struct {
	Certificate *x509.Certificate
	Key         crypto.Signer // RSA, ECDSA (P-256/384/521) or Ed25519
	Chain       []*x509.Certificate
}

// SignOptions choose the shape of the SignedData. The zero value gives an opaque
// signature (eContent present) with SHA-256, issuerAndSerialNumber and the
// content-type and message-digest signed attributes.
type SignOptions struct {
	// Detached leaves eContent out, as multipart/signed needs.
	Detached bool
	// Hash is the digest algorithm; zero means SHA-256 (SHA-512 for Ed25519, the only one
	// RFC 8419 allows). SHA-1 and MD5 work, for building fixtures of weak signatures.
	Hash crypto.Hash
	// PSS signs with RSASSA-PSS (MGF1 with the same hash, salt as long as the hash) instead of PKCS #1 v1.5.
	PSS bool
	// SigningTime, unless zero, is added as the signingTime attribute.
	SigningTime time.Time
	// NoSignedAttributes signs the content itself (RFC 5652 §5.4). Fixtures may still pass
	// ExtraAttributes: the signed attributes are then exactly those, without the
	// content-type and message-digest attributes CMS requires.
	NoSignedAttributes bool
	// SubjectKeyID names the signer by subjectKeyIdentifier (version 3) instead of issuer and serial.
	SubjectKeyID bool
	// Capabilities adds the SMIMECapabilities attribute announcing what we can decrypt and hash.
	Capabilities bool

	// The options below exist to build hostile test fixtures; the product never sets them.

	// UnsortedAttributes encodes the signed attributes out of DER order and signs those exact bytes.
	UnsortedAttributes bool
	// ExtraContent, with Detached, is still embedded as eContent (the eContent-confusion attack).
	ExtraContent []byte
	// ContentType replaces id-data in the content-type attribute; eContentType stays id-data.
	ContentType asn1.ObjectIdentifier
	// EContentType replaces id-data as eContentType and in the content-type attribute, so the
	// signature is consistent but signs something other than data (digestedData, say).
	EContentType asn1.ObjectIdentifier
	// ExtraAttributes are signed after the built-in ones, duplicates included.
	ExtraAttributes []Attribute
}

// Attribute is one signed attribute: its type and the DER encoding of each value.
type Attribute struct {
	Type   asn1.ObjectIdentifier
	Values [][]byte
}

// Algorithms announced in SMIMECapabilities (RFC 8551 §2.5.2), strongest first.
var signCapabilities = []asn1.ObjectIdentifier{
	OIDAES256GCM, OIDAES128GCM, OIDAES256CBC, OIDAES128CBC,
	OIDSHA512, OIDSHA384, OIDSHA256,
}

// SHA-224 is here so that fixtures can carry a digest verifiers are not required to know.
var signDigestOIDs = map[crypto.Hash]asn1.ObjectIdentifier{
	crypto.MD5: OIDMD5, crypto.SHA1: OIDSHA1, crypto.SHA224: {2, 16, 840, 1, 101, 3, 4, 2, 4},
	crypto.SHA256: OIDSHA256, crypto.SHA384: OIDSHA384, crypto.SHA512: OIDSHA512,
}

var signECDSAOIDs = map[crypto.Hash]asn1.ObjectIdentifier{
	crypto.SHA1: OIDECDSAWithSHA1, crypto.SHA224: {1, 2, 840, 10045, 4, 3, 1}, crypto.SHA256: OIDECDSAWithSHA256,
	crypto.SHA384: OIDECDSAWithSHA384, crypto.SHA512: OIDECDSAWithSHA512,
}

// Sign returns the DER of a ContentInfo holding a SignedData over content, with one
// SignerInfo per signer. With no signers it returns a degenerate SignedData (the
// certs-only shape of RFC 8551 §3.8), which is also the zero-signers fixture.
func Sign(content []byte, signers []Signer, opts SignOptions) ([]byte, error) {
	if opts.ExtraContent != nil && !opts.Detached {
		return nil, errors.New("cms: ExtraContent needs Detached")
	}
	var (
		digestAlgs [][]byte
		certs      [][]byte
		infos      [][]byte
	)
	for i, s := range signers {
		h, err := signHashFor(s, opts)
		if err != nil {
			return nil, fmt.Errorf("cms: signer %d: %w", i, err)
		}
		info, err := buildSignerInfo(content, s, h, opts)
		if err != nil {
			return nil, fmt.Errorf("cms: signer %d: %w", i, err)
		}
		infos = append(infos, info)
		digestAlgs = append(digestAlgs, buildDigestAlgorithm(h))
		certs = append(certs, s.Certificate.Raw)
		for _, c := range s.Chain {
			certs = append(certs, c.Raw)
		}
	}

	// RFC 5652 §5.1: version 3 as soon as a SignerInfo is version 3, else 1 (eContentType is id-data).
	version := int64(1)
	if opts.SubjectKeyID && len(signers) > 0 {
		version = 3
	}
	b := cryptobyte.NewBuilder(nil)
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // ContentInfo
		b.AddASN1ObjectIdentifier(OIDSignedData)
		b.AddASN1(cbasn1.Tag(0).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // SignedData
				b.AddASN1Int64(version)
				buildSetOf(b, cbasn1.SET, signUnique(digestAlgs))
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // EncapsulatedContentInfo
					if opts.EContentType != nil {
						b.AddASN1ObjectIdentifier(opts.EContentType)
					} else {
						b.AddASN1ObjectIdentifier(OIDData)
					}
					eContent := content
					if opts.Detached {
						eContent = opts.ExtraContent
					}
					if eContent != nil {
						b.AddASN1(cbasn1.Tag(0).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
							b.AddASN1OctetString(eContent)
						})
					}
				})
				if len(certs) > 0 {
					buildSetOf(b, cbasn1.Tag(0).Constructed().ContextSpecific(), signUnique(certs))
				}
				buildSetOf(b, cbasn1.SET, signSorted(infos))
			})
		})
	})
	der, err := b.Bytes()
	if err != nil {
		return nil, fmt.Errorf("cms: encoding SignedData: %w", err)
	}
	return der, nil
}

// signHashFor picks the digest algorithm for one signer and checks it fits the key.
func signHashFor(s Signer, opts SignOptions) (crypto.Hash, error) {
	if s.Certificate == nil || s.Key == nil {
		return 0, errors.New("certificate and key are required")
	}
	if k, ok := s.Key.Public().(interface{ Equal(crypto.PublicKey) bool }); !ok || !k.Equal(s.Certificate.PublicKey) {
		return 0, errors.New("private key does not match the certificate")
	}
	h := opts.Hash
	switch s.Key.Public().(type) {
	case ed25519.PublicKey:
		if h != 0 && h != crypto.SHA512 {
			return 0, fmt.Errorf("Ed25519 requires SHA-512 (RFC 8419), not %v", h)
		}
		if opts.PSS {
			return 0, errors.New("PSS needs an RSA key")
		}
		return crypto.SHA512, nil
	case *ecdsa.PublicKey:
		if opts.PSS {
			return 0, errors.New("PSS needs an RSA key")
		}
		if h == 0 {
			h = crypto.SHA256
		}
		if signECDSAOIDs[h] == nil {
			return 0, fmt.Errorf("no ECDSA signature algorithm with %v", h)
		}
	case *rsa.PublicKey:
		if h == 0 {
			h = crypto.SHA256
		}
	default:
		return 0, fmt.Errorf("unsupported key type %T", s.Key.Public())
	}
	if signDigestOIDs[h] == nil || !h.Available() {
		return 0, fmt.Errorf("unsupported digest %v", h)
	}
	return h, nil
}

// buildSignerInfo returns the DER of one SignerInfo (RFC 5652 §5.3).
func buildSignerInfo(content []byte, s Signer, h crypto.Hash, opts SignOptions) ([]byte, error) {
	attrs, err := buildSignedAttributes(content, h, opts)
	if err != nil {
		return nil, err
	}
	// With attributes, the signature covers their DER with the SET OF tag (RFC 5652 §5.4),
	// not the [0] IMPLICIT tag they carry inside the SignerInfo.
	signed := content
	if attrs != nil {
		signed = attrs
	}
	sig, err := buildSignature(s.Key, h, opts.PSS, signed)
	if err != nil {
		return nil, err
	}
	if opts.SubjectKeyID && len(s.Certificate.SubjectKeyId) == 0 {
		return nil, errors.New("certificate has no subjectKeyIdentifier")
	}

	b := cryptobyte.NewBuilder(nil)
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		if opts.SubjectKeyID {
			b.AddASN1Int64(3)
			b.AddASN1(cbasn1.Tag(0).ContextSpecific(), func(b *cryptobyte.Builder) {
				b.AddBytes(s.Certificate.SubjectKeyId)
			})
		} else {
			b.AddASN1Int64(1)
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				b.AddBytes(s.Certificate.RawIssuer)
				b.AddASN1BigInt(s.Certificate.SerialNumber)
			})
		}
		b.AddBytes(buildDigestAlgorithm(h))
		if attrs != nil {
			// Same bytes as signed, retagged from SET (0x31) to [0] IMPLICIT (0xA0).
			tagged := bytes.Clone(attrs)
			tagged[0] = 0xA0
			b.AddBytes(tagged)
		}
		b.AddBytes(buildSignatureAlgorithm(s.Key.Public(), h, opts.PSS))
		b.AddASN1OctetString(sig)
	})
	return b.Bytes()
}

// buildSignedAttributes returns the DER SET OF Attribute, or nil when nothing is signed but the content.
func buildSignedAttributes(content []byte, h crypto.Hash, opts SignOptions) ([]byte, error) {
	var attrs [][]byte
	if !opts.NoSignedAttributes {
		ct := opts.ContentType
		if ct == nil {
			ct = opts.EContentType
		}
		if ct == nil {
			ct = OIDData
		}
		d := h.New()
		d.Write(content)
		attrs = append(attrs,
			buildAttribute(OIDAttrContentType, func(b *cryptobyte.Builder) { b.AddASN1ObjectIdentifier(ct) }),
			buildAttribute(OIDAttrMessageDigest, func(b *cryptobyte.Builder) { b.AddASN1OctetString(d.Sum(nil)) }))
		if !opts.SigningTime.IsZero() {
			attrs = append(attrs, buildAttribute(OIDAttrSigningTime, func(b *cryptobyte.Builder) {
				buildTime(b, opts.SigningTime)
			}))
		}
		if opts.Capabilities {
			attrs = append(attrs, buildAttribute(OIDAttrSMIMECapabilities, func(b *cryptobyte.Builder) {
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
					for _, c := range signCapabilities {
						b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { b.AddASN1ObjectIdentifier(c) })
					}
				})
			}))
		}
	}
	for _, a := range opts.ExtraAttributes {
		b := cryptobyte.NewBuilder(nil)
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1ObjectIdentifier(a.Type)
			values := a.Values
			if !opts.UnsortedAttributes {
				values = signSorted(values)
			}
			buildSetOf(b, cbasn1.SET, values)
		})
		der, err := b.Bytes()
		if err != nil {
			return nil, fmt.Errorf("encoding attribute %v: %w", a.Type, err)
		}
		attrs = append(attrs, der)
	}
	if len(attrs) == 0 {
		return nil, nil
	}

	attrs = signSorted(attrs)
	if opts.UnsortedAttributes {
		if len(attrs) < 2 || bytes.Equal(attrs[0], attrs[len(attrs)-1]) {
			return nil, errors.New("UnsortedAttributes needs two different attributes")
		}
		slices.Reverse(attrs)
	}
	b := cryptobyte.NewBuilder(nil)
	buildSetOf(b, cbasn1.SET, attrs)
	return b.Bytes()
}

func buildAttribute(typ asn1.ObjectIdentifier, value func(*cryptobyte.Builder)) []byte {
	b := cryptobyte.NewBuilder(nil)
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1ObjectIdentifier(typ)
		b.AddASN1(cbasn1.SET, value)
	})
	return b.BytesOrPanic() // only fixed, well-formed values reach here
}

// buildTime encodes a Time as RFC 5652 §11.3 asks: UTCTime for 1950–2049, else GeneralizedTime.
func buildTime(b *cryptobyte.Builder, t time.Time) {
	t = t.UTC()
	if t.Year() >= 1950 && t.Year() < 2050 {
		b.AddASN1UTCTime(t)
	} else {
		b.AddASN1GeneralizedTime(t)
	}
}

// buildSetOf adds the elements in the order given; callers sort when DER asks for it.
func buildSetOf(b *cryptobyte.Builder, tag cbasn1.Tag, elems [][]byte) {
	b.AddASN1(tag, func(b *cryptobyte.Builder) {
		for _, e := range elems {
			b.AddBytes(e)
		}
	})
}

// signSorted returns the elements in DER SET OF order (X.690 §11.6). Plain byte order is
// right: two different complete DER encodings are never one a prefix of the other.
func signSorted(elems [][]byte) [][]byte {
	out := slices.Clone(elems)
	slices.SortStableFunc(out, bytes.Compare)
	return out
}

// signUnique is signSorted without repeated encodings: a certificate or digest algorithm
// shared by several signers appears once.
func signUnique(elems [][]byte) [][]byte {
	return slices.CompactFunc(signSorted(elems), bytes.Equal)
}

func buildDigestAlgorithm(h crypto.Hash) []byte {
	b := cryptobyte.NewBuilder(nil)
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1ObjectIdentifier(signDigestOIDs[h])
		if h == crypto.MD5 {
			b.AddASN1NULL() // RFC 3370 §2.2: MD5 keeps NULL parameters; SHA-1 and SHA-2 omit them
		}
	})
	return b.BytesOrPanic()
}

func buildSignatureAlgorithm(pub crypto.PublicKey, h crypto.Hash, pss bool) []byte {
	b := cryptobyte.NewBuilder(nil)
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		switch pub.(type) {
		case ed25519.PublicKey:
			b.AddASN1ObjectIdentifier(OIDEd25519)
		case *ecdsa.PublicKey:
			b.AddASN1ObjectIdentifier(signECDSAOIDs[h])
		case *rsa.PublicKey:
			if !pss {
				b.AddASN1ObjectIdentifier(OIDRSAEncryption)
				b.AddASN1NULL()
				return
			}
			// RSASSA-PSS-params (RFC 4055 §3.1); trailerField keeps its default.
			b.AddASN1ObjectIdentifier(OIDRSAPSS)
			hashAlg := func(b *cryptobyte.Builder) {
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
					b.AddASN1ObjectIdentifier(signDigestOIDs[h])
					b.AddASN1NULL()
				})
			}
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				b.AddASN1(cbasn1.Tag(0).Constructed().ContextSpecific(), hashAlg)
				b.AddASN1(cbasn1.Tag(1).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
					b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
						b.AddASN1ObjectIdentifier(OIDMGF1)
						hashAlg(b)
					})
				})
				b.AddASN1(cbasn1.Tag(2).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
					b.AddASN1Int64(int64(h.Size()))
				})
			})
		}
	})
	return b.BytesOrPanic()
}

// buildSignature signs message (the attributes or the content) with key.
func buildSignature(key crypto.Signer, h crypto.Hash, pss bool, message []byte) ([]byte, error) {
	if _, ok := key.Public().(ed25519.PublicKey); ok {
		return key.Sign(rand.Reader, message, crypto.Hash(0)) // pure Ed25519 signs the message itself
	}
	d := h.New()
	d.Write(message)
	var opts crypto.SignerOpts = h
	if pss {
		opts = &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash, Hash: h}
	}
	sig, err := key.Sign(rand.Reader, d.Sum(nil), opts)
	if err != nil {
		return nil, fmt.Errorf("signing: %w", err)
	}
	return sig, nil
}
