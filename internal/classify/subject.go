package classify

import (
	"crypto/x509"
	"encoding/asn1"
	"fmt"
	"strings"
	"unicode"

	"github.com/mailseal/mailseal/internal/sentence"
)

// Subject attribute types (X.520) the BR profiles use (§7.1.4.2) and Classify reads; the test
// CA (internal/testpki) writes its subjects with them.
var (
	OIDCommonName     = asn1.ObjectIdentifier{2, 5, 4, 3}
	OIDSurname        = asn1.ObjectIdentifier{2, 5, 4, 4}
	OIDCountry        = asn1.ObjectIdentifier{2, 5, 4, 6}
	OIDOrganization   = asn1.ObjectIdentifier{2, 5, 4, 10}
	OIDTitle          = asn1.ObjectIdentifier{2, 5, 4, 12}
	OIDGivenName      = asn1.ObjectIdentifier{2, 5, 4, 42}
	OIDPseudonym      = asn1.ObjectIdentifier{2, 5, 4, 65}
	OIDOrganizationID = asn1.ObjectIdentifier{2, 5, 4, 97}
)

// subject holds the cleaned string values of a certificate's subject
// attributes in the order they appear, keyed by dotted OID.
type subject map[string][]string

// readSubject takes the attributes from Subject.Names, which crypto/x509
// fills from the raw DER in order, multi-valued RDNs flattened; a
// certificate built in code without Names falls back to the Subject's
// fields. Values that are empty once cleaned are dropped: a CN of "\u200b"
// is no name.
func readSubject(cert *x509.Certificate) subject {
	names := cert.Subject.Names
	if len(names) == 0 {
		for _, rdn := range cert.Subject.ToRDNSequence() {
			names = append(names, rdn...)
		}
	}
	s := subject{}
	for _, atv := range names {
		var v string
		switch x := atv.Value.(type) {
		case string:
			v = x
		case []byte:
			v = string(x)
		default:
			v = fmt.Sprint(x)
		}
		if v = CleanText(v, DefaultMax); v != "" {
			k := atv.Type.String()
			s[k] = append(s[k], v)
		}
	}
	return s
}

func (s subject) values(oid asn1.ObjectIdentifier) []string { return s[oid.String()] }

func (s subject) first(oid asn1.ObjectIdentifier) string {
	if v := s.values(oid); len(v) > 0 {
		return v[0]
	}
	return ""
}

// hasIdentity reports whether the subject names a person or an organization.
func (s subject) hasIdentity() bool {
	for _, oid := range []asn1.ObjectIdentifier{OIDSurname, OIDGivenName, OIDPseudonym, OIDOrganization, OIDOrganizationID, OIDTitle} {
		if len(s.values(oid)) > 0 {
			return true
		}
	}
	for _, cn := range s.values(OIDCommonName) {
		if isPersonalName(cn) {
			return true
		}
	}
	return false
}

// country returns the countryName when it is an assigned ISO 3166-1 alpha-2
// code. "XX" (BR §7.1.4.2.2: no country) and the other user-assigned codes
// (AA, QM–QZ, XA–XZ, ZZ) name no country, so they are not shown.
func (s subject) country() string {
	c := s.first(OIDCountry)
	if len(c) != 2 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z' {
		return ""
	}
	switch {
	case c == "AA", c == "ZZ", c[0] == 'Q' && c[1] >= 'M', c[0] == 'X':
		return ""
	}
	return c
}

// personalName returns the name to show for an individual- or sponsor-
// validated certificate, whether it is a pseudonym, and a note for the
// reason when the subject is not what the BR profile asks for.
//
// A pseudonym attribute wins over everything: a CN that matches it is the
// pseudonym, and a subject that mixes it with givenName/surname (forbidden
// by §7.1.4.2.2a) is shown with the weaker claim. Otherwise the commonName
// is used when it is a personal name and agrees with givenName/surname (it
// keeps the order and case the person uses, "YAMADA Hanako", "黄恒"), then
// givenName and surname, then, for Legacy certificates that have only a CN,
// the CN alone.
func (s subject) personalName(generation string) (name string, pseudonym bool, note sentence.Text) {
	given, sur := s.nameParts(OIDGivenName), s.nameParts(OIDSurname)
	if p := firstName(s.values(OIDPseudonym)); p != "" {
		if len(given)+len(sur) > 0 {
			note = say("class_pseudonym_mixed")
		}
		return p, true, note
	}
	cn := firstName(s.values(OIDCommonName))
	structured := joinName(given, sur)
	switch {
	case cn != "" && structured != "":
		if sameName(cn, given, sur) {
			return cn, false, sentence.Text{}
		}
		return structured, false, say("class_cn_differs")
	case structured != "":
		return structured, false, sentence.Text{}
	case cn != "":
		if generation != "legacy" {
			note = say("class_name_in_cn_only", generation)
		}
		return cn, false, note
	}
	return "", false, sentence.Text{}
}

// nameParts returns the values of a name attribute that can be part of a
// name. A mailbox in a surname ("Yamada@example.com", seen in the pkilint
// corpus) is dropped: next to the banner's own address it would read as one.
func (s subject) nameParts(oid asn1.ObjectIdentifier) []string {
	var parts []string
	for _, v := range s.values(oid) {
		if isPersonalName(v) {
			parts = append(parts, v)
		}
	}
	return parts
}

// firstName returns the first value that can be a person's name, or "".
func firstName(values []string) string {
	for _, v := range values {
		if isPersonalName(v) {
			return v
		}
	}
	return ""
}

// isPersonalName reports whether a value can be a person's name or part of
// one: it has a letter and is not a mailbox (§7.1.4.2.2a allows either in
// the CN).
func isPersonalName(cn string) bool {
	return !strings.Contains(cn, "@") && strings.IndexFunc(cn, unicode.IsLetter) >= 0
}

// joinName writes givenName and surname in the order of the name's script:
// given name first, except when every letter is Han, Hiragana, Katakana or
// Hangul, where the family name comes first with no space ("山田花子",
// "김민준"), as those names are written.
func joinName(given, sur []string) string {
	g, f := strings.Join(given, " "), strings.Join(sur, " ")
	if g == "" || f == "" {
		return strings.TrimSpace(g + f)
	}
	if isEastAsian(g + f) {
		return CleanText(f+g, DefaultMax)
	}
	return CleanText(g+" "+f, DefaultMax)
}

func isEastAsian(s string) bool {
	for _, r := range s {
		if unicode.IsSpace(r) {
			continue
		}
		if !unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) && r != 'ー' && r != '・' {
			return false
		}
	}
	return true
}

// sameName reports whether cn is givenName and surname in either order,
// ignoring case, spaces and the punctuation names are written with
// ("YAMADA Hanako", "Yamada, Hanako", "黄恒"). Anything more in the CN, a
// title or a company, is not what the CA validated from the name fields.
func sameName(cn string, given, sur []string) bool {
	c := nameKey(cn)
	g, f := nameKey(strings.Join(given, "")), nameKey(strings.Join(sur, ""))
	return c == g+f || c == f+g
}

func nameKey(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == ',' || r == '.' || r == '-' {
			return -1
		}
		return unicode.ToLower(r)
	}, s)
}
