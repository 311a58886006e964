package cms

import (
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// MaxRecipients bounds the RecipientInfos an encrypted message may carry (each recipient
// of a message to a long list has one; a thousand is more than mail clients send).
const MaxRecipients = 1000

// Envelope is a parsed EnvelopedData (RFC 5652 §6) or AuthEnvelopedData (RFC 5083).
type Envelope struct {
	// Authenticated is true for AuthEnvelopedData: the content is AES-GCM and the MAC
	// proves it unchanged. EnvelopedData (AES-CBC) proves nothing of the kind.
	Authenticated bool
	Recipients    []Recipient

	ContentType      asn1.ObjectIdentifier // of the encrypted content, id-data in S/MIME
	ContentAlgorithm asn1.ObjectIdentifier
	ContentParams    []byte // raw DER of the algorithm parameters (the IV, or GCMParameters)
	EncryptedContent []byte

	// AuthAttributes is the DER of the authenticated attributes retagged as SET, the
	// additional data of AES-GCM (RFC 5083 §2.2); nil when absent.
	AuthAttributes []byte
	MAC            []byte
}

// RecipientKind is how a recipient's copy of the content key is protected.
type RecipientKind int

const (
	// KeyTransport is KeyTransRecipientInfo: the key encrypted to an RSA public key.
	KeyTransport RecipientKind = iota + 1
	// KeyAgreement is KeyAgreeRecipientInfo: the key wrapped with a key agreed by ECDH.
	KeyAgreement
	// OtherRecipient is a KEK, password or other RecipientInfo; mailseal cannot use it.
	OtherRecipient
)

// Recipient is one recipient's copy of the content-encryption key. A KeyAgreeRecipientInfo
// with several RecipientEncryptedKeys becomes one Recipient for each.
type Recipient struct {
	Kind RecipientKind
	// Exactly one of the two identifiers is set for KeyTransport and KeyAgreement.
	IssuerAndSerial *IssuerAndSerial
	SubjectKeyID    []byte

	KeyAlgorithm asn1.ObjectIdentifier // key transport or key agreement algorithm
	KeyParams    []byte                // its raw parameters (OAEP's, or the key-wrap algorithm)
	EncryptedKey []byte

	// Key agreement only: the originator's ephemeral public key and the user keying material.
	OriginatorAlgorithm asn1.ObjectIdentifier
	OriginatorParams    []byte
	OriginatorKey       []byte // the BIT STRING's bytes: an uncompressed EC point
	UKM                 []byte
}

// ErrNotEnveloped means the ContentInfo holds neither EnvelopedData nor AuthEnvelopedData.
var ErrNotEnveloped = errors.New("cms: not EnvelopedData or AuthEnvelopedData")

// ParseEnvelope reads a DER or BER ContentInfo holding EnvelopedData or AuthEnvelopedData.
func ParseEnvelope(der []byte) (*Envelope, error) {
	norm, err := normalizeBER(der)
	if err != nil {
		return nil, err
	}
	in := cryptobyte.String(norm)
	var ci, content, body cryptobyte.String
	var ct asn1.ObjectIdentifier
	if !in.ReadASN1(&ci, cbasn1.SEQUENCE) || !ci.ReadASN1ObjectIdentifier(&ct) {
		return nil, errors.New("cms: not a CMS ContentInfo")
	}
	env := &Envelope{}
	switch {
	case ct.Equal(OIDEnvelopedData):
	case ct.Equal(OIDAuthEnvelopedData):
		env.Authenticated = true
	default:
		return nil, fmt.Errorf("%w (content type %v)", ErrNotEnveloped, ct)
	}
	if !ci.ReadASN1(&content, cbasn1.Tag(0).Constructed().ContextSpecific()) || !content.ReadASN1(&body, cbasn1.SEQUENCE) {
		return nil, errors.New("cms: malformed EnvelopedData")
	}
	var version int
	if !body.ReadASN1Integer(&version) || !body.SkipOptionalASN1(cbasn1.Tag(0).Constructed().ContextSpecific()) {
		return nil, errors.New("cms: malformed EnvelopedData header")
	}
	var infos cryptobyte.String
	if !body.ReadASN1(&infos, cbasn1.SET) {
		return nil, errors.New("cms: malformed recipientInfos")
	}
	if env.Recipients, err = parseRecipients(infos); err != nil {
		return nil, err
	}
	if len(env.Recipients) == 0 {
		return nil, errors.New("cms: EnvelopedData without recipients")
	}
	if err := env.parseContentInfo(&body); err != nil {
		return nil, err
	}
	if env.Authenticated {
		var attrs, mac cryptobyte.String
		if body.PeekASN1Tag(cbasn1.Tag(1).Constructed().ContextSpecific()) {
			if !body.ReadASN1Element(&attrs, cbasn1.Tag(1).Constructed().ContextSpecific()) {
				return nil, errors.New("cms: malformed authAttrs")
			}
			env.AuthAttributes = append([]byte{0x31}, attrs[1:]...)
		}
		if !body.ReadASN1(&mac, cbasn1.OCTET_STRING) {
			return nil, errors.New("cms: AuthEnvelopedData without a MAC")
		}
		env.MAC = mac
	}
	// unprotectedAttrs / unauthAttrs may follow; they change nothing that is decrypted.
	return env, nil
}

// parseContentInfo reads EncryptedContentInfo (RFC 5652 §6.1), or EncryptedContentInfo
// as AuthEnvelopedData names it (RFC 5083 §2.1): the same structure.
func (env *Envelope) parseContentInfo(body *cryptobyte.String) error {
	var eci cryptobyte.String
	if !body.ReadASN1(&eci, cbasn1.SEQUENCE) || !eci.ReadASN1ObjectIdentifier(&env.ContentType) {
		return errors.New("cms: malformed EncryptedContentInfo")
	}
	var err error
	if env.ContentAlgorithm, env.ContentParams, err = readAlgorithm(&eci); err != nil {
		return fmt.Errorf("cms: contentEncryptionAlgorithm: %w", err)
	}
	var enc cryptobyte.String
	var tag cbasn1.Tag
	if eci.Empty() {
		return errors.New("cms: the encrypted content is absent (detached encrypted content is not supported)")
	}
	if !eci.ReadAnyASN1(&enc, &tag) {
		return errors.New("cms: malformed encryptedContent")
	}
	switch tag {
	case cbasn1.Tag(0).ContextSpecific():
		env.EncryptedContent = enc
	case cbasn1.Tag(0).Constructed().ContextSpecific():
		// BER producers send [0] IMPLICIT OCTET STRING in segments; normalizeBER joined the
		// segments' lengths but not the segments, which keep their OCTET STRING tags.
		for !enc.Empty() {
			var seg cryptobyte.String
			if !enc.ReadASN1(&seg, cbasn1.OCTET_STRING) {
				return errors.New("cms: malformed segment of encryptedContent")
			}
			env.EncryptedContent = append(env.EncryptedContent, seg...)
		}
	default:
		return errors.New("cms: malformed encryptedContent")
	}
	return nil
}

func parseRecipients(infos cryptobyte.String) ([]Recipient, error) {
	var out []Recipient
	for !infos.Empty() {
		var ri cryptobyte.String
		var tag cbasn1.Tag
		if !infos.ReadAnyASN1(&ri, &tag) {
			return nil, errors.New("cms: malformed RecipientInfo")
		}
		var got []Recipient
		var err error
		switch tag {
		case cbasn1.SEQUENCE:
			var r Recipient
			r, err = parseKeyTrans(ri)
			got = []Recipient{r}
		case cbasn1.Tag(1).Constructed().ContextSpecific():
			got, err = parseKeyAgree(ri)
		default:
			got = []Recipient{{Kind: OtherRecipient}}
		}
		if err != nil {
			return nil, err
		}
		out = append(out, got...)
		if len(out) > MaxRecipients {
			return nil, fmt.Errorf("cms: more than %d recipients", MaxRecipients)
		}
	}
	return out, nil
}

func parseKeyTrans(ri cryptobyte.String) (Recipient, error) {
	r := Recipient{Kind: KeyTransport}
	var version int
	if !ri.ReadASN1Integer(&version) {
		return r, errors.New("cms: KeyTransRecipientInfo without version")
	}
	switch {
	case ri.PeekASN1Tag(cbasn1.SEQUENCE):
		ias, err := readIssuerAndSerial(&ri)
		if err != nil {
			return r, err
		}
		r.IssuerAndSerial = ias
	case ri.PeekASN1Tag(cbasn1.Tag(0).ContextSpecific()):
		var ski cryptobyte.String
		if !ri.ReadASN1(&ski, cbasn1.Tag(0).ContextSpecific()) {
			return r, errors.New("cms: malformed recipient subjectKeyIdentifier")
		}
		r.SubjectKeyID = ski
	default:
		return r, errors.New("cms: KeyTransRecipientInfo with an unknown recipient identifier")
	}
	var err error
	if r.KeyAlgorithm, r.KeyParams, err = readAlgorithm(&ri); err != nil {
		return r, fmt.Errorf("cms: keyEncryptionAlgorithm: %w", err)
	}
	var ek cryptobyte.String
	if !ri.ReadASN1(&ek, cbasn1.OCTET_STRING) {
		return r, errors.New("cms: malformed encryptedKey")
	}
	r.EncryptedKey = ek
	return r, nil
}

// parseKeyAgree reads KeyAgreeRecipientInfo (RFC 5652 §6.2.2) with an originatorKey, the
// ephemeral-static form RFC 5753 uses; static-static originators are not supported.
func parseKeyAgree(ri cryptobyte.String) ([]Recipient, error) {
	var version int
	var orig, origKey cryptobyte.String
	if !ri.ReadASN1Integer(&version) || !ri.ReadASN1(&orig, cbasn1.Tag(0).Constructed().ContextSpecific()) {
		return nil, errors.New("cms: malformed KeyAgreeRecipientInfo")
	}
	base := Recipient{Kind: KeyAgreement}
	if !orig.ReadASN1(&origKey, cbasn1.Tag(1).Constructed().ContextSpecific()) {
		// An originator named by certificate (static-static ECDH): nobody sends mail that way.
		return []Recipient{{Kind: OtherRecipient}}, nil
	}
	var err error
	if base.OriginatorAlgorithm, base.OriginatorParams, err = readAlgorithm(&origKey); err != nil {
		return nil, fmt.Errorf("cms: originatorKey algorithm: %w", err)
	}
	var bits asn1.BitString
	if !origKey.ReadASN1BitString(&bits) || bits.BitLength%8 != 0 {
		return nil, errors.New("cms: malformed originatorKey")
	}
	base.OriginatorKey = bits.Bytes
	var ukm cryptobyte.String
	var hasUKM bool
	if !ri.ReadOptionalASN1(&ukm, &hasUKM, cbasn1.Tag(1).Constructed().ContextSpecific()) {
		return nil, errors.New("cms: malformed ukm")
	}
	if hasUKM && !ukm.ReadASN1((*cryptobyte.String)(&base.UKM), cbasn1.OCTET_STRING) {
		return nil, errors.New("cms: malformed ukm")
	}
	if base.KeyAlgorithm, base.KeyParams, err = readAlgorithm(&ri); err != nil {
		return nil, fmt.Errorf("cms: keyEncryptionAlgorithm: %w", err)
	}
	var reks cryptobyte.String
	if !ri.ReadASN1(&reks, cbasn1.SEQUENCE) {
		return nil, errors.New("cms: malformed recipientEncryptedKeys")
	}
	var out []Recipient
	for !reks.Empty() {
		var rek, ek cryptobyte.String
		if !reks.ReadASN1(&rek, cbasn1.SEQUENCE) {
			return nil, errors.New("cms: malformed RecipientEncryptedKey")
		}
		r := base
		switch {
		case rek.PeekASN1Tag(cbasn1.SEQUENCE):
			ias, err := readIssuerAndSerial(&rek)
			if err != nil {
				return nil, err
			}
			r.IssuerAndSerial = ias
		case rek.PeekASN1Tag(cbasn1.Tag(0).Constructed().ContextSpecific()):
			var rkid, ski cryptobyte.String
			if !rek.ReadASN1(&rkid, cbasn1.Tag(0).Constructed().ContextSpecific()) || !rkid.ReadASN1(&ski, cbasn1.OCTET_STRING) {
				return nil, errors.New("cms: malformed RecipientKeyIdentifier")
			}
			r.SubjectKeyID = ski
		default:
			return nil, errors.New("cms: RecipientEncryptedKey with an unknown identifier")
		}
		if !rek.ReadASN1(&ek, cbasn1.OCTET_STRING) {
			return nil, errors.New("cms: malformed encryptedKey")
		}
		r.EncryptedKey = ek
		out = append(out, r)
		if len(out) > MaxRecipients {
			return nil, fmt.Errorf("cms: more than %d recipients", MaxRecipients)
		}
	}
	return out, nil
}

func readIssuerAndSerial(in *cryptobyte.String) (*IssuerAndSerial, error) {
	var ias, issuer cryptobyte.String
	serial := new(big.Int)
	if !in.ReadASN1(&ias, cbasn1.SEQUENCE) || !ias.ReadASN1Element(&issuer, cbasn1.SEQUENCE) || !ias.ReadASN1Integer(serial) {
		return nil, errors.New("cms: malformed issuerAndSerialNumber")
	}
	return &IssuerAndSerial{RawIssuer: issuer, Serial: serial}, nil
}
