package address

import (
	"crypto/x509"
	"encoding/asn1"
	"unicode/utf8"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

var (
	oidSubjectAltName  = asn1.ObjectIdentifier{2, 5, 29, 17}
	oidSmtpUTF8Mailbox = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 8, 9} // RFC 9598
	oidEmailAddress    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 1}
)

// CertificateAddresses lists the mailboxes a certificate is issued to: its
// rfc822Name and SmtpUTF8Mailbox subjectAltNames, or, only when it has
// neither, the emailAddress attributes of its subject (RFC 8550 §3; old
// certificates such as NSS's test ones carry nothing else). When the
// certificate has SAN mailboxes, a subject emailAddress outside them is not
// something the CA put in the SAN, so it is not used.
func CertificateAddresses(cert *x509.Certificate) []string {
	if cert == nil {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	add := func(a string) {
		if a != "" && !seen[a] {
			seen[a] = true
			out = append(out, a)
		}
	}
	for _, a := range cert.EmailAddresses {
		add(a)
	}
	for _, a := range smtpUTF8Mailboxes(cert) {
		add(a)
	}
	if len(out) > 0 {
		return out
	}
	for _, atv := range cert.Subject.Names {
		if s, ok := atv.Value.(string); ok && atv.Type.Equal(oidEmailAddress) {
			add(s)
		}
	}
	return out
}

// Match returns the first certificate address that Equal says is addr.
func Match(cert *x509.Certificate, addr string) (certAddress string, ok bool) {
	for _, a := range CertificateAddresses(cert) {
		if Equal(a, addr) {
			return a, true
		}
	}
	return "", false
}

// smtpUTF8Mailboxes reads the SmtpUTF8Mailbox otherNames of the
// subjectAltName extension, which crypto/x509 does not keep:
//
//	GeneralName ::= CHOICE { otherName [0] IMPLICIT SEQUENCE {
//	    type-id OBJECT IDENTIFIER, value [0] EXPLICIT ANY }, ... }
//	SmtpUTF8Mailbox ::= UTF8String
//
// A name that does not parse is skipped: crypto/x509 already accepted the
// extension, and a broken otherName adds no address.
func smtpUTF8Mailboxes(cert *x509.Certificate) []string {
	var out []string
	for _, ext := range cert.Extensions {
		if !ext.Id.Equal(oidSubjectAltName) {
			continue
		}
		der := cryptobyte.String(ext.Value)
		var names cryptobyte.String
		if !der.ReadASN1(&names, cbasn1.SEQUENCE) {
			continue
		}
		for !names.Empty() {
			var name cryptobyte.String
			var tag cbasn1.Tag
			if !names.ReadAnyASN1(&name, &tag) {
				break
			}
			if tag != cbasn1.Tag(0).ContextSpecific().Constructed() {
				continue
			}
			var typeID asn1.ObjectIdentifier
			var value, text cryptobyte.String
			if !name.ReadASN1ObjectIdentifier(&typeID) || !typeID.Equal(oidSmtpUTF8Mailbox) ||
				!name.ReadASN1(&value, cbasn1.Tag(0).ContextSpecific().Constructed()) ||
				!value.ReadASN1(&text, cbasn1.UTF8String) || !utf8.Valid(text) {
				continue
			}
			out = append(out, string(text))
		}
	}
	return out
}
