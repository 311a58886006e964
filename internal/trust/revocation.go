package trust

import (
	"bytes"
	"crypto/x509"
	"fmt"
	"time"
)

// CRL reason codes (RFC 5280 §5.3.1) after which every signature by the key is suspect,
// whatever its time.
const (
	reasonKeyCompromise = 1
	reasonCACompromise  = 2
)

// revoked checks each certificate below the anchor against the CRLs its issuer signed.
// A CRL that does not parse or is not signed by the issuer is ignored: it proves nothing.
// leafChecked says whether a CRL of the signer's own issuer was at hand.
func revoked(chain []*x509.Certificate, at time.Time, crls [][]byte) (reason string, leafChecked bool) {
	if len(crls) == 0 {
		return "", false
	}
	lists := make([]*x509.RevocationList, 0, len(crls))
	for _, der := range crls {
		if l, err := x509.ParseRevocationList(der); err == nil {
			lists = append(lists, l)
		}
	}
	for i := 0; i+1 < len(chain); i++ {
		c, issuer := chain[i], chain[i+1]
		for _, l := range lists {
			if !bytes.Equal(l.RawIssuer, issuer.RawSubject) || l.CheckSignatureFrom(issuer) != nil {
				continue
			}
			if i == 0 {
				leafChecked = true
			}
			for _, e := range l.RevokedCertificateEntries {
				if e.SerialNumber.Cmp(c.SerialNumber) != 0 {
					continue
				}
				compromised := e.ReasonCode == reasonKeyCompromise || e.ReasonCode == reasonCACompromise
				if compromised || !e.RevocationTime.After(at) {
					return fmt.Sprintf("certificate %q was revoked on %s%s", name(c), day(e.RevocationTime), reasonText(e.ReasonCode)), true
				}
			}
		}
	}
	return "", leafChecked
}

func reasonText(code int) string {
	switch code {
	case reasonKeyCompromise:
		return " because its key was compromised"
	case reasonCACompromise:
		return " because its CA was compromised"
	case 3:
		return " (affiliation changed)"
	case 4:
		return " (superseded)"
	case 5:
		return " (cessation of operation)"
	}
	return ""
}
