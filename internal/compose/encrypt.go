package compose

import (
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/mailseal/mailseal/internal/address"
	"github.com/mailseal/mailseal/internal/cms"
	"github.com/mailseal/mailseal/internal/keys"
	"github.com/mailseal/mailseal/internal/trust"
)

// Recipient is a certificate to encrypt to and what its holder's mail client announced it
// can decrypt.
type Recipient struct {
	Certificate *x509.Certificate
	// Capabilities are the algorithms of the SMIMECapabilities attribute of the recipient's
	// signed mail (cms.SignerInfo.Capabilities); nil when none was seen.
	Capabilities []asn1.ObjectIdentifier
}

// ErrSenderCannotDecrypt means the sender's certificate may not be used for encryption, so
// the sent copy could not be encrypted to the sender.
var ErrSenderCannotDecrypt = errors.New("compose: the sender's certificate cannot receive encrypted mail")

// MissingCertificateError names the addressees of a message that no recipient
// certificate names: the message cannot be encrypted to them.
type MissingCertificateError struct{ Addresses []string }

func (e *MissingCertificateError) Error() string {
	return "compose: no certificate to encrypt to " + strings.Join(e.Addresses, ", ")
}

// SignAndEncrypt signs m with id as multipart/signed (SignDetached), then encrypts that
// signed entity (RFC 8551 §3.6: signed, then encrypted) to every recipient and to the
// sender, so the sent copy stays readable. Every address of To, Cc and Bcc must be named by
// one of the recipients' certificates, which the caller has validated (smime.CheckRecipient).
// The content is AES-256-GCM (AuthEnvelopedData) when every recipient announced AES-256-GCM,
// and AES-256-CBC otherwise, which every S/MIME client reads. Subject and the other header
// fields stay outside the encryption, as in every S/MIME client.
func SignAndEncrypt(m *Message, id *keys.Identity, recipients []Recipient, at time.Time) ([]byte, error) {
	if err := checkFrom(m.Header, id); err != nil {
		return nil, err
	}
	if err := coverAddressees(m, recipients); err != nil {
		return nil, err
	}
	if p, reason := trust.EncryptionUsage(id.Certificate); p != trust.OK {
		// Encrypting to it anyway would break the certificate's terms, and the sent copy
		// would still be unreadable to a client that honours them.
		return nil, fmt.Errorf("%w: %s", ErrSenderCannotDecrypt, strings.Replace(reason.String(), "recipient's", "sender's", 1))
	}
	signed, err := SignDetached(&Message{Entity: m.Entity}, id, at)
	if err != nil {
		return nil, err
	}
	certs := []*x509.Certificate{id.Certificate}
	gcm := true
	for _, r := range recipients {
		certs = append(certs, r.Certificate)
		gcm = gcm && slices.ContainsFunc(r.Capabilities, func(o asn1.ObjectIdentifier) bool { return o.Equal(cms.OIDAES256GCM) })
	}
	der, err := cms.Encrypt(signed, certs, cms.EncryptOptions{Authenticated: gcm})
	if err != nil {
		return nil, fmt.Errorf("compose: %w", err)
	}
	smimeType := "enveloped-data"
	if gcm {
		smimeType = "authEnveloped-data"
	}
	return pkcs7MIME(m, smimeType, der)
}

// coverAddressees checks that each address of To, Cc and Bcc has a recipient certificate.
func coverAddressees(m *Message, recipients []Recipient) error {
	var missing []string
	for _, field := range []string{"To", "Cc", "Bcc"} {
		if m.Header.Get(field) == "" {
			continue
		}
		list, err := m.Header.AddressList(field)
		if err != nil {
			return fmt.Errorf("compose: %s cannot be read: %w", field, err)
		}
		for _, a := range list {
			if !slices.ContainsFunc(recipients, func(r Recipient) bool {
				_, ok := address.Match(r.Certificate, a.Address)
				return ok
			}) {
				missing = append(missing, a.Address)
			}
		}
	}
	if missing != nil {
		return &MissingCertificateError{Addresses: missing}
	}
	return nil
}
