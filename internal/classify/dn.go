package classify

import (
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"strings"
	"sync"
)

// attributeNames are the short names shown for the attributes S/MIME certificates carry in
// their names (RFC 4519, RFC 5280 appendix A, the S/MIME BR §7.1.4.2); others show their OID.
var attributeNames = map[string]string{
	OIDCommonName.String():       "CN",
	OIDSurname.String():          "SN",
	"2.5.4.5":                    "serialNumber",
	OIDCountry.String():          "C",
	"2.5.4.7":                    "L",
	"2.5.4.8":                    "ST",
	"2.5.4.9":                    "street",
	OIDOrganization.String():     "O",
	"2.5.4.11":                   "OU",
	OIDTitle.String():            "title",
	"2.5.4.17":                   "postalCode",
	OIDGivenName.String():        "givenName",
	"2.5.4.43":                   "initials",
	"2.5.4.44":                   "generationQualifier",
	"2.5.4.46":                   "dnQualifier",
	OIDPseudonym.String():        "pseudonym",
	OIDOrganizationID.String():   "organizationIdentifier",
	"1.2.840.113549.1.9.1":       "emailAddress",
	"0.9.2342.19200300.100.1.1":  "UID",
	"0.9.2342.19200300.100.1.25": "DC",
}

// DistinguishedName renders a DER Name (a certificate's RawSubject or RawIssuer) for a person:
// most specific first, as RFC 4514 writes it, every attribute a certificate names under a
// readable name and with its text decoded ("CN=Erin Walsh, title=Finance Director,
// organizationIdentifier=NTRGB-12345678, O=Acme, C=GB"), where pkix.Name.String shows
// title, givenName, emailAddress and the like as hex. A value that is not text stays hex
// ("#0403..."), and separators inside a value are escaped, so the result reads one way only.
// It is not cleaned: pass it through CleanText before display. Input that is not a Name
// gives "".
func DistinguishedName(der []byte) string {
	names.mu.Lock()
	dn, ok := names.m[string(der)]
	names.mu.Unlock()
	if ok {
		return dn
	}
	dn = distinguishedName(der)
	names.mu.Lock()
	if len(names.m) >= maxCachedNames {
		clear(names.m)
	}
	names.m[string(der)] = dn
	names.mu.Unlock()
	return dn
}

// The names of a sender's chain come back with each of their messages; rendering one goes
// through encoding/asn1's reflection, which in WebAssembly cost a twentieth of a warm verify.
var names = struct {
	mu sync.Mutex
	m  map[string]string
}{m: map[string]string{}}

const maxCachedNames = 1024

func distinguishedName(der []byte) string {
	var rdns pkix.RDNSequence
	if rest, err := asn1.Unmarshal(der, &rdns); err != nil || len(rest) > 0 {
		return ""
	}
	parts := make([]string, 0, len(rdns))
	for i := len(rdns) - 1; i >= 0; i-- {
		atvs := make([]string, 0, len(rdns[i]))
		for _, atv := range rdns[i] {
			atvs = append(atvs, attributeName(atv.Type)+"="+attributeValue(atv.Value))
		}
		parts = append(parts, strings.Join(atvs, "+"))
	}
	return strings.Join(parts, ", ")
}

func attributeName(oid asn1.ObjectIdentifier) string {
	if name, ok := attributeNames[oid.String()]; ok {
		return name
	}
	return oid.String()
}

func attributeValue(v any) string {
	s, ok := v.(string)
	if !ok {
		der, err := asn1.Marshal(v)
		if err != nil {
			return "#"
		}
		return "#" + hex.EncodeToString(der)
	}
	var b strings.Builder
	for i, r := range s {
		switch {
		case strings.ContainsRune(`,+"\<>;=`, r),
			i == 0 && (r == ' ' || r == '#'),
			i == len(s)-1 && r == ' ':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
