package smime

import (
	"strings"

	"github.com/mailseal/mailseal/internal/address"
	"github.com/mailseal/mailseal/internal/classify"
	"github.com/mailseal/mailseal/internal/mime"
)

// Header is what the message's top header block says about the message: what names it in a
// list and what a reply to it needs. The signature does not cover these fields (Uncovered names
// those the signed content does not repeat): they are the sender's claims, for display and
// threading, never for a verdict. Every field is bounded, so a hostile header cannot make the
// report large.
type Header struct {
	// From lists every mailbox of the From fields. Report.From is the author only when there
	// is exactly one.
	From    []Mailbox `json:"from,omitempty" js:"from"`
	To      []Mailbox `json:"to,omitempty" js:"to"`
	Cc      []Mailbox `json:"cc,omitempty" js:"cc"`
	ReplyTo []Mailbox `json:"replyTo,omitempty" js:"replyTo"`
	// Subject has its encoded words decoded and is cleaned for display (classify.CleanText).
	Subject string `json:"subject,omitempty" js:"subject"`
	// Date is the Date field as written, cleaned for display.
	Date string `json:"date,omitempty" js:"date"`
	// MessageID is the message's own id with its angle brackets, "<id@host>".
	MessageID string `json:"messageId,omitempty" js:"messageId"`
	// InReplyTo and References are the ids of the messages this one answers, oldest first;
	// References keeps the last maxReferences.
	InReplyTo  []string `json:"inReplyTo,omitempty" js:"inReplyTo"`
	References []string `json:"references,omitempty" js:"references"`
}

// Bounds of Header. An id longer than maxMessageID is left out (RFC 5322 lines end at 998).
const (
	maxHeaderMailboxes = 100
	maxSubject         = 1000
	maxDate            = 80
	maxMessageID       = 998
	maxReferences      = 20
)

// headerOf reads h, the header of the message itself.
func headerOf(h *mime.Header) *Header {
	out := &Header{
		From:      mailboxes(h, "From"),
		To:        mailboxes(h, "To"),
		Cc:        mailboxes(h, "Cc"),
		ReplyTo:   mailboxes(h, "Reply-To"),
		Subject:   classify.CleanText(address.DecodeText(h.Get("Subject")), maxSubject),
		Date:      classify.CleanText(h.Get("Date"), maxDate),
		InReplyTo: messageIDs(h.Get("In-Reply-To")),
	}
	if ids := messageIDs(h.Get("Message-ID")); len(ids) > 0 {
		out.MessageID = ids[0]
	}
	out.References = messageIDs(h.Get("References"))
	if n := len(out.References); n > maxReferences {
		out.References = out.References[n-maxReferences:]
	}
	if len(out.InReplyTo) > maxReferences {
		out.InReplyTo = out.InReplyTo[:maxReferences]
	}
	return out
}

// mailboxes gives the mailboxes of the fields called name, cleaned as Report.From is.
func mailboxes(h *mime.Header, name string) []Mailbox {
	list, err := address.Mailboxes(h.Raw, name, maxHeaderMailboxes)
	if err != nil {
		return nil
	}
	var out []Mailbox // nil when there are none, as for every other absent field
	for _, m := range list {
		out = append(out, Mailbox{
			Address:     classify.CleanText(m.Address, 2*classify.DefaultMax),
			DisplayName: classify.CleanText(m.Name, classify.DefaultMax),
		})
	}
	return out
}

// messageIDs gives the ids of a Message-ID, In-Reply-To or References value, in order: each
// "<...>" with no white space or angle bracket inside (comments and phrases between are
// skipped). An id with anything but printable ASCII inside is left out, as RFC 5322 allows
// nothing else there: a reply copies these ids into its own header.
func messageIDs(v string) []string {
	var ids []string
	for {
		open := strings.IndexByte(v, '<')
		if open < 0 {
			return ids
		}
		v = v[open:]
		end := strings.IndexAny(v[1:], "<> \t\r\n")
		switch {
		case end < 0:
			return ids
		case v[1+end] == '>' && end > 0 && end+2 <= maxMessageID && printableASCII(v[1:1+end]):
			ids = append(ids, v[:end+2])
		}
		v = v[1+end:]
		if v[0] == '>' {
			v = v[1:]
		}
	}
}

func printableASCII(s string) bool {
	for i := range len(s) {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return true
}
