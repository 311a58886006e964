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

	"github.com/mailseal/mailseal/internal/sentence"
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
	reason      sentence.Text   // why a certificate is revoked; no Code when none is
	leafChecked bool            // a usable list covers the signer's certificate
	unchecked   []string        // certificates below the anchor that no usable list covers
	notes       []sentence.Text // lists set aside, and why
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
			out.notes = append(out.notes, say("crl_unreadable", fmt.Sprint(i+1), err.Error()))
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
					out.notes = append(out.notes, withCRLReason(say("revoked_after_delivery", name(c), day(e.RevocationTime), day(delivery)), e.ReasonCode))
					continue
				}
				out.reason = withCRLReason(say("revoked_before_delivery", name(c), day(e.RevocationTime), day(delivery)), e.ReasonCode)
				if e.RevocationTime.After(delivery) {
					out.reason = withCRLReason(say("revoked_compromised", name(c), day(e.RevocationTime)), e.ReasonCode)
				}
				out.leafChecked = out.leafChecked || i == 0
				return out
			}
			if why := unusable(l, c, issuer, now); why.Code != "" {
				out.notes = append(out.notes, say("crl_set_aside", name(issuer)).With(why))
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
func unusable(l *x509.RevocationList, c, issuer *x509.Certificate, now time.Time) sentence.Text {
	switch {
	case issuer.KeyUsage != 0 && issuer.KeyUsage&x509.KeyUsageCRLSign == 0:
		return say("crl_issuer_cannot_sign")
	case l.NextUpdate.IsZero():
		return say("crl_no_next_update")
	case now.After(l.NextUpdate):
		return say("crl_out_of_date", day(l.NextUpdate))
	case now.Before(l.ThisUpdate):
		return say("crl_future", day(l.ThisUpdate))
	}
	for _, ext := range l.Extensions {
		switch {
		case ext.Id.Equal(oidDeltaCRL):
			return say("crl_delta")
		case ext.Id.Equal(oidIssuingDP):
			if why := outOfScope(ext.Value, c); why.Code != "" {
				return why
			}
		case ext.Critical && !slices.ContainsFunc(understoodCritical, ext.Id.Equal):
			return say("crl_critical_extension", ext.Id.String())
		}
	}
	return sentence.Text{}
}

// outOfScope reads an issuingDistributionPoint (RFC 5280 §5.2.5) and says why the list it
// belongs to does not cover c, or "".
func outOfScope(der []byte, c *x509.Certificate) sentence.Text {
	in := cryptobyte.String(der)
	var idp cryptobyte.String
	if !in.ReadASN1(&idp, casn1.SEQUENCE) || !in.Empty() {
		return say("crl_idp_unreadable")
	}
	var dpName cryptobyte.String
	var hasName bool
	if !idp.ReadOptionalASN1(&dpName, &hasName, casn1.Tag(0).Constructed().ContextSpecific()) {
		return say("crl_idp_unreadable")
	}
	flags := map[int]bool{}
	for tag := 1; tag <= 5; tag++ {
		var v cryptobyte.String
		var present bool
		// The BOOLEANs and onlySomeReasons (a BIT STRING) are all implicitly tagged primitives.
		if !idp.ReadOptionalASN1(&v, &present, casn1.Tag(tag).ContextSpecific()) {
			return say("crl_idp_unreadable")
		}
		flags[tag] = present && (tag == 3 || (len(v) == 1 && v[0] != 0))
	}
	if !idp.Empty() {
		return say("crl_idp_unreadable")
	}
	switch {
	case flags[4]:
		return say("crl_indirect")
	case flags[5]:
		return say("crl_attribute_only")
	case flags[3]:
		return say("crl_some_reasons")
	case flags[1] && c.IsCA:
		return say("crl_end_entity_only")
	case flags[2] && !c.IsCA:
		return say("crl_ca_only")
	}
	if hasName {
		uris, ok := fullNameURIs(dpName)
		if !ok {
			return say("crl_idp_no_address")
		}
		if !slices.ContainsFunc(uris, func(u string) bool { return slices.Contains(c.CRLDistributionPoints, u) }) {
			return say("crl_idp_other")
		}
	}
	return sentence.Text{}
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

// withCRLReason adds the reason a revocation list gives for a revocation, when it gives one.
func withCRLReason(t sentence.Text, code int) sentence.Text {
	reasons := map[int]string{
		reasonKeyCompromise:  "crl_reason_key_compromise",
		reasonCACompromise:   "crl_reason_ca_compromise",
		reasonAACompromise:   "crl_reason_aa_compromise",
		reasonAffiliation:    "crl_reason_affiliation",
		reasonSuperseded:     "crl_reason_superseded",
		reasonCessation:      "crl_reason_cessation",
		reasonPrivilegeWithd: "crl_reason_privilege_withdrawn",
	}
	if c, ok := reasons[code]; ok {
		return t.With(say(c))
	}
	return t
}
