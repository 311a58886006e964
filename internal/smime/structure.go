package smime

import (
	"net/mail"
	"strings"
	"time"

	"github.com/mailseal/mailseal/internal/cms"
	"github.com/mailseal/mailseal/internal/mime"
	"github.com/mailseal/mailseal/internal/sentence"
)

// kind is what an entity is, as far as S/MIME goes.
type kind int

const (
	kindPlain     kind = iota
	kindDetached       // multipart/signed with a CMS signature
	kindOpaque         // application/pkcs7-mime signed-data
	kindEncrypted      // application/pkcs7-mime enveloped-data or authEnvelopedData
	kindOpenPGP        // multipart/signed or multipart/encrypted of OpenPGP
)

// classifyEntity says what e is. top is true for the message itself: only there are
// .p7m and .p7s recognised by name (a generic application/octet-stream type).
func classifyEntity(e *mime.Entity, top bool) kind {
	switch e.MediaType {
	case "multipart/signed":
		protocol := strings.ToLower(e.Params["protocol"])
		if strings.Contains(protocol, "pgp") {
			return kindOpenPGP
		}
		if isPKCS7Signature(protocol) {
			return kindDetached
		}
		if len(e.Children) == 2 && (isPKCS7Signature(e.Children[1].MediaType) || (top && hasSuffixFold(e.Children[1].Filename(), ".p7s"))) {
			return kindDetached
		}
		return kindPlain
	case "multipart/encrypted":
		return kindOpenPGP
	case "application/pkcs7-mime", "application/x-pkcs7-mime":
		return pkcs7MimeKind(e)
	case "application/octet-stream":
		if top && hasSuffixFold(e.Filename(), ".p7m") {
			return pkcs7MimeKind(e)
		}
	}
	return kindPlain
}

func isPKCS7Signature(t string) bool {
	return t == "application/pkcs7-signature" || t == "application/x-pkcs7-signature"
}

func hasSuffixFold(s, suffix string) bool {
	return len(s) >= len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix)
}

// pkcs7MimeKind reads smime-type, and when it is absent looks at the CMS content type.
func pkcs7MimeKind(e *mime.Entity) kind {
	switch strings.ToLower(e.Params["smime-type"]) {
	case "signed-data":
		return kindOpaque
	case "enveloped-data", "authenveloped-data", "authenveloped":
		return kindEncrypted
	}
	body, err := e.Decoded()
	if err != nil {
		return kindOpaque // let verification report the damage
	}
	ct, err := cms.PeekContentType(body)
	if err == nil && (ct.Equal(cms.OIDEnvelopedData) || ct.Equal(cms.OIDAuthEnvelopedData)) {
		return kindEncrypted
	}
	return kindOpaque
}

// deliveredAt returns the delivery time, the one time mailseal trusts (a signingTime is the
// signer's claim): the date of the topmost Received field, which the recipient's own provider
// added; where the message has none (sent items, mail within one Exchange tenant), the time
// the provider gives (Options.DeliveryTime); else the clock. When the provider's time is
// later than the Received field, it wins: a provider that adds no Received field leaves the
// sender's own on top, and those may be back-dated. A time later than the clock (beyond an
// hour of skew) is not believed. note says in words when a time was set aside.
func (v *verifier) deliveredAt(h *mime.Header) (t time.Time, note *sentence.Text) {
	received, ok := topReceived(h)
	given := v.opts.DeliveryTime.UTC()
	switch {
	case ok && !given.IsZero() && given.Sub(received) > time.Hour:
		t = given
		n := say("note_provider_time", dayText(received), dayText(given))
		note = &n
	case ok:
		t = received
	case !given.IsZero():
		t = given
	default:
		t = v.clock.UTC()
	}
	if t.After(v.clock.Add(time.Hour)) {
		n := say("note_delivery_future", dayText(t))
		note = &n
		t = v.clock.UTC()
	}
	return t, note
}

func dayText(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

// topReceived is the date of the topmost Received field; ok is false when there is none
// that can be read.
func topReceived(h *mime.Header) (time.Time, bool) {
	received := h.Values("Received")
	if len(received) == 0 {
		return time.Time{}, false
	}
	top := received[0]
	semi := strings.LastIndexByte(top, ';')
	if semi < 0 {
		return time.Time{}, false
	}
	t, err := mail.ParseDate(strings.TrimSpace(top[semi+1:]))
	if err != nil {
		return time.Time{}, false
	}
	return t.UTC(), true
}

// part is the sentence code says about entity e (never the root): its media type and part
// path, and its file name when it has one (code+"_file"), then the further args.
func part(code string, e *mime.Entity, args ...string) sentence.Text {
	named := []string{e.MediaType, e.Path}
	if f := e.Filename(); f != "" {
		code, named = code+"_file", append(named, f)
	}
	return say(code, append(named, args...)...)
}

// walk visits e and its descendants depth first, stopping descent where visit returns false.
func walk(e *mime.Entity, visit func(*mime.Entity) bool) {
	if !visit(e) {
		return
	}
	for _, c := range e.Children {
		walk(c, visit)
	}
}
