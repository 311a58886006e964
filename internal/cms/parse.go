package cms

import (
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// MaxCertificates bounds the certificate set a message may carry.
const MaxCertificates = 64

// MaxSigners bounds the SignerInfos a message may carry.
const MaxSigners = 16

// ErrNotSignedData means the ContentInfo holds something other than SignedData.
// ContentType says what it holds (EnvelopedData, for one).
type ErrNotSignedData struct{ ContentType asn1.ObjectIdentifier }

func (e *ErrNotSignedData) Error() string {
	return fmt.Sprintf("cms: content type %v is not SignedData", e.ContentType)
}

// SignedData is a parsed CMS SignedData (RFC 5652 §5.1).
type SignedData struct {
	DigestAlgorithms []asn1.ObjectIdentifier
	ContentType      asn1.ObjectIdentifier // eContentType
	Content          []byte                // eContent, nil when absent (detached)
	HasContent       bool
	Certificates     []*x509.Certificate
	// CertificateErrors lists certificates of the set that could not be parsed.
	CertificateErrors []error
	Signers           []SignerInfo
}

// SignerInfo is one signer (RFC 5652 §5.3).
type SignerInfo struct {
	Version int
	// Exactly one of the two identifiers is set.
	IssuerAndSerial *IssuerAndSerial
	SubjectKeyID    []byte

	DigestAlgorithm asn1.ObjectIdentifier
	// SignedAttributes is the DER of the signed attributes as received, retagged as
	// SET (0x31) as RFC 5652 §5.4 says they are signed; nil when absent.
	SignedAttributes []byte
	Attributes       []AttributeValues

	SignatureAlgorithm       asn1.ObjectIdentifier
	SignatureAlgorithmParams []byte // raw DER of the parameters, nil when absent
	Signature                []byte
}

// IssuerAndSerial identifies a certificate by its issuer name and serial number.
type IssuerAndSerial struct {
	RawIssuer []byte
	Serial    *big.Int
}

// AttributeValues is one attribute with the DER of each of its values.
type AttributeValues struct {
	Type   asn1.ObjectIdentifier
	Values [][]byte
}

// Parse reads a DER or BER ContentInfo holding SignedData.
func Parse(der []byte) (*SignedData, error) {
	norm, err := normalizeBER(der)
	if err != nil {
		return nil, err
	}
	in := cryptobyte.String(norm)
	var ci, content cryptobyte.String
	var ct asn1.ObjectIdentifier
	if !in.ReadASN1(&ci, cbasn1.SEQUENCE) || !ci.ReadASN1ObjectIdentifier(&ct) {
		return nil, errors.New("cms: not a CMS ContentInfo")
	}
	if !ct.Equal(OIDSignedData) {
		return nil, &ErrNotSignedData{ContentType: ct}
	}
	if !ci.ReadASN1(&content, cbasn1.Tag(0).Constructed().ContextSpecific()) {
		return nil, errors.New("cms: ContentInfo without content")
	}
	var sd cryptobyte.String
	if !content.ReadASN1(&sd, cbasn1.SEQUENCE) {
		return nil, errors.New("cms: malformed SignedData")
	}
	return parseSignedData(sd)
}

// PeekContentType returns the content type of a ContentInfo without parsing the rest.
func PeekContentType(der []byte) (asn1.ObjectIdentifier, error) {
	in := cryptobyte.String(der)
	var ci cryptobyte.String
	var ct asn1.ObjectIdentifier
	// The outer SEQUENCE may be indefinite-length BER, which cryptobyte refuses: read the tag by hand.
	if len(der) >= 2 && der[0] == 0x30 && der[1] == 0x80 {
		ci = cryptobyte.String(der[2:])
	} else if !in.ReadASN1(&ci, cbasn1.SEQUENCE) {
		return nil, errors.New("cms: not a CMS ContentInfo")
	}
	if !ci.ReadASN1ObjectIdentifier(&ct) {
		return nil, errors.New("cms: not a CMS ContentInfo")
	}
	return ct, nil
}

func parseSignedData(sd cryptobyte.String) (*SignedData, error) {
	out := &SignedData{}
	var version int
	var digestAlgs, encap cryptobyte.String
	if !sd.ReadASN1Integer(&version) || !sd.ReadASN1(&digestAlgs, cbasn1.SET) || !sd.ReadASN1(&encap, cbasn1.SEQUENCE) {
		return nil, errors.New("cms: malformed SignedData header")
	}
	for !digestAlgs.Empty() {
		oid, _, err := readAlgorithm(&digestAlgs)
		if err != nil {
			return nil, fmt.Errorf("cms: digestAlgorithms: %w", err)
		}
		out.DigestAlgorithms = append(out.DigestAlgorithms, oid)
	}
	if !encap.ReadASN1ObjectIdentifier(&out.ContentType) {
		return nil, errors.New("cms: malformed encapContentInfo")
	}
	if !encap.Empty() {
		var explicit, octets cryptobyte.String
		if !encap.ReadASN1(&explicit, cbasn1.Tag(0).Constructed().ContextSpecific()) ||
			!explicit.ReadASN1(&octets, cbasn1.OCTET_STRING) {
			return nil, errors.New("cms: malformed eContent")
		}
		out.Content, out.HasContent = octets, true
	}

	var certs cryptobyte.String
	var hasCerts bool
	if !sd.ReadOptionalASN1(&certs, &hasCerts, cbasn1.Tag(0).Constructed().ContextSpecific()) {
		return nil, errors.New("cms: malformed certificate set")
	}
	for hasCerts && !certs.Empty() {
		var raw cryptobyte.String
		var tag cbasn1.Tag
		if !certs.ReadAnyASN1Element(&raw, &tag) {
			return nil, errors.New("cms: malformed certificate in the set")
		}
		if tag != cbasn1.SEQUENCE {
			continue // attribute certificates and other choices are not used for S/MIME signers
		}
		if len(out.Certificates)+len(out.CertificateErrors) >= MaxCertificates {
			return nil, fmt.Errorf("cms: more than %d certificates", MaxCertificates)
		}
		c, err := x509.ParseCertificate(raw)
		if err != nil {
			out.CertificateErrors = append(out.CertificateErrors, err)
			continue
		}
		// Before any signature is checked with it, here or in a chain.
		if err := CheckKeyLimits(c.PublicKey); err != nil {
			return nil, fmt.Errorf("%w (certificate %d of the message)", err, len(out.Certificates)+len(out.CertificateErrors)+1)
		}
		out.Certificates = append(out.Certificates, c)
	}
	var crls cryptobyte.String
	var hasCRLs bool
	if !sd.ReadOptionalASN1(&crls, &hasCRLs, cbasn1.Tag(1).Constructed().ContextSpecific()) {
		return nil, errors.New("cms: malformed CRL set")
	}
	var signers cryptobyte.String
	if !sd.ReadASN1(&signers, cbasn1.SET) {
		return nil, errors.New("cms: malformed signerInfos")
	}
	for !signers.Empty() {
		if len(out.Signers) >= MaxSigners {
			return nil, fmt.Errorf("cms: more than %d signers", MaxSigners)
		}
		var si cryptobyte.String
		if !signers.ReadASN1(&si, cbasn1.SEQUENCE) {
			return nil, errors.New("cms: malformed SignerInfo")
		}
		s, err := parseSignerInfo(si)
		if err != nil {
			return nil, err
		}
		out.Signers = append(out.Signers, s)
	}
	return out, nil
}

func parseSignerInfo(si cryptobyte.String) (SignerInfo, error) {
	var s SignerInfo
	if !si.ReadASN1Integer(&s.Version) {
		return s, errors.New("cms: SignerInfo without version")
	}
	switch {
	case si.PeekASN1Tag(cbasn1.SEQUENCE):
		var ias cryptobyte.String
		var issuer cryptobyte.String
		serial := new(big.Int)
		if !si.ReadASN1(&ias, cbasn1.SEQUENCE) || !ias.ReadASN1Element(&issuer, cbasn1.SEQUENCE) || !ias.ReadASN1Integer(serial) {
			return s, errors.New("cms: malformed issuerAndSerialNumber")
		}
		s.IssuerAndSerial = &IssuerAndSerial{RawIssuer: issuer, Serial: serial}
	case si.PeekASN1Tag(cbasn1.Tag(0).ContextSpecific()):
		var ski cryptobyte.String
		if !si.ReadASN1(&ski, cbasn1.Tag(0).ContextSpecific()) {
			return s, errors.New("cms: malformed subjectKeyIdentifier")
		}
		s.SubjectKeyID = ski
	default:
		return s, errors.New("cms: SignerInfo with an unknown signer identifier")
	}
	var err error
	if s.DigestAlgorithm, _, err = readAlgorithm(&si); err != nil {
		return s, fmt.Errorf("cms: SignerInfo digestAlgorithm: %w", err)
	}
	if si.PeekASN1Tag(cbasn1.Tag(0).Constructed().ContextSpecific()) {
		var attrs cryptobyte.String
		var whole cryptobyte.String
		if !si.ReadASN1Element(&whole, cbasn1.Tag(0).Constructed().ContextSpecific()) {
			return s, errors.New("cms: malformed signed attributes")
		}
		// The signature covers the attributes with the SET tag in place of [0] (RFC 5652 §5.4).
		s.SignedAttributes = append([]byte{0x31}, whole[1:]...)
		attrs = cryptobyte.String(whole)
		var inner cryptobyte.String
		if !attrs.ReadASN1(&inner, cbasn1.Tag(0).Constructed().ContextSpecific()) {
			return s, errors.New("cms: malformed signed attributes")
		}
		if s.Attributes, err = parseAttributes(inner); err != nil {
			return s, err
		}
	}
	if s.SignatureAlgorithm, s.SignatureAlgorithmParams, err = readAlgorithm(&si); err != nil {
		return s, fmt.Errorf("cms: SignerInfo signatureAlgorithm: %w", err)
	}
	var sig cryptobyte.String
	if !si.ReadASN1(&sig, cbasn1.OCTET_STRING) {
		return s, errors.New("cms: malformed signature value")
	}
	s.Signature = sig
	// unsignedAttrs [1] may follow; nothing in them affects verification.
	return s, nil
}

func parseAttributes(in cryptobyte.String) ([]AttributeValues, error) {
	var out []AttributeValues
	for !in.Empty() {
		var attr, values cryptobyte.String
		var a AttributeValues
		if !in.ReadASN1(&attr, cbasn1.SEQUENCE) || !attr.ReadASN1ObjectIdentifier(&a.Type) || !attr.ReadASN1(&values, cbasn1.SET) {
			return nil, errors.New("cms: malformed attribute")
		}
		for !values.Empty() {
			var v cryptobyte.String
			var tag cbasn1.Tag
			if !values.ReadAnyASN1Element(&v, &tag) {
				return nil, errors.New("cms: malformed attribute value")
			}
			a.Values = append(a.Values, v)
		}
		out = append(out, a)
	}
	return out, nil
}

// readAlgorithm reads an AlgorithmIdentifier and returns its OID and raw parameters.
func readAlgorithm(in *cryptobyte.String) (asn1.ObjectIdentifier, []byte, error) {
	var alg cryptobyte.String
	var oid asn1.ObjectIdentifier
	if !in.ReadASN1(&alg, cbasn1.SEQUENCE) || !alg.ReadASN1ObjectIdentifier(&oid) {
		return nil, nil, errors.New("malformed AlgorithmIdentifier")
	}
	if alg.Empty() {
		return oid, nil, nil
	}
	var params cryptobyte.String
	var tag cbasn1.Tag
	if !alg.ReadAnyASN1Element(&params, &tag) {
		return nil, nil, errors.New("malformed AlgorithmIdentifier parameters")
	}
	return oid, params, nil
}

// attribute returns the values of the attribute of type t, and how many times it occurs.
func (s *SignerInfo) attribute(t asn1.ObjectIdentifier) (values [][]byte, count int) {
	for _, a := range s.Attributes {
		if a.Type.Equal(t) {
			count++
			values = a.Values
		}
	}
	return values, count
}

// SigningTime returns the signingTime attribute, if present and readable.
func (s *SignerInfo) SigningTime() (time.Time, bool, error) {
	vals, n := s.attribute(OIDAttrSigningTime)
	if n == 0 {
		return time.Time{}, false, nil
	}
	if n > 1 || len(vals) != 1 {
		return time.Time{}, true, errors.New("cms: signingTime attribute must have exactly one value")
	}
	var t time.Time
	in := cryptobyte.String(vals[0])
	switch {
	case in.PeekASN1Tag(cbasn1.UTCTime):
		if !in.ReadASN1UTCTime(&t) {
			return t, true, errors.New("cms: malformed signingTime")
		}
	case in.PeekASN1Tag(cbasn1.GeneralizedTime):
		if !in.ReadASN1GeneralizedTime(&t) {
			return t, true, errors.New("cms: malformed signingTime")
		}
	default:
		return t, true, errors.New("cms: signingTime is neither UTCTime nor GeneralizedTime")
	}
	return t, true, nil
}

// Capabilities returns the algorithms of the SMIMECapabilities attribute (RFC 8551
// §2.5.2), the signer's preferences first; nil when the attribute is absent.
func (s *SignerInfo) Capabilities() ([]asn1.ObjectIdentifier, error) {
	vals, n := s.attribute(OIDAttrSMIMECapabilities)
	if n == 0 {
		return nil, nil
	}
	if n > 1 || len(vals) != 1 {
		return nil, errors.New("cms: SMIMECapabilities attribute must have exactly one value")
	}
	in := cryptobyte.String(vals[0])
	var seq cryptobyte.String
	if !in.ReadASN1(&seq, cbasn1.SEQUENCE) {
		return nil, errors.New("cms: malformed SMIMECapabilities")
	}
	var out []asn1.ObjectIdentifier
	for !seq.Empty() {
		oid, _, err := readAlgorithm(&seq)
		if err != nil {
			return nil, fmt.Errorf("cms: SMIMECapabilities: %w", err)
		}
		out = append(out, oid)
	}
	return out, nil
}
