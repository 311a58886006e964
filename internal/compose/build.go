package compose

import (
	"bytes"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"mime"
	"path"
	"strings"
	"time"

	"github.com/emersion/go-message"
	"github.com/emersion/go-message/mail"
	"github.com/emersion/go-message/textproto"
)

// Draft is a message as the user wrote it. Address fields are lists as a person
// types them ("Ann <ann@example.com>, bob@example.com"); display names may be
// any Unicode and are RFC 2047-encoded on the way out.
type Draft struct {
	From, To, Cc, Bcc string
	Subject           string
	Date              time.Time // required: the caller's clock, the signing time as a rule
	MessageID         string    // without angle brackets; empty makes one at the From domain
	InReplyTo         string    // the parent's Message-ID, for a reply
	References        []string  // the thread's Message-IDs, oldest first
	Text              string    // the plain-text body
	HTML              string    // optional; with Text, the two make multipart/alternative
	Attachments       []Attachment
}

// Attachment is one attached file.
type Attachment struct {
	Filename    string
	ContentType string // empty: guessed from the file name, else application/octet-stream
	Data        []byte
}

// Message is a message split the way S/MIME signs it: Header holds the RFC 5322
// fields that stay outside the signature (From, To, Subject, ...), Entity the
// MIME entity that is signed, its Content-* fields, a blank line and its body,
// 7-bit, CRLF, lines of at most 76 octets.
type Message struct {
	Header mail.Header
	Entity []byte
}

// Bytes returns the unsigned message.
func (m *Message) Bytes() ([]byte, error) {
	var b bytes.Buffer
	h := withBottom(m.Header.Header.Header, "MIME-Version", "1.0")
	if err := textproto.WriteHeader(&b, h); err != nil {
		return nil, fmt.Errorf("compose: header: %w", err)
	}
	// The entity starts with its own fields: drop the blank line WriteHeader ended with.
	b.Truncate(b.Len() - 2)
	b.Write(m.Entity)
	return b.Bytes(), nil
}

// Build turns a draft into a Message.
//
// Bcc stays in Header: the Gmail API (users.messages.send) and Microsoft Graph
// (sendMail with a MIME body) take the recipients of a raw message from To, Cc
// and Bcc, and the sending service, not the client, drops Bcc from what the
// others receive (docs/signing.md says what is confirmed). Bcc is outside the
// signed entity, so dropping it does not touch the signature. A caller that
// submits by SMTP must drop the field itself and pass the Bcc addresses as
// envelope recipients.
func Build(d Draft) (*Message, error) {
	if d.Date.IsZero() {
		return nil, errors.New("compose: the draft has no Date")
	}
	// mail.Header formats each value (RFC 2047 names, the date); headerOf orders them.
	var f mail.Header
	from, err := mail.ParseAddress(d.From)
	if err != nil {
		return nil, fmt.Errorf("compose: From %q: %w", d.From, err)
	}
	f.SetAddressList("From", []*mail.Address{from})
	kv := []string{"From", f.Get("From")}
	for _, r := range []struct{ name, value string }{{"To", d.To}, {"Cc", d.Cc}, {"Bcc", d.Bcc}} {
		if strings.TrimSpace(r.value) == "" {
			continue
		}
		list, err := mail.ParseAddressList(r.value)
		if err != nil {
			return nil, fmt.Errorf("compose: %s %q: %w", r.name, r.value, err)
		}
		f.SetAddressList(r.name, list)
		kv = append(kv, r.name, f.Get(r.name))
	}
	if len(kv) == 2 {
		return nil, errors.New("compose: the draft has no recipient")
	}
	if d.Subject != "" {
		f.SetSubject(d.Subject)
		kv = append(kv, "Subject", f.Get("Subject"))
	}
	f.SetDate(d.Date)
	id := strings.Trim(d.MessageID, "<>")
	if id == "" {
		id = newMessageID(from.Address)
	}
	f.SetMessageID(id)
	kv = append(kv, "Date", f.Get("Date"), "Message-ID", f.Get("Message-Id"))
	if d.InReplyTo != "" {
		f.SetMsgIDList("In-Reply-To", []string{strings.Trim(d.InReplyTo, "<>")})
		kv = append(kv, "In-Reply-To", f.Get("In-Reply-To"))
	}
	if len(d.References) > 0 {
		refs := make([]string, len(d.References))
		for i, r := range d.References {
			refs[i] = strings.Trim(r, "<>")
		}
		f.SetMsgIDList("References", refs)
		kv = append(kv, "References", f.Get("References"))
	}
	h := mail.Header{Header: message.Header{Header: headerOf(kv...)}}

	body, err := bodyPart(d)
	if err != nil {
		return nil, err
	}
	if len(d.Attachments) > 0 {
		parts := []*part{body}
		for _, a := range d.Attachments {
			p, err := attachmentPart(a)
			if err != nil {
				return nil, err
			}
			parts = append(parts, p)
		}
		body = multipart("multipart/mixed", parts)
	}
	entity, err := body.bytes()
	if err != nil {
		return nil, err
	}
	return &Message{Header: h, Entity: entity}, nil
}

func bodyPart(d Draft) (*part, error) {
	switch {
	case d.HTML == "":
		return textPart("text/plain", d.Text), nil
	case d.Text == "":
		return textPart("text/html", d.HTML), nil
	default:
		return multipart("multipart/alternative", []*part{textPart("text/plain", d.Text), textPart("text/html", d.HTML)}), nil
	}
}

func textPart(mediaType, text string) *part {
	var f message.Header
	f.SetContentType(mediaType, map[string]string{"charset": "utf-8"})
	p := &part{header: headerOf("Content-Type", f.Get("Content-Type"))}
	p.setText([]byte(text))
	return p
}

func attachmentPart(a Attachment) (*part, error) {
	name := path.Base(strings.ReplaceAll(a.Filename, "\\", "/")) // a name, never a path
	if name == "." || name == "/" {
		name = "attachment"
	}
	ct := a.ContentType
	if ct == "" {
		ct = mime.TypeByExtension(path.Ext(name))
	}
	mediaType, params, err := mime.ParseMediaType(ct)
	if err != nil || strings.HasPrefix(mediaType, "multipart/") || strings.HasPrefix(mediaType, "message/") {
		// A nested message or multipart would have to be 7-bit itself; as a file it is always safe.
		mediaType, params = "application/octet-stream", nil
	}
	if params == nil {
		params = map[string]string{}
	}
	params["name"] = name // Outlook and older clients read the name from here
	var f message.Header
	f.SetContentType(mediaType, params)
	f.SetContentDisposition("attachment", map[string]string{"filename": name})
	h := headerOf("Content-Type", f.Get("Content-Type"), "Content-Disposition", f.Get("Content-Disposition"),
		"Content-Transfer-Encoding", "base64")
	return &part{header: h, body: encodeBase64(a.Data)}, nil
}

// newMessageID returns a random identifier at the sender's domain (RFC 5322 §3.6.4).
func newMessageID(from string) string {
	domain := "mailseal.invalid"
	if at := strings.LastIndexByte(from, '@'); at >= 0 && at < len(from)-1 {
		domain = from[at+1:]
	}
	var r [20]byte
	rand.Read(r[:])
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(r[:])) + "@" + domain
}
