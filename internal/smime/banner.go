package smime

import (
	"fmt"
	"strings"

	"github.com/mailseal/mailseal/internal/classify"
	"github.com/mailseal/mailseal/internal/mime"
	"github.com/mailseal/mailseal/internal/sentence"
)

// protectable are the header fields a reader relies on that a signature over the body
// does not cover, unless the signed entity repeats them (RFC 8551 §3.1 protected headers).
var protectable = []string{"Subject", "Date", "To", "Cc", "Reply-To"}

// uncovered lists the fields of h that the signed entity does not repeat with the same value.
func uncovered(h *mime.Header, e *mime.Entity) []string {
	var inner *mime.Header
	if e != nil {
		inner = &e.Header
		if e.MediaType == "message/rfc822" {
			if body, err := e.Decoded(); err == nil {
				if m, err := mime.Parse(body, mime.DefaultLimits); err == nil {
					inner = &m.Header
				}
			}
		}
	}
	var out []string
	for _, name := range protectable {
		outer := h.Values(name)
		if len(outer) == 0 {
			continue
		}
		if inner != nil {
			in := inner.Values(name)
			if len(in) == len(outer) && strings.Join(in, "\n") == strings.Join(outer, "\n") {
				continue
			}
		}
		out = append(out, name)
	}
	return out
}

// finish settles the status from what was found and writes the banner.
func (o *outcome) finish() {
	o.Status = StatusValid
	for _, s := range severityOrder {
		if o.statuses[s] {
			o.Status = s
			break
		}
	}
	if o.Status == StatusValid && !o.verified {
		// Nothing was verified and nothing was wrong: there was no signature to speak of.
		o.Status = StatusUnsigned
	}
	if o.Status == StatusValid && o.class != nil {
		o.Level = o.class.Level
		o.LevelReasonCodes = o.class.Why
		if o.Signer != nil {
			o.Signer.Name = o.class.Name
			o.Signer.Pseudonym = o.class.Pseudonym
			o.Signer.Organization = o.class.Organization
			o.Signer.Country = o.class.Country
			o.Signer.Title = o.class.Title
			o.Signer.PolicyOID = o.class.PolicyOID
		}
	}
	if o.Status != StatusValid && o.Signer != nil {
		o.LevelReasonCodes = []sentence.Text{o.noLevel()}
		// The certificate's type was read before the verdict was known; beside a mismatch or a
		// weak signature a tick there would read as an identity confirmed.
		for i := range o.Checks {
			if c := &o.Checks[i]; c.Name == "level" && c.OK {
				c.OK = false
				why := say("level_check_withheld", string(o.Status)).With(sentence.Text{Code: c.Code, Args: c.Args})
				c.Code, c.Args, c.Detail = why.Code, why.Args, why.String()
				c.Then = why.Then
			}
		}
	}
	o.checkDisplayName()
	o.Banner = bannerFor(o.Report, o.class)
	o.cleanTexts()
}

// noLevel says why a report that is not valid shows no level, from what did hold: a good
// signature and chain beside a partial message or another sender is not "not valid".
func (o *outcome) noLevel() sentence.Text {
	// A report has a Signer only once a signature verified.
	switch {
	case o.class == nil:
		return say("level_none_chain")
	case o.Status == StatusPartial:
		return say("level_none_partial", o.SignedPart)
	case o.Status == StatusMismatch:
		return say("level_none_mismatch")
	}
	return say("level_none_status", string(o.Status))
}

// maxReasonLength caps one reason, note or check detail; ours are a sentence or two.
const maxReasonLength = 1024

// cleanTexts passes every sentence of the report through classify.CleanText. Reasons quote
// certificate names and parser errors that quote the input; cleaned, a bidi override cannot
// reverse a name in the details view, nor an escape sequence recolour a terminal running the CLI.
//
// The arguments of each sentence's code are cleaned alike and its English written again from
// them, so that the English and what a translation shows say the same.
func (o *outcome) cleanTexts() {
	clean := func(t sentence.Text) (sentence.Text, string) {
		t = t.Map(func(a string) string { return classify.CleanText(a, maxReasonLength) })
		return t, classify.CleanText(t.String(), maxReasonLength)
	}
	for i := range o.ReasonCodes {
		o.ReasonCodes[i], o.Reasons[i] = clean(o.ReasonCodes[i])
	}
	for i := range o.NoteCodes {
		o.NoteCodes[i], o.Notes[i] = clean(o.NoteCodes[i])
	}
	for i := range o.Checks {
		c := &o.Checks[i]
		var t sentence.Text
		t, c.Detail = clean(sentence.Text{Code: c.Code, Args: c.Args, Then: c.Then})
		c.Args, c.Then = t.Args, t.Then
	}
	for i := range o.LevelReasonCodes {
		o.LevelReasonCodes[i], _ = clean(o.LevelReasonCodes[i])
	}
	o.LevelReason = classify.CleanText(sentence.Join(o.LevelReasonCodes, "; "), maxReasonLength)
}

// bannerFor writes the one line a reader sees. Only a valid report names an identity;
// every other status gets a plain sentence, naming the certificate's address as a claim.
func bannerFor(r *Report, class *classify.Classification) string {
	email := ""
	if r.Signer != nil {
		email = r.Signer.Email
	}
	claim := "an unknown address"
	if email != "" {
		claim = email
	}
	switch r.Status {
	case StatusValid:
		if class != nil {
			return classify.Banner(*class, email)
		}
		return classify.Banner(classify.Classification{Level: classify.LevelV1}, email)
	case StatusMalformed:
		return "Damaged message: its signature structure cannot be read, so nothing about the sender is known."
	case StatusInvalid:
		return "Invalid signature: the message was changed after it was signed, or the signature is forged. Do not trust it."
	case StatusUnsupported:
		return "Signature not checked: it uses an algorithm mailseal does not support."
	case StatusWeak:
		return fmt.Sprintf("Weak signature: signed with outdated cryptography (SHA-1, MD5 or a short key); the claim to be %s cannot be trusted.", claim)
	case StatusUntrusted:
		return fmt.Sprintf("Untrusted signature: the certificate claims %s, but no authority trusted for email vouches for it.", claim)
	case StatusRevoked:
		return fmt.Sprintf("Revoked certificate: the certificate for %s was withdrawn by its issuer. Do not trust this message.", claim)
	case StatusExpired:
		return fmt.Sprintf("Expired certificate: the certificate for %s was not valid when the message was delivered.", claim)
	case StatusMismatch:
		return fmt.Sprintf("Sender mismatch: signed by %s, but the message claims to be from someone else.", claim)
	case StatusPartial:
		return fmt.Sprintf("Partly signed: only part of this message is signed (by %s); other content is not covered.", claim)
	case StatusEncrypted:
		return "Encrypted message: its sender and content are unknown until it is decrypted."
	default:
		return "No signature: the sender of this message is not verified."
	}
}
