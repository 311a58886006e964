package testpki

import (
	"bytes"
	"crypto"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/mailseal/mailseal/internal/cms"
)

// Header is the RFC 5322 header of a fixture message. From, Sender and To are raw
// field values, so a test can write display-name tricks and address lists.
type Header struct {
	From, To, Subject string
	Sender            string // "" means no Sender field
	// Date defaults to Epoch; Received (the topmost Received field, the delivery
	// time a verifier uses) defaults to Date plus two minutes.
	Date, Received time.Time
	// NoReceived leaves the Received field out, as in sent items or mail within one tenant.
	NoReceived bool
	MessageID  string // defaults to one derived from the other fields
	// Extra are further raw lines ("From: second@example.com") written after the others.
	Extra []string
}

// Bytes returns the header fields with CRLF line ends, without the blank line.
func (h Header) Bytes() []byte {
	if h.Date.IsZero() {
		h.Date = Epoch
	}
	if h.Received.IsZero() {
		h.Received = h.Date.Add(2 * time.Minute)
	}
	if h.Subject == "" {
		h.Subject = "Quarterly figures"
	}
	if h.MessageID == "" {
		sum := sha256.Sum256([]byte(h.From + "\x00" + h.To + "\x00" + h.Subject + "\x00" + h.Date.String()))
		h.MessageID = "<" + hex.EncodeToString(sum[:8]) + "@mailseal.test>"
	}
	var b bytes.Buffer
	if !h.NoReceived {
		fmt.Fprintf(&b, "Received: from mx.sender.example (mx.sender.example [192.0.2.25])\r\n"+
			"\tby mx.mailseal.test with ESMTPS id 4f1c2a; %s\r\n", h.Received.UTC().Format(time.RFC1123Z))
	}
	fmt.Fprintf(&b, "From: %s\r\n", h.From)
	if h.Sender != "" {
		fmt.Fprintf(&b, "Sender: %s\r\n", h.Sender)
	}
	if h.To != "" {
		fmt.Fprintf(&b, "To: %s\r\n", h.To)
	}
	fmt.Fprintf(&b, "Subject: %s\r\nDate: %s\r\nMessage-ID: %s\r\nMIME-Version: 1.0\r\n",
		h.Subject, h.Date.UTC().Format(time.RFC1123Z), h.MessageID)
	for _, l := range h.Extra {
		b.WriteString(l + "\r\n")
	}
	return b.Bytes()
}

// TextContent is a text/plain MIME entity around body, whose line ends become CRLF.
func TextContent(body string) []byte {
	return []byte("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n" + crlf(body))
}

// Message joins a header and a MIME entity (its own header fields, a blank line, its body).
func Message(h Header, entity []byte) []byte {
	return append(h.Bytes(), entity...)
}

// SignedMessage signs content (a MIME entity) with the identities and wraps it in a
// complete message: multipart/signed when opts.Detached, else application/pkcs7-mime.
func SignedMessage(h Header, content []byte, ids []*Identity, opts cms.SignOptions) ([]byte, error) {
	entity, err := SignedEntity(content, ids, opts)
	if err != nil {
		return nil, err
	}
	return Message(h, entity), nil
}

// SignedEntity signs content and returns the signed MIME entity without the message header.
func SignedEntity(content []byte, ids []*Identity, opts cms.SignOptions) ([]byte, error) {
	signers := make([]cms.Signer, len(ids))
	for i, id := range ids {
		signers[i] = id.Signer()
	}
	der, err := cms.Sign(content, signers, opts)
	if err != nil {
		return nil, fmt.Errorf("testpki: %w", err)
	}
	if opts.Detached {
		return DetachedEntity(content, der, Micalg(opts.Hash, ids)), nil
	}
	return OpaqueEntity(der), nil
}

// DetachedEntity is multipart/signed (RFC 8551 §3.5.3) with content as its first part
// and der as an application/pkcs7-signature part. The boundary derives from the content.
func DetachedEntity(content, der []byte, micalg string) []byte {
	sum := sha256.Sum256(append(bytes.Clone(content), der...))
	boundary := "----=_mailseal_" + hex.EncodeToString(sum[:8])
	var b bytes.Buffer
	fmt.Fprintf(&b, "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\";\r\n"+
		"\tmicalg=%s; boundary=\"%s\"\r\n\r\n", micalg, boundary)
	b.WriteString("This is an S/MIME signed message\r\n\r\n")
	// The CRLF before a delimiter belongs to the delimiter, not to the signed part.
	fmt.Fprintf(&b, "--%s\r\n%s\r\n--%s\r\n", boundary, content, boundary)
	b.WriteString("Content-Type: application/pkcs7-signature; name=\"smime.p7s\"\r\n" +
		"Content-Transfer-Encoding: base64\r\n" +
		"Content-Disposition: attachment; filename=\"smime.p7s\"\r\n\r\n")
	b.WriteString(Base64Lines(der))
	fmt.Fprintf(&b, "\r\n--%s--\r\n", boundary)
	return b.Bytes()
}

// OpaqueEntity is application/pkcs7-mime signed-data (RFC 8551 §3.5.2) holding der.
func OpaqueEntity(der []byte) []byte { return pkcs7Mime("signed-data", der) }

// EncryptedEntity is application/pkcs7-mime enveloped-data (RFC 8551 §3.3), or
// authEnveloped-data (RFC 8551 §3.4) when authenticated, holding der.
func EncryptedEntity(der []byte, authenticated bool) []byte {
	if authenticated {
		return pkcs7Mime("authEnveloped-data", der)
	}
	return pkcs7Mime("enveloped-data", der)
}

func pkcs7Mime(smimeType string, der []byte) []byte {
	return []byte("Content-Type: application/pkcs7-mime; smime-type=" + smimeType + "; name=\"smime.p7m\"\r\n" +
		"Content-Transfer-Encoding: base64\r\n" +
		"Content-Disposition: attachment; filename=\"smime.p7m\"\r\n\r\n" +
		Base64Lines(der) + "\r\n")
}

// Micalg is the micalg parameter (RFC 8551 §3.5.3.2) for a digest; Ed25519 always uses SHA-512.
func Micalg(h crypto.Hash, ids []*Identity) string {
	for _, id := range ids {
		if _, ok := id.Key.Public().(ed25519.PublicKey); ok {
			h = crypto.SHA512
		}
	}
	switch h {
	case crypto.MD5:
		return "md5"
	case crypto.SHA1:
		return "sha-1"
	case crypto.SHA224:
		return "sha-224"
	case crypto.SHA384:
		return "sha-384"
	case crypto.SHA512:
		return "sha-512"
	}
	return "sha-256"
}

// Base64Lines encodes data in 76-character lines joined by CRLF, without a final line end.
func Base64Lines(data []byte) string {
	s := base64.StdEncoding.EncodeToString(data)
	var lines []string
	for len(s) > 76 {
		lines = append(lines, s[:76])
		s = s[76:]
	}
	return strings.Join(append(lines, s), "\r\n")
}

func crlf(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\n", "\r\n")
}
