package keys

import (
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/mailseal/mailseal/internal/address"
	"github.com/mailseal/mailseal/internal/classify"
	"github.com/mailseal/mailseal/internal/roots"
	"github.com/mailseal/mailseal/internal/trust"
)

// Summary is what the user is shown about an identity before and after importing it.
type Summary struct {
	Addresses   []string  `json:"addresses" js:"addresses"`
	Subject     string    `json:"subject" js:"subject"`
	Issuer      string    `json:"issuer" js:"issuer"`
	NotBefore   time.Time `json:"notBefore" js:"notBefore"`
	NotAfter    time.Time `json:"notAfter" js:"notAfter"`
	Fingerprint string    `json:"fingerprint" js:"fingerprint"` // SHA-256 of the certificate, hex
	KeyType     string    `json:"keyType" js:"keyType"`         // "RSA 3072", "ECDSA P-256"

	// Level is the identity level recipients will see (classify.Classify), and the
	// fields below it what that level lets them see. They assume a trusted chain:
	// when Trusted is false, recipients with the usual roots see an untrusted signer.
	Level        classify.Level `json:"level" js:"level"`
	LevelReason  string         `json:"levelReason,omitempty" js:"levelReason"`
	Name         string         `json:"name,omitempty" js:"name"`
	Organization string         `json:"organization,omitempty" js:"organization"`
	Country      string         `json:"country,omitempty" js:"country"`
	Title        string         `json:"title,omitempty" js:"title"`
	// Banner is the line recipients' banner shows for a trusted signature from the first
	// address (classify.Banner): the same words, so the compose window can say them.
	Banner string `json:"banner,omitempty" js:"banner"`

	// Trusted says whether the chain reaches a bundled (Mozilla S/MIME) root or one of
	// the extra roots given to Describe; TrustReason says why not.
	Trusted     bool   `json:"trusted" js:"trusted"`
	TrustReason string `json:"trustReason,omitempty" js:"trustReason"`

	// Warnings are facts about the certificate that make some recipients' clients
	// fail, though it can sign: sentences for a person.
	Warnings []string `json:"warnings,omitempty" js:"warnings"`

	// CanSign says whether the certificate can sign mail at the time of the summary
	// (SignReason says why not: an encryption-only, expired or renewed certificate);
	// CanDecrypt whether its key usage allows mail to be encrypted to it.
	CanSign    bool   `json:"canSign" js:"canSign"`
	SignReason string `json:"signReason,omitempty" js:"signReason"`
	CanDecrypt bool   `json:"canDecrypt" js:"canDecrypt"`
}

// Describe summarises id at time at; extraRoots are trusted besides the bundled roots.
// It reads only the certificates, so a locked identity can be described too:
// Describe(&Identity{Certificate: certs[0], Chain: certs[1:]}, ...) after Certificates.
func Describe(id *Identity, at time.Time, extraRoots []*x509.Certificate) Summary {
	cert := id.Certificate
	sum := sha256.Sum256(cert.Raw)
	class := classify.Classify(cert)
	s := Summary{
		Addresses:    address.CertificateAddresses(cert),
		Subject:      classify.CleanText(classify.DistinguishedName(cert.RawSubject), 512),
		Issuer:       classify.CleanText(classify.DistinguishedName(cert.RawIssuer), 512),
		NotBefore:    cert.NotBefore,
		NotAfter:     cert.NotAfter,
		Fingerprint:  hex.EncodeToString(sum[:]),
		KeyType:      keyType(cert),
		Level:        class.Level,
		LevelReason:  class.Reason,
		Name:         class.Name,
		Organization: class.Organization,
		Country:      class.Country,
		Title:        class.Title,
	}
	if len(s.Addresses) > 0 {
		s.Banner = classify.Banner(class, s.Addresses[0])
	}
	if err := certificateCanSign(cert, at); err != nil {
		s.SignReason = strings.TrimPrefix(err.Error(), "keys: ")
	} else {
		s.CanSign = true
	}
	usage, _ := trust.EncryptionUsage(cert)
	s.CanDecrypt = usage == trust.OK
	res := trust.NewStore(roots.BundledDER(), extraRoots, nil).Validate(cert, id.Chain, trust.Request{At: at})
	s.Trusted, s.TrustReason = res.Problem == trust.OK, res.Reason
	if len(cert.Subject.Names) == 0 {
		// Seen in test/interop: libksba rejects the whole SignedData.
		s.Warnings = append(s.Warnings, "This certificate has an empty subject; GnuPG (gpgsm, used by Kleopatra and KMail) cannot read signatures made with it.")
	}
	return s
}

func keyType(cert *x509.Certificate) string {
	switch k := cert.PublicKey.(type) {
	case *rsa.PublicKey:
		return fmt.Sprintf("RSA %d", k.N.BitLen())
	case *ecdsa.PublicKey:
		return "ECDSA " + k.Curve.Params().Name
	default:
		return cert.PublicKeyAlgorithm.String()
	}
}
