package cms

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/subtle"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// ErrUnsupported is wrapped by errors about algorithms mailseal does not implement.
var ErrUnsupported = errors.New("cms: unsupported algorithm")

// ErrWeakKey means the signer's key is too short to verify at all (RSA under 1024 bits).
var ErrWeakKey = errors.New("cms: key too short to verify")

// ErrNoSignerCertificate means the certificate a SignerInfo names is not in the message.
var ErrNoSignerCertificate = errors.New("cms: the signer's certificate is not in the message")

// SignerResult is the outcome of checking one SignerInfo.
type SignerResult struct {
	Index       int
	Certificate *x509.Certificate // found by the signer identifier; nil when absent
	Digest      crypto.Hash
	Algorithm   SignatureAlgorithm
	SigningTime *time.Time
	// Err is nil when the signature is good. It wraps ErrUnsupported, ErrNoSignerCertificate
	// or ErrSignature, or says which attribute rule failed.
	Err error
	// Weak lists why the algorithms are too weak to trust (SHA-1, MD5, short RSA keys),
	// whether or not the signature is good.
	Weak []string
}

// Verify checks every signer. detached is the signed content of a detached
// signature; pass nil to verify the encapsulated content. A SignedData that
// carries eContent while a detached content is given is refused (eContent confusion:
// the displayed and the verified content could differ).
func (sd *SignedData) Verify(detached []byte, b Backend) ([]SignerResult, error) {
	if b == nil {
		b = GoBackend{}
	}
	content := sd.Content
	if detached != nil {
		if sd.HasContent {
			return nil, errors.New("cms: a detached signature must not also carry content (eContent confusion)")
		}
		content = detached
	} else if !sd.HasContent {
		return nil, errors.New("cms: SignedData has no content and none was given")
	}
	if len(sd.Signers) == 0 {
		return nil, errors.New("cms: SignedData has no signers")
	}
	digests := map[crypto.Hash][]byte{}
	results := make([]SignerResult, len(sd.Signers))
	for i := range sd.Signers {
		results[i] = sd.verifySigner(i, content, b, digests)
	}
	return results, nil
}

func (sd *SignedData) verifySigner(i int, content []byte, b Backend, digests map[crypto.Hash][]byte) SignerResult {
	si := &sd.Signers[i]
	r := SignerResult{Index: i}
	r.Certificate = sd.findCertificate(si)

	h, weakDigest, err := digestHash(si.DigestAlgorithm)
	r.Digest = h
	if weakDigest != "" {
		r.Weak = append(r.Weak, weakDigest+" message digest")
	}
	if err != nil {
		r.Err = err
		return r
	}
	alg, err := signatureAlgorithm(si.SignatureAlgorithm, si.SignatureAlgorithmParams, h)
	r.Algorithm = alg
	if err != nil {
		r.Err = err
		return r
	}
	if w := weakHash(alg.Hash); w != "" && alg.Kind != Ed25519 {
		r.Weak = append(r.Weak, w+" in the signature")
	}
	if r.Certificate == nil {
		r.Err = ErrNoSignerCertificate
		return r
	}
	if k, ok := r.Certificate.PublicKey.(*rsa.PublicKey); ok && k.N.BitLen() < 2048 {
		r.Weak = append(r.Weak, fmt.Sprintf("RSA key of %d bits", k.N.BitLen()))
		if k.N.BitLen() < 1024 {
			// Go refuses to compute with such keys; they are broken anyway.
			r.Err = fmt.Errorf("%w: RSA key of %d bits", ErrWeakKey, k.N.BitLen())
			return r
		}
	}
	switch r.Certificate.PublicKey.(type) {
	case *rsa.PublicKey, *ecdsa.PublicKey, ed25519.PublicKey:
	default:
		r.Err = fmt.Errorf("%w: public key %v", ErrUnsupported, r.Certificate.PublicKeyAlgorithm)
		return r
	}

	digest, ok := digests[h]
	if !ok {
		if digest, err = b.Hash(h, content); err != nil {
			r.Err = err
			return r
		}
		digests[h] = digest
	}

	if si.SignedAttributes == nil {
		// Without signed attributes the signature covers the content itself, which must be id-data (RFC 5652 §5.3).
		if !sd.ContentType.Equal(OIDData) {
			r.Err = errors.New("cms: content other than id-data is signed without signed attributes")
			return r
		}
		if alg.Kind == Ed25519 {
			r.Err = b.VerifySignature(r.Certificate.PublicKey, alg, content, si.Signature)
		} else {
			r.Err = VerifyDigest(r.Certificate.PublicKey, alg, digest, si.Signature)
		}
		return r
	}

	if err := si.checkAttributes(sd.ContentType, digest); err != nil {
		r.Err = err
		return r
	}
	if t, present, err := si.SigningTime(); err != nil {
		r.Err = err
		return r
	} else if present {
		r.SigningTime = &t
	}
	r.Err = b.VerifySignature(r.Certificate.PublicKey, alg, si.SignedAttributes, si.Signature)
	return r
}

// checkAttributes applies RFC 5652 §5.3 and §11: exactly one content-type equal to the
// eContentType, exactly one messageDigest equal to the digest of the content.
func (si *SignerInfo) checkAttributes(contentType asn1.ObjectIdentifier, digest []byte) error {
	vals, n := si.attribute(OIDAttrContentType)
	if n != 1 || len(vals) != 1 {
		return fmt.Errorf("cms: signed attributes must hold one content-type attribute, found %d", n)
	}
	var ct asn1.ObjectIdentifier
	in := cryptobyte.String(vals[0])
	if !in.ReadASN1ObjectIdentifier(&ct) || !in.Empty() {
		return errors.New("cms: malformed content-type attribute")
	}
	if !ct.Equal(contentType) {
		return fmt.Errorf("cms: content-type attribute %v does not match the signed content type %v", ct, contentType)
	}
	vals, n = si.attribute(OIDAttrMessageDigest)
	if n != 1 || len(vals) != 1 {
		return fmt.Errorf("cms: signed attributes must hold one message-digest attribute, found %d", n)
	}
	var md cryptobyte.String
	in = cryptobyte.String(vals[0])
	if !in.ReadASN1(&md, cbasn1.OCTET_STRING) || !in.Empty() {
		return errors.New("cms: malformed message-digest attribute")
	}
	if subtle.ConstantTimeCompare(md, digest) != 1 {
		return fmt.Errorf("%w: the content does not match the message digest (the message was altered)", ErrSignature)
	}
	return nil
}

// findCertificate locates the signer's certificate by issuer and serial number or by
// subject key identifier, never by address.
func (sd *SignedData) findCertificate(si *SignerInfo) *x509.Certificate {
	for _, c := range sd.Certificates {
		switch {
		case si.IssuerAndSerial != nil:
			if c.SerialNumber.Cmp(si.IssuerAndSerial.Serial) == 0 && bytes.Equal(c.RawIssuer, si.IssuerAndSerial.RawIssuer) {
				return c
			}
		case si.SubjectKeyID != nil:
			if len(c.SubjectKeyId) > 0 && bytes.Equal(c.SubjectKeyId, si.SubjectKeyID) {
				return c
			}
		}
	}
	return nil
}

func digestHash(oid asn1.ObjectIdentifier) (crypto.Hash, string, error) {
	switch {
	case oid.Equal(OIDSHA256):
		return crypto.SHA256, "", nil
	case oid.Equal(OIDSHA384):
		return crypto.SHA384, "", nil
	case oid.Equal(OIDSHA512):
		return crypto.SHA512, "", nil
	case oid.Equal(OIDSHA1):
		return crypto.SHA1, "SHA-1", nil
	case oid.Equal(OIDMD5):
		return crypto.MD5, "MD5", nil
	}
	return 0, "", fmt.Errorf("%w: digest algorithm %v", ErrUnsupported, oid)
}

func weakHash(h crypto.Hash) string {
	switch h {
	case crypto.SHA1:
		return "SHA-1"
	case crypto.MD5:
		return "MD5"
	}
	return ""
}

// signatureHashes lists the RSA PKCS #1 v1.5 and ECDSA signature OIDs with the hash
// each names; the bare key OIDs (rsaEncryption, id-ecPublicKey) name none, and take
// the SignerInfo's digest algorithm.
var signatureHashes = []struct {
	oid  asn1.ObjectIdentifier
	kind SignatureKind
	hash crypto.Hash // 0: the SignerInfo's digest algorithm
}{
	{OIDRSAEncryption, RSAPKCS1v15, 0},
	{OIDSHA256WithRSA, RSAPKCS1v15, crypto.SHA256},
	{OIDSHA384WithRSA, RSAPKCS1v15, crypto.SHA384},
	{OIDSHA512WithRSA, RSAPKCS1v15, crypto.SHA512},
	{OIDSHA1WithRSA, RSAPKCS1v15, crypto.SHA1},
	{OIDMD5WithRSA, RSAPKCS1v15, crypto.MD5},
	{OIDECPublicKey, ECDSA, 0},
	{OIDECDSAWithSHA256, ECDSA, crypto.SHA256},
	{OIDECDSAWithSHA384, ECDSA, crypto.SHA384},
	{OIDECDSAWithSHA512, ECDSA, crypto.SHA512},
	{OIDECDSAWithSHA1, ECDSA, crypto.SHA1},
}

// signatureAlgorithm maps a SignerInfo signatureAlgorithm to what the Backend needs.
// digest is the SignerInfo's digest algorithm, used where the OID names no hash.
func signatureAlgorithm(oid asn1.ObjectIdentifier, params []byte, digest crypto.Hash) (SignatureAlgorithm, error) {
	switch {
	case oid.Equal(OIDEd25519):
		return SignatureAlgorithm{Kind: Ed25519}, nil
	case oid.Equal(OIDRSAPSS):
		return pssParameters(params)
	}
	for _, a := range signatureHashes {
		if oid.Equal(a.oid) {
			if a.hash == 0 {
				return SignatureAlgorithm{Kind: a.kind, Hash: digest}, nil
			}
			return SignatureAlgorithm{Kind: a.kind, Hash: a.hash}, nil
		}
	}
	return SignatureAlgorithm{}, fmt.Errorf("%w: signature algorithm %v", ErrUnsupported, oid)
}

// pssParameters reads RSASSA-PSS-params (RFC 4055 §3.1). Defaults: SHA-1, MGF1 with SHA-1, salt 20.
func pssParameters(params []byte) (SignatureAlgorithm, error) {
	alg := SignatureAlgorithm{Kind: RSAPSS, Hash: crypto.SHA1, SaltLength: 20}
	if len(params) == 0 || bytes.Equal(params, []byte{0x05, 0x00}) {
		return alg, nil
	}
	in := cryptobyte.String(params)
	var seq cryptobyte.String
	if !in.ReadASN1(&seq, cbasn1.SEQUENCE) {
		return alg, errors.New("cms: malformed RSASSA-PSS parameters")
	}
	mgfHash := crypto.SHA1
	var field cryptobyte.String
	var ok bool
	if !seq.ReadOptionalASN1(&field, &ok, cbasn1.Tag(0).Constructed().ContextSpecific()) {
		return alg, errors.New("cms: malformed RSASSA-PSS hashAlgorithm")
	}
	if ok {
		oid, _, err := readAlgorithm(&field)
		if err != nil {
			return alg, fmt.Errorf("cms: RSASSA-PSS hashAlgorithm: %w", err)
		}
		if alg.Hash, _, err = digestHash(oid); err != nil {
			return alg, err
		}
		mgfHash = alg.Hash
	}
	if !seq.ReadOptionalASN1(&field, &ok, cbasn1.Tag(1).Constructed().ContextSpecific()) {
		return alg, errors.New("cms: malformed RSASSA-PSS maskGenAlgorithm")
	}
	if ok {
		oid, mgfParams, err := readAlgorithm(&field)
		if err != nil || !oid.Equal(OIDMGF1) {
			return alg, fmt.Errorf("%w: RSASSA-PSS mask generation other than MGF1", ErrUnsupported)
		}
		p := cryptobyte.String(mgfParams)
		hOID, _, err := readAlgorithm(&p)
		if err != nil {
			return alg, fmt.Errorf("cms: RSASSA-PSS MGF1 hash: %w", err)
		}
		if mgfHash, _, err = digestHash(hOID); err != nil {
			return alg, err
		}
	} else {
		mgfHash = crypto.SHA1
	}
	if mgfHash != alg.Hash {
		// Go's RSA-PSS uses the same hash for MGF1; a different one is legal but unsupported here.
		return alg, fmt.Errorf("%w: RSASSA-PSS with MGF1 hash %v different from %v", ErrUnsupported, mgfHash, alg.Hash)
	}
	if !seq.ReadOptionalASN1(&field, &ok, cbasn1.Tag(2).Constructed().ContextSpecific()) {
		return alg, errors.New("cms: malformed RSASSA-PSS saltLength")
	}
	if ok {
		var salt int
		if !field.ReadASN1Integer(&salt) || salt < 0 || salt > 1<<16 {
			return alg, errors.New("cms: malformed RSASSA-PSS saltLength")
		}
		alg.SaltLength = salt
	}
	return alg, nil
}
