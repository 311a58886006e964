package smime

import (
	"crypto/x509"
	"fmt"
	"strings"
	"time"

	"github.com/mailseal/mailseal/internal/address"
	"github.com/mailseal/mailseal/internal/roots"
	"github.com/mailseal/mailseal/internal/sentence"
	"github.com/mailseal/mailseal/internal/trust"
)

// RecipientError says why mail to an address cannot be encrypted to a certificate.
type RecipientError struct {
	Address string
	Reason  string
	Why     sentence.Text // Reason as a sentence code, for the extension's languages
}

func (e *RecipientError) Error() string {
	return fmt.Sprintf("smime: cannot encrypt to %s: %s", e.Address, e.Reason)
}

// CheckRecipient judges cert as the certificate to encrypt mail to addr with, as a signer's
// is judged: a chain through intermediates to a root opts trusts, valid now (opts.Now), the
// emailProtection extended key usage, key usage keyEncipherment (RSA) or keyAgreement (EC),
// and addr among the certificate's addresses. It returns nil or a *RecipientError.
func CheckRecipient(cert *x509.Certificate, intermediates []*x509.Certificate, addr string, opts Options) error {
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	var bundled [][]byte
	if !opts.NoBundledRoots {
		bundled = roots.BundledDER()
	}
	res := storeFor(bundled, opts.Roots, opts.UserRoots).Validate(cert, intermediates,
		trust.Request{At: now, Now: now, CRLs: opts.CRLs, Encryption: true})
	if res.Problem != trust.OK {
		return &RecipientError{Address: addr, Reason: res.Reason, Why: res.Why}
	}
	if _, ok := address.Match(cert, addr); !ok {
		why := sentence.New("recipient_other_address", strings.Join(address.CertificateAddresses(cert), ", "))
		return &RecipientError{Address: addr, Reason: why.String(), Why: why}
	}
	return nil
}
