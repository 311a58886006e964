package trust

import (
	"bytes"
	"crypto/x509"
	"encoding/asn1"
	"fmt"
	"slices"
	"time"

	"golang.org/x/crypto/cryptobyte"
	casn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// A CRL arrives over plain HTTP, so anyone on the path can replay an old signed list or
// offer one that covers other certificates. A list proves that a certificate is NOT
// revoked only when it is usable:
//   - authentic: named and signed by the certificate's issuer, whose key usage (if any)
//     allows CRL signing;
//   - current: thisUpdate ≤ now ≤ nextUpdate, with no grace (a list without nextUpdate
//     cannot be judged and is not used);
//   - complete and in scope: not a delta list, not indirect, not limited to some reasons,
//     its issuing distribution point (RFC 5280 §5.2.5) covers the certificate, and no
//     critical extension is left that mailseal cannot read.
// A revocation listed by an authentic list counts even when the list is not usable:
// a revocation is never withdrawn (S/MIME BR §4.9.13 forbids suspension).

// CRL reason codes (RFC 5280 §5.3.1).
const (
	reasonKeyCompromise  = 1
	reasonCACompromise   = 2
	reasonAACompromise   = 10
	reasonAffiliation    = 3
	reasonSuperseded     = 4
	reasonCessation      = 5
	reasonPrivilegeWithd = 9
)

var (
	oidCRLNumber       = asn1.ObjectIdentifier{2, 5, 29, 20}
	oidDeltaCRL        = asn1.ObjectIdentifier{2, 5, 29, 27}
	oidIssuingDP       = asn1.ObjectIdentifier{2, 5, 29, 28}
	oidAuthorityKeyID  = asn1.ObjectIdentifier{2, 5, 29, 35}
	oidFreshestCRL     = asn1.ObjectIdentifier{2, 5, 29, 46}
	understoodCritical = []asn1.ObjectIdentifier{oidCRLNumber, oidIssuingDP, oidAuthorityKeyID, oidFreshestCRL}
)

// revocation is what the CRLs say about a chain.
type revocation struct {
	reason      string   // why a certificate is revoked; "" when none is
	leafChecked bool     // a usable list covers the signer's certificate
	unchecked   []string // certificates below the anchor that no usable list covers
	notes       []string // lists set aside, and why
}

// revoked checks each certificate below the anchor against the CRLs its issuer signed.
// A revocation dated before delivery counts whatever its reason; a compromise counts
// whenever it is dated, as every signature by the key is then suspect.
func revoked(chain []*x509.Certificate, delivery, now time.Time, crls [][]byte) revocation {
	var out revocation
	if len(crls) == 0 {
		for _, c := range chain[:max(0, len(chain)-1)] {
			out.unchecked = append(out.unchecked, name(c))
		}
		return out
	}
	lists := make([]*x509.RevocationList, 0, len(crls))
	for i, der := range crls {
		l, err := x509.ParseRevocationList(der)
		if err != nil {
			out.notes = append(out.notes, fmt.Sprintf("revocation list %d cannot be read: %v", i+1, err))
			continue
		}
		lists = append(lists, l)
	}
	for i := 0; i+1 < len(chain); i++ {
		c, issuer := chain[i], chain[i+1]
		covered := false
		for _, l := range lists {
			if !bytes.Equal(l.RawIssuer, issuer.RawSubject) || l.CheckSignatureFrom(issuer) != nil {
				continue
			}
			for _, e := range l.RevokedCertificateEntries {
				if e.SerialNumber.Cmp(c.SerialNumber) != 0 {
					continue
				}
				compromised := e.ReasonCode == reasonKeyCompromise || e.ReasonCode == reasonCACompromise || e.ReasonCode == reasonAACompromise
				if !compromised && e.RevocationTime.After(delivery) {
					out.notes = append(out.notes, fmt.Sprintf("certificate %q was revoked on %s%s, after the message was delivered on %s", name(c), day(e.RevocationTime), reasonText(e.ReasonCode), day(delivery)))
					continue
				}
				out.reason = fmt.Sprintf("certificate %q was revoked on %s%s, before the message was delivered on %s", name(c), day(e.RevocationTime), reasonText(e.ReasonCode), day(delivery))
				if e.RevocationTime.After(delivery) {
					out.reason = fmt.Sprintf("certificate %q was revoked on %s%s; that makes every signature by its key suspect", name(c), day(e.RevocationTime), reasonText(e.ReasonCode))
				}
				out.leafChecked = out.leafChecked || i == 0
				return out
			}
			if why := unusable(l, c, issuer, now); why != "" {
				out.notes = append(out.notes, fmt.Sprintf("the revocation list of %q was set aside: %s", name(issuer), why))
				continue
			}
			covered = true
		}
		if covered && i == 0 {
			out.leafChecked = true
		}
		if !covered {
			out.unchecked = append(out.unchecked, name(c))
		}
	}
	return out
}

// unusable says why an authentic list l of issuer cannot prove that c is not revoked, or "".
func unusable(l *x509.RevocationList, c, issuer *x509.Certificate, now time.Time) string {
	switch {
	case issuer.KeyUsage != 0 && issuer.KeyUsage&x509.KeyUsageCRLSign == 0:
		return "its issuer may not sign revocation lists (key usage lacks cRLSign)"
	case l.NextUpdate.IsZero():
		return "it has no nextUpdate, so whether it is current cannot be told"
	case now.After(l.NextUpdate):
		return fmt.Sprintf("it is out of date (its nextUpdate was %s; a newer list may revoke the certificate)", day(l.NextUpdate))
	case now.Before(l.ThisUpdate):
		return fmt.Sprintf("it is dated in the future (%s)", day(l.ThisUpdate))
	}
	for _, ext := range l.Extensions {
		switch {
		case ext.Id.Equal(oidDeltaCRL):
			return "it is a delta list, not a complete one"
		case ext.Id.Equal(oidIssuingDP):
			if why := outOfScope(ext.Value, c); why != "" {
				return why
			}
		case ext.Critical && !slices.ContainsFunc(understoodCritical, ext.Id.Equal):
			return fmt.Sprintf("it has a critical extension %v that mailseal cannot read", ext.Id)
		}
	}
	return ""
}

// outOfScope reads an issuingDistributionPoint (RFC 5280 §5.2.5) and says why the list it
// belongs to does not cover c, or "".
func outOfScope(der []byte, c *x509.Certificate) string {
	in := cryptobyte.String(der)
	var idp cryptobyte.String
	if !in.ReadASN1(&idp, casn1.SEQUENCE) || !in.Empty() {
		return "its issuing distribution point cannot be read"
	}
	var dpName cryptobyte.String
	var hasName bool
	if !idp.ReadOptionalASN1(&dpName, &hasName, casn1.Tag(0).Constructed().ContextSpecific()) {
		return "its issuing distribution point cannot be read"
	}
	flags := map[int]bool{}
	for tag := 1; tag <= 5; tag++ {
		var v cryptobyte.String
		var present bool
		// The BOOLEANs and onlySomeReasons (a BIT STRING) are all implicitly tagged primitives.
		if !idp.ReadOptionalASN1(&v, &present, casn1.Tag(tag).ContextSpecific()) {
			return "its issuing distribution point cannot be read"
		}
		flags[tag] = present && (tag == 3 || (len(v) == 1 && v[0] != 0))
	}
	if !idp.Empty() {
		return "its issuing distribution point cannot be read"
	}
	switch {
	case flags[4]:
		return "it is an indirect list, which mailseal does not use"
	case flags[5]:
		return "it lists attribute certificates only"
	case flags[3]:
		return "it covers only some revocation reasons"
	case flags[1] && c.IsCA:
		return "it covers end-entity certificates only, and this is a CA certificate"
	case flags[2] && !c.IsCA:
		return "it covers CA certificates only"
	}
	if hasName {
		uris, ok := fullNameURIs(dpName)
		if !ok {
			return "its issuing distribution point names no address mailseal can compare"
		}
		if !slices.ContainsFunc(uris, func(u string) bool { return slices.Contains(c.CRLDistributionPoints, u) }) {
			return "its issuing distribution point is not one the certificate names (a list for other certificates of the same CA)"
		}
	}
	return ""
}

// fullNameURIs reads DistributionPointName's fullName [0] GeneralNames and returns its
// uniformResourceIdentifier [6] entries; ok is false for nameRelativeToCRLIssuer.
func fullNameURIs(dpName cryptobyte.String) (uris []string, ok bool) {
	var names cryptobyte.String
	if !dpName.ReadASN1(&names, casn1.Tag(0).Constructed().ContextSpecific()) {
		return nil, false
	}
	for !names.Empty() {
		var v cryptobyte.String
		var tag casn1.Tag
		if !names.ReadAnyASN1(&v, &tag) {
			return nil, false
		}
		if tag == casn1.Tag(6).ContextSpecific() {
			uris = append(uris, string(v))
		}
	}
	return uris, len(uris) > 0
}

func reasonText(code int) string {
	switch code {
	case reasonKeyCompromise:
		return " because its key was compromised"
	case reasonCACompromise:
		return " because its CA was compromised"
	case reasonAACompromise:
		return " because its attribute authority was compromised"
	case reasonAffiliation:
		return " (affiliation changed)"
	case reasonSuperseded:
		return " (superseded)"
	case reasonCessation:
		return " (cessation of operation)"
	case reasonPrivilegeWithd:
		return " (privilege withdrawn)"
	}
	return ""
}
