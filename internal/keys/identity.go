package keys

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/mailseal/mailseal/internal/address"
	"github.com/mailseal/mailseal/internal/cms"
	"github.com/mailseal/mailseal/internal/trust"
)

// Identity is a signing identity: the signer's certificate, its private key and
// the intermediates between it and a root, signer's issuer first.
type Identity struct {
	Certificate *x509.Certificate
	Key         crypto.Signer
	Chain       []*x509.Certificate
}

// Signer returns the identity in the shape cms.Sign takes. Roots are left out of
// the chain: a verifier must already hold its anchor, and sending it proves nothing.
func (id *Identity) Signer() cms.Signer {
	var chain []*x509.Certificate
	for _, c := range id.Chain {
		if !selfSigned(c) {
			chain = append(chain, c)
		}
	}
	return cms.Signer{Certificate: id.Certificate, Key: id.Key, Chain: chain}
}

// Format prints the certificate's addresses and subject whatever the verb, so
// that a stray log line or %+v can never print the private key.
func (id *Identity) Format(f fmt.State, _ rune) {
	if id == nil || id.Certificate == nil {
		fmt.Fprint(f, "keys.Identity(empty)")
		return
	}
	fmt.Fprintf(f, "keys.Identity(%s %q)", strings.Join(address.CertificateAddresses(id.Certificate), ","), id.Certificate.Subject)
}

// CheckAt returns a *Refusal when the identity cannot sign mail at time at, and nil when it can.
func CheckAt(id *Identity, at time.Time) error {
	if err := checkKey(id.Certificate, id.Key); err != nil {
		return err
	}
	return certificateCanSign(id.Certificate, at)
}

// certificateCanSign is CheckAt for the certificate alone (a locked identity has no key to check).
func certificateCanSign(cert *x509.Certificate, at time.Time) error {
	if cert.IsCA {
		return refuse(ProblemCA, "This is a certificate authority's certificate, not a personal one; import the certificate issued to your address.")
	}
	if cert.KeyUsage != 0 && cert.KeyUsage&(x509.KeyUsageDigitalSignature|x509.KeyUsageContentCommitment) == 0 {
		return refuse(ProblemKeyUsage, "This certificate may not be used for signatures: its key usage allows only %s.", keyUsageNames(cert.KeyUsage))
	}
	if !emailEKU(cert) {
		return refuse(ProblemExtKeyUsage, "This certificate is not issued for email: its extended key usage does not include email protection.")
	}
	if len(address.CertificateAddresses(cert)) == 0 {
		return refuse(ProblemNoAddress, "This certificate names no email address, so no recipient could tie the signature to your address.")
	}
	if at.Before(cert.NotBefore) {
		return refuse(ProblemNotYetValid, "This certificate is not valid yet: it becomes valid on %s.", day(cert.NotBefore))
	}
	if at.After(cert.NotAfter) {
		return refuse(ProblemExpired, "This certificate expired on %s; renew it with your certificate authority.", day(cert.NotAfter))
	}
	return nil
}

// checkKey refuses keys recipients' clients cannot verify and keys that are not the certificate's.
func checkKey(cert *x509.Certificate, key crypto.Signer) error {
	switch pub := cert.PublicKey.(type) {
	case *rsa.PublicKey:
		if n := pub.N.BitLen(); n < 2048 {
			return refuse(ProblemKeyType, "The RSA key of this certificate is %d bits; S/MIME certificates need at least 2048.", n)
		}
	case *ecdsa.PublicKey:
		switch pub.Curve {
		case elliptic.P256(), elliptic.P384(), elliptic.P521():
		default:
			return refuse(ProblemKeyType, "The elliptic curve of this certificate is not one S/MIME allows (P-256, P-384, P-521).")
		}
	case ed25519.PublicKey:
		return refuse(ProblemKeyType, "This certificate has an Ed25519 key; Outlook, Apple Mail and GnuPG cannot verify Ed25519 signatures yet, so recipients would see the mail as broken.")
	default:
		return refuse(ProblemKeyType, "This certificate's key type is not supported; use an RSA or ECDSA certificate.")
	}
	k, ok := key.Public().(interface{ Equal(crypto.PublicKey) bool })
	if !ok || !k.Equal(cert.PublicKey) {
		return refuse(ProblemKeyMismatch, "The private key in the file does not belong to the certificate.")
	}
	return nil
}

func emailEKU(cert *x509.Certificate) bool {
	if len(cert.ExtKeyUsage) == 0 && len(cert.UnknownExtKeyUsage) == 0 {
		return true // no extension: every usage is allowed (RFC 5280 §4.2.1.12)
	}
	return slices.Contains(cert.ExtKeyUsage, x509.ExtKeyUsageEmailProtection) ||
		slices.Contains(cert.ExtKeyUsage, x509.ExtKeyUsageAny)
}

func keyUsageNames(ku x509.KeyUsage) string {
	var names []string
	for _, u := range []struct {
		bit  x509.KeyUsage
		name string
	}{
		{x509.KeyUsageDigitalSignature, "digital signature"}, {x509.KeyUsageContentCommitment, "non-repudiation"},
		{x509.KeyUsageKeyEncipherment, "key encipherment"}, {x509.KeyUsageDataEncipherment, "data encipherment"},
		{x509.KeyUsageKeyAgreement, "key agreement"}, {x509.KeyUsageCertSign, "certificate signing"},
		{x509.KeyUsageCRLSign, "CRL signing"}, {x509.KeyUsageEncipherOnly, "encipher only"},
		{x509.KeyUsageDecipherOnly, "decipher only"},
	} {
		if ku&u.bit != 0 {
			names = append(names, u.name)
		}
	}
	return strings.Join(names, ", ")
}

// orderChain returns the path from leaf's issuer upwards through candidates;
// certificates that are not on that path (a second identity's CA, say) are dropped.
func orderChain(leaf *x509.Certificate, candidates []*x509.Certificate) []*x509.Certificate {
	var chain []*x509.Certificate
	for c := leaf; !selfSigned(c) && len(chain) < len(candidates); {
		next := trust.IssuerOf(c, candidates)
		if next == nil || slices.Contains(chain, next) {
			break
		}
		chain = append(chain, next)
		c = next
	}
	return chain
}

// selfSigned reports a root: issued by its own name (and key, when the identifiers say).
func selfSigned(c *x509.Certificate) bool {
	return string(c.RawSubject) == string(c.RawIssuer) &&
		(len(c.AuthorityKeyId) == 0 || string(c.AuthorityKeyId) == string(c.SubjectKeyId))
}

func day(t time.Time) string { return t.UTC().Format("2 January 2006") }
