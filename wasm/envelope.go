//go:build js && wasm

package main

// Encrypted mail: the methods of globalThis.mailseal that decrypt and encrypt. Like sign,
// they take the identity as {session, sessionKey} or {sealed, passphrase}; the private key
// never crosses into JavaScript.
//
//	mailseal.decrypt(identities: identity[], raw: Uint8Array, options?) → Promise<{report, content?: Uint8Array, parts?: Part[], partsError?: string}>
//	    smime.Open: decrypts a message encrypted as a whole with any of the identities
//	    (earlier ones after a renewal too), verifies a signature inside, and reports on
//	    both (report.encryption says how, or why it was not decrypted). content, the
//	    decrypted MIME entity, is present only when it was decrypted: it is for the
//	    extension-owned frame that shows it, never for the page, storage or logs. A report
//	    of decrypted mail describes its content (part names, attached messages): it belongs
//	    with content, not in the report cache. parts are content's leaves as a view shows
//	    them (smime.Parts: {path, type, charset, name, attachment, data: Uint8Array}), or
//	    partsError says why they cannot be listed (a part that does not decode).
//	    options: as for verify.
//	mailseal.encrypt(identity, message, recipients, options?) → Promise<{raw: Uint8Array, summary}>
//	    builds the message as sign does, signs it, then encrypts it to every recipient
//	    and the sender (compose.SignAndEncrypt). recipients: [{certificate: Uint8Array
//	    (DER) or PEM string, chain?: intermediates as for options.roots, gcm?: boolean
//	    (the recipient's SMIMECapabilities list AES-256-GCM)}]; each certificate is
//	    validated for the addresses of To, Cc and Bcc it names (smime.CheckRecipient).
//	    options: {now, roots, userRoots}.
//
// Rejection codes besides those of sign: ERR_RECIPIENT (a recipient's certificate is
// refused; the message says whose and why), ERR_NO_CERTIFICATE (addressees without a
// certificate; the message names them), ERR_SENDER_CANNOT_DECRYPT (the sender's
// certificate may not be used for encryption).

import (
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"strings"
	"syscall/js"
	"time"

	"github.com/mailseal/mailseal/internal/address"
	"github.com/mailseal/mailseal/internal/cms"
	"github.com/mailseal/mailseal/internal/compose"
	"github.com/mailseal/mailseal/internal/keys"
	"github.com/mailseal/mailseal/internal/smime"
	"github.com/mailseal/mailseal/wasm/internal/errcode"
)

const (
	maxDecryptionIdentities = 16
	maxEncryptionRecipients = 100
)

func decryptCall(args []js.Value) (func() (js.Value, error), error) {
	ids := arg(args, 0)
	if !ids.InstanceOf(arrayClass) || ids.Length() == 0 || ids.Length() > maxDecryptionIdentities {
		return nil, badArgument("decrypt needs an array of 1 to %d identities, not %s", maxDecryptionIdentities, describe(ids))
	}
	var opens []func(time.Time) (*keys.Identity, error)
	for i := range ids.Length() {
		open, err := argIdentity(ids.Index(i))
		if err != nil {
			return nil, err
		}
		opens = append(opens, open)
	}
	raw, err := argBytes(arg(args, 1), "the message", smime.DefaultMaxSize)
	if err != nil {
		return nil, err
	}
	opts, _, err := verifyOptions(arg(args, 2))
	if err != nil {
		return nil, err
	}
	return func() (js.Value, error) {
		now := opts.Now
		if now.IsZero() {
			now = time.Now()
		}
		var ks []cms.Key
		for _, open := range opens {
			id, err := open(now)
			if err != nil {
				return js.Undefined(), err
			}
			ks = append(ks, id.DecryptionKey())
		}
		opened, err := smime.Open(raw, ks, opts)
		if err != nil {
			return js.Undefined(), verifyError(err)
		}
		report, err := plain(opened.Report)
		if err != nil {
			return js.Undefined(), err
		}
		out := objectClass.New()
		out.Set("report", report)
		if opened.Content != nil {
			out.Set("content", bytesToJS(opened.Content))
			parts, err := smime.Parts(opened.Content)
			if err != nil {
				out.Set("partsError", err.Error())
			} else {
				list := arrayClass.New(len(parts))
				for i, p := range parts {
					o := objectClass.New()
					o.Set("path", p.Path)
					o.Set("type", p.Type)
					o.Set("charset", p.Charset)
					o.Set("name", p.Name)
					o.Set("attachment", p.Attachment)
					o.Set("data", bytesToJS(p.Data))
					list.SetIndex(i, o)
				}
				out.Set("parts", list)
			}
		}
		return out, nil
	}, nil
}

func encryptCall(args []js.Value) (func() (js.Value, error), error) {
	open, draft, err := argIdentityAndDraft(args)
	if err != nil {
		return nil, err
	}
	recipients, err := argRecipients(arg(args, 2))
	if err != nil {
		return nil, err
	}
	fields, err := optionsObject(arg(args, 3), "now", "roots", "userRoots")
	if err != nil {
		return nil, err
	}
	opts, err := trustOptions(fields)
	if err != nil {
		return nil, err
	}
	draft.Date = opts.Now
	return func() (js.Value, error) {
		m, err := compose.Build(draft)
		if err != nil {
			return js.Undefined(), &codedError{code: errcode.BadArgument, err: err}
		}
		var list []compose.Recipient
		for _, r := range recipients {
			if err := checkRecipient(m, r, opts); err != nil {
				return js.Undefined(), err
			}
			list = append(list, r.Recipient)
		}
		id, err := open(opts.Now)
		if err != nil {
			return js.Undefined(), err
		}
		raw, err := compose.SignAndEncrypt(m, id, list, opts.Now)
		var missing *compose.MissingCertificateError
		switch {
		case errors.As(err, &missing):
			return js.Undefined(), &codedError{code: errcode.NoCertificate, err: errors.New(strings.TrimPrefix(missing.Error(), "compose: "))}
		case errors.Is(err, compose.ErrSenderCannotDecrypt):
			return js.Undefined(), &codedError{code: errcode.SenderCannotDecrypt, err: err}
		case errors.Is(err, compose.ErrFromMismatch):
			return js.Undefined(), &codedError{code: errcode.FromMismatch, err: err}
		case errors.Is(err, keys.ErrRefused):
			return js.Undefined(), keysError(err)
		case err != nil:
			return js.Undefined(), err
		}
		return sent(m, draft.Subject, id, raw, opts.Now)
	}, nil
}

// recipientArg is one recipient of encrypt with the intermediates of its certificate.
type recipientArg struct {
	compose.Recipient
	chain []*x509.Certificate
}

func argRecipients(v js.Value) ([]recipientArg, error) {
	if !v.InstanceOf(arrayClass) || v.Length() == 0 || v.Length() > maxEncryptionRecipients {
		return nil, badArgument("encrypt needs an array of 1 to %d recipients, not %s", maxEncryptionRecipients, describe(v))
	}
	var out []recipientArg
	for i := range v.Length() {
		what := fmt.Sprintf("recipients[%d]", i)
		fields, err := optionsObject(v.Index(i), "certificate", "chain", "gcm")
		if err != nil {
			return nil, err
		}
		certs, err := argCertificates(fields["certificate"], what+".certificate")
		if err != nil {
			return nil, err
		}
		if len(certs) != 1 {
			return nil, badArgument("%s.certificate must be one certificate, not %d", what, len(certs))
		}
		r := recipientArg{Recipient: compose.Recipient{Certificate: certs[0]}}
		if f, ok := fields["chain"]; ok && !f.IsUndefined() {
			if r.chain, err = argCertificates(f, what+".chain"); err != nil {
				return nil, err
			}
		}
		gcm, err := argBool(fields["gcm"], what+".gcm")
		if err != nil {
			return nil, err
		}
		if gcm {
			r.Capabilities = []asn1.ObjectIdentifier{cms.OIDAES256GCM}
		}
		out = append(out, r)
	}
	return out, nil
}

// checkRecipient validates r's certificate for every addressee of m it names.
func checkRecipient(m *compose.Message, r recipientArg, opts smime.Options) error {
	named := false
	for _, field := range []string{"To", "Cc", "Bcc"} {
		list, _ := m.Header.AddressList(field)
		for _, a := range list {
			if _, ok := address.Match(r.Certificate, a.Address); !ok {
				continue
			}
			named = true
			if err := smime.CheckRecipient(r.Certificate, r.chain, a.Address, opts); err != nil {
				reason := err.Error()
				if re := (*smime.RecipientError)(nil); errors.As(err, &re) {
					reason = re.Reason
				}
				return &codedError{code: errcode.Recipient, err: fmt.Errorf("the certificate for %s cannot be used: %s", a.Address, reason)}
			}
		}
	}
	if !named {
		return &codedError{code: errcode.Recipient, err: fmt.Errorf("a recipient certificate (%v) names none of the addressees", address.CertificateAddresses(r.Certificate))}
	}
	return nil
}
