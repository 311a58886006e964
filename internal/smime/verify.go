// Package smime verifies an S/MIME message and says who signed it, in one Report.
//
// Verify is the API for signed mail: it finds the signature (multipart/signed, opaque
// application/pkcs7-mime, or a signed part nested in an unsigned message),
// verifies the CMS with the cms package, validates the signer's chain at the
// delivery time (deliveredAt; the signing time only inside TransitWindow) with the
// trust package, binds the From address to the certificate with the address
// package and classifies the signer with the classify package. One budget bounds
// the work of a message and everything attached to it (budget.go). A bad signature
// is a Report, not an error: Verify returns an error only when its options cannot
// be used. Open (decrypt.go) is Verify for encrypted mail: it decrypts a message encrypted as
// a whole with the user's keys and verifies what is inside; CheckRecipient (recipient.go)
// judges a certificate to encrypt to.
package smime

import (
	"errors"
	"fmt"
	"time"

	"github.com/mailseal/mailseal/internal/address"
	"github.com/mailseal/mailseal/internal/classify"
	"github.com/mailseal/mailseal/internal/cms"
	"github.com/mailseal/mailseal/internal/mime"
	"github.com/mailseal/mailseal/internal/roots"
	"github.com/mailseal/mailseal/internal/sentence"
	"github.com/mailseal/mailseal/internal/trust"
)

// maxAttachedDepth bounds how deep attached messages are verified in turn.
const maxAttachedDepth = 3

// TransitWindow is how long before delivery a signingTime is believed. Inside it, the chain
// is judged at the signing time, so a certificate that expired while the message was in
// transit still counts; a signingTime before it is the signer's unproven claim, and the chain
// is judged at the delivery time. See deliveredAt for the delivery time.
const TransitWindow = 3 * 24 * time.Hour

// Verify checks raw, a complete RFC 5322 message, and reports on it.
func Verify(raw []byte, opts Options) (*Report, error) {
	if opts.MaxSize < 0 {
		return nil, errors.New("smime: negative MaxSize")
	}
	v := &verifier{opts: opts, backend: opts.Backend, clock: opts.Now}
	if v.backend == nil {
		v.backend = cms.GoBackend{}
	}
	if v.clock.IsZero() {
		v.clock = time.Now()
	}
	if v.opts.MaxSize == 0 {
		v.opts.MaxSize = DefaultMaxSize
	}
	var bundled [][]byte
	if !opts.NoBundledRoots {
		bundled = roots.BundledDER()
	}
	v.store = storeFor(bundled, opts.Roots, opts.UserRoots)
	v.budget = newBudget()
	r := v.message(raw, 0, time.Time{})
	for _, t := range v.budget.report() {
		r.Skipped = append(r.Skipped, t.String())
		r.SkippedCodes = append(r.SkippedCodes, t)
	}
	return r, nil
}

type verifier struct {
	opts    Options
	store   *trust.Store
	backend cms.Backend
	clock   time.Time
	budget  *budget // shared by the message and every message attached to it
}

// outcome gathers statuses as checks find them; the report gets the first in severityOrder.
type outcome struct {
	*Report
	statuses map[Status]bool
	verified bool // a signature was verified
	class    *classify.Classification
	from     string  // the From address, when there is exactly one
	budget   *budget // the verifier's

	tree       *mime.Entity // SignedEntity parsed, once
	treeParsed bool
}

// signedTree returns the MIME structure of the signed entity, or nil when it has none.
func (o *outcome) signedTree() *mime.Entity {
	if !o.treeParsed && o.SignedEntity != nil {
		o.treeParsed = true
		if e, err := o.budget.parse(o.SignedEntity); err == nil {
			o.tree = e
		}
	}
	return o.tree
}

// say is the sentence of code with args (package sentence holds the English of each code).
var say = sentence.New

// fail records status s and the reason for it.
func (o *outcome) fail(s Status, reason sentence.Text) {
	o.statuses[s] = true
	o.reason(reason)
}

// reason records a reason, in English and as its code.
func (r *Report) reason(t sentence.Text) {
	r.Reasons = append(r.Reasons, t.String())
	r.ReasonCodes = append(r.ReasonCodes, t)
}

// note records a note, in English and as its code.
func (r *Report) note(n sentence.Text) {
	r.Notes = append(r.Notes, n.String())
	r.NoteCodes = append(r.NoteCodes, n)
}

func (r *Report) check(name string, ok bool, detail sentence.Text) {
	r.Checks = append(r.Checks, newCheck(name, ok, detail))
}

func newCheck(name string, ok bool, detail sentence.Text) Check {
	return Check{Name: name, OK: ok, Detail: detail.String(), Code: detail.Code, Args: detail.Args}
}

// message verifies raw. outer is the delivery time of the message raw is attached to, or
// zero for the message itself: an attached message's own Received fields were written by
// whoever attached it, so only the outer delivery time is trusted for it.
func (v *verifier) message(raw []byte, depth int, outer time.Time) *Report {
	o := &outcome{Report: &Report{Reasons: []string{}, ReasonCodes: []sentence.Text{}, Checks: []Check{}}, statuses: map[Status]bool{}, budget: v.budget}
	defer o.finish()
	if int64(len(raw)) > v.opts.MaxSize {
		o.fail(StatusMalformed, say("message_too_large", fmt.Sprint(len(raw)), fmt.Sprint(v.opts.MaxSize)))
		return o.Report
	}
	e, err := v.budget.parse(raw)
	if err != nil {
		o.fail(StatusMalformed, say("message_unreadable", err.Error()))
		o.check("structure", false, say("error", err.Error()))
		return o.Report
	}
	if len(e.Header.Fields) == 0 {
		o.fail(StatusMalformed, say("message_no_header"))
		o.check("structure", false, say("structure_no_header"))
		return o.Report
	}
	delivery := outer
	if delivery.IsZero() {
		var note *sentence.Text
		delivery, note = v.deliveredAt(&e.Header)
		if note != nil {
			o.note(*note)
		}
	}
	o.DeliveryTime = &delivery
	o.Header = headerOf(&e.Header)
	if from, err := address.FromHeader(e.Header.Raw); err == nil {
		o.from = from.Address
		o.From = &Mailbox{Address: from.Address, DisplayName: from.Name}
	}

	switch classifyEntity(e, true) {
	case kindDetached, kindOpaque:
		o.check("structure", true, say("structure_root_signed"))
		v.signed(o, e, &e.Header, delivery)
	case kindEncrypted:
		o.fail(StatusEncrypted, say("message_encrypted"))
		o.check("structure", true, say("structure_encrypted"))
	case kindOpenPGP:
		o.fail(StatusUnsigned, say("message_openpgp"))
		o.check("structure", true, say("structure_openpgp"))
	default:
		v.nested(o, e, delivery)
	}
	v.attached(o, e, depth, delivery)
	if depth == 0 && v.opts.Text {
		o.Text = readableText(o, e, v.opts.Charset)
	}
	return o.Report
}

// readableText finds the text of the message whose root is e: in the signed content when the
// signature is opaque (a webmail shows nothing for it), else in the message itself.
func readableText(o *outcome, root *mime.Entity, charset mime.Charset) *Text {
	source, tree := "message", root
	if o.Opaque {
		if source, tree = "signed", o.signedTree(); tree == nil {
			return nil
		}
	}
	t, ok := mime.ReadableText(tree, MaxText, charset)
	if !ok {
		return nil
	}
	return &Text{Type: t.Type, Text: t.Text, Source: source, Truncated: t.Truncated}
}

// nested handles a message whose root is not signed: a signed part inside makes it partial.
func (v *verifier) nested(o *outcome, root *mime.Entity, delivery time.Time) {
	var signed *mime.Entity
	walk(root, func(e *mime.Entity) bool {
		if signed != nil || e.MediaType == "message/rfc822" {
			return false
		}
		if e != root {
			if k := classifyEntity(e, false); k == kindDetached || k == kindOpaque {
				signed = e
				return false
			}
		}
		return true
	})
	if signed == nil {
		o.fail(StatusUnsigned, say("message_unsigned"))
		o.check("structure", true, say("structure_unsigned"))
		return
	}
	o.SignedPart = signed.Path
	o.check("structure", false, say("structure_part_signed", signed.Path))
	v.signed(o, signed, &root.Header, delivery)
	o.fail(StatusPartial, say("message_partial", signed.Path))
	for _, t := range outside(root, signed) {
		o.Outside = append(o.Outside, t.String())
		o.OutsideCodes = append(o.OutsideCodes, t)
	}
}

// outside describes every leaf part that the signed part does not cover. A plain-text
// part after it is described neutrally (mailing lists add footers); anything else is flagged.
func outside(root, signed *mime.Entity) []sentence.Text {
	var out []sentence.Text
	after := false
	walk(root, func(e *mime.Entity) bool {
		if e == signed {
			after = true
			return false
		}
		if len(e.Children) > 0 {
			return true
		}
		switch {
		case after && e.MediaType == "text/plain" && e.Disposition() != "attachment":
			out = append(out, part("outside_footer", e, fmt.Sprint(len(e.Body))))
		case after:
			out = append(out, part("outside_after", e))
		default:
			out = append(out, part("outside_before", e))
		}
		return false
	})
	return out
}

// attached verifies each message/rfc822 part in its own right, at the delivery time of
// the message it is attached to. Its result never changes this message's status.
func (v *verifier) attached(o *outcome, root *mime.Entity, depth int, delivery time.Time) {
	visit := func(base string, tree *mime.Entity) {
		walk(tree, func(e *mime.Entity) bool {
			if e.MediaType != "message/rfc822" || e == tree {
				return true
			}
			switch {
			case depth >= maxAttachedDepth:
				v.budget.skip(say("skipped_attached_depth", fmt.Sprint(maxAttachedDepth)))
				return false
			case v.budget.attached == 0:
				v.budget.skip(say("skipped_attached_count", fmt.Sprint(maxAttachedReports)))
				return false
			}
			v.budget.attached--
			body, err := e.Decoded()
			path := e.Path
			if base != "" {
				path = base + ":" + e.Path
			}
			var r *Report
			if err != nil {
				why := say("attached_undecodable", err.Error())
				r = &Report{Status: StatusMalformed, Reasons: []string{why.String()}, ReasonCodes: []sentence.Text{why}, Checks: []Check{}}
				r.Banner = bannerFor(r, nil)
			} else {
				r = v.message(body, depth+1, delivery)
			}
			o.Attached = append(o.Attached, AttachedReport{Part: path, Report: r})
			return false
		})
	}
	visit("", root)
	if inner := o.signedTree(); inner != nil && o.Opaque {
		// Opaque content is not part of the outer tree; its attachments are found here.
		visit("signed", inner)
	}
}
