package testpki

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"time"

	"github.com/mailseal/mailseal/internal/classify"
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// Validation is the CA/B Forum S/MIME validation type; its value is the arc
// under 2.23.140.1.5 (S/MIME BR §7.1.6.1).
type Validation int

const (
	Mailbox      Validation = 1 // V1: the address only
	Organization Validation = 2 // V3
	Sponsor      Validation = 3 // V4: a person within an organization
	Individual   Validation = 4 // V2
)

// Generation is the BR profile generation, the last arc of the policy OID.
type Generation int

const (
	Legacy       Generation = 1
	Multipurpose Generation = 2
	Strict       Generation = 3
)

// Policy returns the reserved policy OID 2.23.140.1.5.<v>.<g>.
func Policy(v Validation, g Generation) asn1.ObjectIdentifier {
	return asn1.ObjectIdentifier{2, 23, 140, 1, 5, int(v), int(g)}
}

// OIDSmtpUTF8Mailbox is id-on-SmtpUTF8Mailbox (RFC 9598), an otherName SAN for
// addresses whose local part is not ASCII.
var OIDSmtpUTF8Mailbox = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 8, 9}

// The legacy emailAddress subject attribute (PKCS #9) and the subjectAltName extension; the
// X.520 attributes are classify's (classify.OIDCommonName and the others).
var (
	oidEmailAddress   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 1}
	oidSubjectAltName = asn1.ObjectIdentifier{2, 5, 29, 17}
)

// Subject is the distinguished name of an end entity. Empty fields are left out;
// the others are written in this order, as UTF8String (country as PrintableString,
// emailAddress as IA5String), exactly as given: hostile values stay hostile.
type Subject struct {
	Country                string
	Organization           string
	OrganizationIdentifier string // e.g. "NTRGB-12345678" (BR §7.1.4.2.2d)
	GivenName              string
	Surname                string
	Pseudonym              string
	Title                  string
	CommonName             string
	Email                  string // the legacy emailAddress attribute
}

func (s Subject) der() ([]byte, error) {
	var rdns pkix.RDNSequence
	add := func(oid asn1.ObjectIdentifier, tag int, v string) {
		if v != "" {
			rdns = append(rdns, pkix.RelativeDistinguishedNameSET{{Type: oid, Value: asn1.RawValue{Tag: tag, Bytes: []byte(v)}}})
		}
	}
	add(classify.OIDCountry, asn1.TagPrintableString, s.Country)
	add(classify.OIDOrganization, asn1.TagUTF8String, s.Organization)
	add(classify.OIDOrganizationID, asn1.TagUTF8String, s.OrganizationIdentifier)
	add(classify.OIDGivenName, asn1.TagUTF8String, s.GivenName)
	add(classify.OIDSurname, asn1.TagUTF8String, s.Surname)
	add(classify.OIDPseudonym, asn1.TagUTF8String, s.Pseudonym)
	add(classify.OIDTitle, asn1.TagUTF8String, s.Title)
	add(classify.OIDCommonName, asn1.TagUTF8String, s.CommonName)
	add(oidEmailAddress, asn1.TagIA5String, s.Email)
	return asn1.Marshal(rdns)
}

// IssuerKind says who signs an end-entity certificate.
type IssuerKind int

const (
	ByIntermediate     IssuerKind = iota // the normal chain: Root → Intermediate → end entity
	BySHA1Intermediate                   // an intermediate the root signed with SHA-1
	ByOtherRoot                          // the unrelated root nobody trusts
	SelfSigned                           // the end entity signs itself
	// ByOtherIntermediate: an intermediate the message carries, under the root nobody trusts.
	ByOtherIntermediate
)

// Profile describes one end-entity certificate. The zero value plus an Email is a
// mailbox certificate without a reserved policy, valid around Epoch.
type Profile struct {
	// Email goes into an rfc822Name SAN (with NoSAN, into the subject's emailAddress instead).
	Email string
	// UTF8Mailbox adds an SmtpUTF8Mailbox otherName SAN (RFC 9598), e.g. "山田花子@例え.jp".
	UTF8Mailbox string
	NoSAN       bool
	// Policies are the certificatePolicies; none, one, or several reserved ones.
	Policies []asn1.ObjectIdentifier
	Subject  Subject
	Key      KeyType // zero means RSA2048
	// NotBefore and NotAfter default to Epoch−30 days and Epoch+365 days.
	NotBefore, NotAfter time.Time
	// ExtKeyUsage defaults to emailProtection; NoEKU leaves the extension out.
	ExtKeyUsage []x509.ExtKeyUsage
	NoEKU       bool
	// KeyUsage defaults to digitalSignature and nonRepudiation.
	KeyUsage x509.KeyUsage
	Issuer   IssuerKind
	// CRLDistributionPoints name where the issuer's revocation list is published.
	CRLDistributionPoints []string
}

// Profiles of the four BR validation types, with the subject fields each requires.

func MailboxProfile(g Generation, email string) Profile {
	return Profile{Email: email, Policies: []asn1.ObjectIdentifier{Policy(Mailbox, g)}, Subject: Subject{CommonName: email}}
}

func IndividualProfile(g Generation, email, given, surname string) Profile {
	return Profile{Email: email, Policies: []asn1.ObjectIdentifier{Policy(Individual, g)},
		Subject: Subject{GivenName: given, Surname: surname, CommonName: given + " " + surname}}
}

func OrganizationProfile(g Generation, email, org, orgID, country string) Profile {
	return Profile{Email: email, Policies: []asn1.ObjectIdentifier{Policy(Organization, g)},
		Subject: Subject{Country: country, Organization: org, OrganizationIdentifier: orgID, CommonName: org}}
}

func SponsorProfile(g Generation, email, given, surname, org, orgID, country, title string) Profile {
	return Profile{Email: email, Policies: []asn1.ObjectIdentifier{Policy(Sponsor, g)},
		Subject: Subject{Country: country, Organization: org, OrganizationIdentifier: orgID,
			GivenName: given, Surname: surname, Title: title, CommonName: given + " " + surname}}
}

// subjectAltName encodes the SAN extension value: the rfc822Name, then the
// SmtpUTF8Mailbox otherName ([0] { type-id, [0] EXPLICIT UTF8String }).
func (p Profile) subjectAltName() ([]byte, error) {
	if p.Email == "" && p.UTF8Mailbox == "" {
		return nil, errors.New("no address for a subjectAltName")
	}
	b := cryptobyte.NewBuilder(nil)
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		if p.Email != "" {
			b.AddASN1(cbasn1.Tag(1).ContextSpecific(), func(b *cryptobyte.Builder) { b.AddBytes([]byte(p.Email)) })
		}
		if p.UTF8Mailbox != "" {
			b.AddASN1(cbasn1.Tag(0).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
				b.AddASN1ObjectIdentifier(OIDSmtpUTF8Mailbox)
				b.AddASN1(cbasn1.Tag(0).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
					b.AddASN1(cbasn1.UTF8String, func(b *cryptobyte.Builder) { b.AddBytes([]byte(p.UTF8Mailbox)) })
				})
			})
		}
	})
	der, err := b.Bytes()
	if err != nil {
		return nil, fmt.Errorf("subjectAltName: %w", err)
	}
	return der, nil
}
