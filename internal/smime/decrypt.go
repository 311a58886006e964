package smime

import (
	"bytes"
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strings"

	"github.com/mailseal/mailseal/internal/address"
	"github.com/mailseal/mailseal/internal/classify"
	"github.com/mailseal/mailseal/internal/cms"
	"github.com/mailseal/mailseal/internal/mime"
	"github.com/mailseal/mailseal/internal/sentence"
)

// maxEncryptionLayers bounds how many encryptions inside each other Open removes: a
// triple-wrapped message (signed, encrypted, signed) has one, a hostile one many.
const maxEncryptionLayers = 2

// Encryption says how a message was encrypted and what came of decrypting it.
type Encryption struct {
	// Decrypted is true when the content was decrypted with one of the user's keys.
	Decrypted bool `json:"decrypted" js:"decrypted"`
	// Problem names why it was not, for the interface to put in its words: "no-key" (no key
	// given), "not-for-you" (no recipient is one of the keys), "failed" (the key did not fit,
	// or the message was changed), "weak-cipher", "unsupported", "malformed" or "part-only"
	// (an encrypted part inside a message that is not encrypted as a whole).
	Problem string `json:"problem,omitempty" js:"problem"`
	// Cipher is the content encryption, "AES-256-GCM" say.
	Cipher string `json:"cipher,omitempty" js:"cipher"`
	// TamperEvident is true for AES-GCM: a change to the ciphertext fails decryption. AES-CBC
	// content can be changed in transit without the decryption noticing.
	TamperEvident bool `json:"tamperEvident" js:"tamperEvident"`
	// Recipients is how many recipient entries the message has (one per certificate it was
	// encrypted to, the sender's own included).
	Recipients int `json:"recipients" js:"recipients"`
	// Key is the address of the user's certificate that decrypted it.
	Key string `json:"key,omitempty" js:"key"`
	// Signature says where a signature sits: "inside" (signed, then encrypted: verified after
	// decryption, the report's signer wrote the content) or "outside" (encrypted, then signed:
	// the signer sent the encrypted form, which proves nothing about who wrote what is inside).
	Signature string `json:"signature,omitempty" js:"signature"`
	// AddressedTo are the To and Cc addresses the signed content itself names. A signature
	// inside an encryption does not say the signer wrote to the reader: whoever received the
	// signed content could encrypt it again to anyone. Empty when the signed content names none.
	AddressedTo []string `json:"addressedTo,omitempty" js:"addressedTo"`
}

// Opened is what Open found: the report, and the decrypted content for the one view that
// shows it. Once something was decrypted, the report describes decrypted content too (the
// names of its parts, the recipients the signed content names, a parser's quote of a damaged
// line, the reports of attached messages): keep it as Content is kept, out of caches,
// storage and logs.
type Opened struct {
	Report *Report
	// Content is the decrypted MIME entity, inside any signature that was verified; nil
	// when nothing was decrypted.
	Content []byte
}

// Open verifies raw as Verify does and, when the message is encrypted as a whole, decrypts
// it with keys (several identities: a renewed certificate's predecessors too), verifies any
// signature inside, and reports on both. A message that is not encrypted gets Verify's report.
func Open(raw []byte, keys []cms.Key, opts Options) (*Opened, error) {
	return open(raw, keys, opts, 0)
}

func open(raw []byte, keys []cms.Key, opts Options, layer int) (*Opened, error) {
	r, err := Verify(raw, opts)
	if err != nil {
		return nil, err
	}
	limit := opts.MaxSize
	if limit == 0 {
		limit = DefaultMaxSize
	}
	if int64(len(raw)) > limit {
		return &Opened{Report: r}, nil // too large: Verify's report says so
	}
	root, err := mime.Parse(raw, mime.DefaultLimits)
	if err != nil {
		return &Opened{Report: r}, nil
	}
	target, signature := wholeEncryption(root, r)
	if target == nil {
		part := encryptedPart(root, root)
		if part == nil && r.SignedEntity != nil {
			// Inside opaque signed content, which the MIME tree of the message does not show.
			if e, err := mime.Parse(r.SignedEntity, mime.DefaultLimits); err == nil {
				part = encryptedPart(e, nil)
			}
		}
		if part != nil {
			refusePart(r, part)
		}
		return &Opened{Report: r}, nil
	}
	enc := &Encryption{Signature: signature}
	der, err := target.Decoded()
	if err != nil {
		return notDecrypted(r, enc, "malformed", say("decrypt_undecodable", err.Error())), nil
	}
	env, err := cms.ParseEnvelope(der)
	if err != nil {
		return notDecrypted(r, enc, "malformed", say("decrypt_unreadable", strings.TrimPrefix(err.Error(), "cms: "))), nil
	}
	enc.Recipients = len(env.Recipients)
	enc.TamperEvident = env.Authenticated
	enc.Cipher, _ = env.ContentCipher()
	if layer >= maxEncryptionLayers {
		return notDecrypted(r, enc, "unsupported", say("decrypt_too_many_layers", fmt.Sprint(maxEncryptionLayers))), nil
	}
	if len(keys) == 0 {
		return notDecrypted(r, enc, "no-key", say("decrypt_no_key")), nil
	}
	content, key, err := env.Decrypt(keys)
	if err != nil {
		problem, reason := decryptProblem(err)
		return notDecrypted(r, enc, problem, reason), nil
	}
	enc.Decrypted = true
	if addrs := address.CertificateAddresses(key.Certificate); len(addrs) > 0 {
		enc.Key = addrs[0]
	}
	content, bare := entityOf(content)
	inner, err := open(innerMessage(root, content), keys, opts, layer+1)
	if err != nil {
		return nil, err
	}
	ir := inner.Report
	if ir.Encryption != nil && !ir.Encryption.Decrypted && ir.Encryption.Problem != "part-only" {
		return inner, nil // a second layer that did not open: its reason stands
	}
	signedInside := ir.SignedEntity != nil && ir.Status != StatusUnsigned
	if signature == "outside" && !signedInside {
		// The report stays the outer signature's: it covers the encrypted form. Verify's note
		// that the content is unknown no longer holds.
		r.Encryption = enc
		unknown := say("note_content_encrypted")
		r.Notes = slices.DeleteFunc(r.Notes, func(n string) bool { return n == unknown.String() })
		r.NoteCodes = slices.DeleteFunc(r.NoteCodes, func(n sentence.Text) bool { return n.Code == unknown.Code })
		r.note(say("note_encrypted_then_signed"))
		noteCBC(r, enc)
		return &Opened{Report: r, Content: content}, nil
	}
	if signature == "outside" {
		// Signed, encrypted, signed again (RFC 2634 triple wrapping): the signature inside
		// says who wrote the content; the outer one only who sent the encrypted form.
		ir.note(say("note_signed_outside_too", string(r.Status)))
	}
	if ir.Encryption == nil || !ir.Encryption.Decrypted {
		ir.Encryption = enc
		enc.Signature = ""
		if signedInside {
			enc.Signature = "inside"
			enc.AddressedTo = addressedTo(ir.SignedEntity)
			ir.note(surreptitiousNote(enc.AddressedTo))
		}
	}
	if bare {
		ir.note(say("note_decrypted_bare"))
	}
	noteCBC(ir, enc)
	ir.Banner = encryptedBanner(ir)
	if enc.Signature == "inside" && len(enc.AddressedTo) > 0 && !namesAny(enc.AddressedTo, address.CertificateAddresses(key.Certificate)) {
		// Surreptitious forwarding: the signer wrote to someone else, and the reader must see
		// that where they read who signed, not only in a note.
		ir.Banner += " · written to " + strings.Join(enc.AddressedTo, ", ") + ", not to you"
	}
	ir.Checks = append([]Check{newCheck("decryption", true, say("decryption_ok", enc.Cipher, enc.Key))}, ir.Checks...)
	shown := inner.Content
	if shown == nil {
		shown = content
		if ir.SignedEntity != nil && ir.SignedPart == "" {
			shown = ir.SignedEntity
		}
	}
	return &Opened{Report: ir, Content: shown}, nil
}

// wholeEncryption finds the encryption that covers the whole message: the root itself, or
// the content of a signature at the root (encrypted, then signed).
func wholeEncryption(root *mime.Entity, r *Report) (*mime.Entity, string) {
	switch classifyEntity(root, true) {
	case kindEncrypted:
		return root, ""
	case kindDetached, kindOpaque:
		if r.SignedEntity == nil || r.SignedPart != "" {
			return nil, ""
		}
		e, err := mime.Parse(r.SignedEntity, mime.DefaultLimits)
		if err == nil && classifyEntity(e, false) == kindEncrypted {
			return e, "outside"
		}
	}
	return nil, ""
}

// encryptedPart finds an encrypted part of top other than skip, outside any attached message.
func encryptedPart(top, skip *mime.Entity) *mime.Entity {
	var found *mime.Entity
	walk(top, func(e *mime.Entity) bool {
		if found != nil || e.MediaType == "message/rfc822" {
			return false
		}
		if e != skip && classifyEntity(e, false) == kindEncrypted {
			found = e
			return false
		}
		return true
	})
	return found
}

// refusePart refuses an encrypted part of a message that is not encrypted as a whole:
// decrypting it would show its text beside content its sender never wrote, which is how
// EFAIL's direct exfiltration sends the text to an attacker.
func refusePart(r *Report, part *mime.Entity) {
	r.Encryption = &Encryption{Problem: "part-only"}
	r.reason(say("decrypt_part_only", part.Path))
	r.check("decryption", false, say("decryption_part_only"))
	// A signature around it keeps its verdict (the signer may have wrapped someone else's
	// ciphertext, so the part stays closed); an unsigned message becomes partial.
	if r.Status == StatusUnsigned {
		r.Status = StatusPartial
		r.Banner = "Encrypted part not opened: only part of this message is encrypted, and the rest may have been added by someone else."
	}
}

func notDecrypted(r *Report, enc *Encryption, problem string, reason sentence.Text) *Opened {
	enc.Problem = problem
	r.Encryption = enc
	// Arguments quote a parser's message about the input: cleaned as verify's are.
	reason = reason.Map(func(a string) string { return classify.CleanText(a, maxReasonLength) })
	if r.Status == StatusEncrypted {
		// Verify's reason (the message is encrypted, not decrypted) gives way to why not.
		r.Reasons, r.ReasonCodes = nil, nil
	}
	r.reason(reason)
	r.check("decryption", false, reason)
	if r.Status == StatusEncrypted {
		r.Banner = "Encrypted message: not decrypted, so its sender and content are unknown."
	}
	return &Opened{Report: r}
}

// decryptProblem turns a decryption error into a problem code and a sentence. Every key,
// padding and tag failure is the one cms.ErrDecrypt, so the reason cannot tell them apart.
func decryptProblem(err error) (string, sentence.Text) {
	var weak *cms.WeakCipherError
	var unsupported *cms.UnsupportedError
	switch {
	case errors.Is(err, cms.ErrNoRecipient):
		return "not-for-you", say("decrypt_not_for_you")
	case errors.Is(err, cms.ErrDecrypt):
		return "failed", say("decrypt_failed")
	case errors.As(err, &weak):
		return "weak-cipher", say("decrypt_weak_cipher", weak.Name)
	case errors.As(err, &unsupported):
		return "unsupported", say("decrypt_unsupported", strings.TrimPrefix(unsupported.What, "unsupported "))
	}
	return "malformed", say("decrypt_unreadable", strings.TrimPrefix(err.Error(), "cms: "))
}

// entityOf returns decrypted content as a MIME entity (CRLF line ends). Content that does not
// start with a header field or a blank line (some producers encrypt bare text) gets an
// empty header, which MIME reads as text/plain; bare says so.
func entityOf(content []byte) (entity []byte, bare bool) {
	content = mime.CRLF(content)
	line, _, _ := bytes.Cut(content, []byte("\n"))
	line = bytes.TrimRight(line, "\r")
	if len(line) == 0 {
		return content, false
	}
	if colon := bytes.IndexByte(line, ':'); colon > 0 && !bytes.ContainsAny(line[:colon], " \t") {
		return content, false
	}
	return append([]byte("\r\n"), content...), true
}

// innerMessage puts the outer header fields that are not about the content (From, To,
// Subject, Received...) above the decrypted entity, so that a signature inside is bound to
// the From the reader sees and judged at the outer delivery time.
func innerMessage(root *mime.Entity, content []byte) []byte {
	var b bytes.Buffer
	for _, f := range root.Header.Fields {
		name := strings.ToLower(f.Name)
		if strings.HasPrefix(name, "content-") || name == "mime-version" {
			continue
		}
		b.WriteString(f.Name + ": " + f.Value + "\r\n")
	}
	b.Write(mime.CRLF(content))
	return b.Bytes()
}

// addressedTo reads the To and Cc fields the signed entity carries (protected headers, or
// the header of a message/rfc822 it wraps).
func addressedTo(signed []byte) []string {
	e, err := mime.Parse(signed, mime.DefaultLimits)
	if err != nil {
		return nil
	}
	h := &e.Header
	if e.MediaType == "message/rfc822" {
		if body, err := e.Decoded(); err == nil {
			if m, err := mime.Parse(body, mime.DefaultLimits); err == nil {
				h = &m.Header
			}
		}
	}
	var out []string
	for _, name := range []string{"To", "Cc"} {
		for _, v := range h.Values(name) {
			list, err := mail.ParseAddressList(v)
			if err != nil {
				continue
			}
			for _, a := range list {
				out = append(out, a.Address)
			}
		}
	}
	return out
}

// namesAny reports whether any of to is one of addrs.
func namesAny(to, addrs []string) bool {
	for _, a := range to {
		for _, b := range addrs {
			if address.Equal(a, b) {
				return true
			}
		}
	}
	return false
}

func surreptitiousNote(to []string) sentence.Text {
	if len(to) == 0 {
		return say("note_signed_to_nobody_named")
	}
	return say("note_signed_to", classify.CleanText(strings.Join(to, ", "), maxReasonLength))
}

func noteCBC(r *Report, enc *Encryption) {
	if enc.Decrypted && !enc.TamperEvident {
		r.note(say("note_not_tamper_evident", enc.Cipher))
	}
}

// encryptedBanner marks the banner of a decrypted message.
func encryptedBanner(r *Report) string {
	switch {
	case r.Status == StatusValid && r.Encryption.Signature == "inside":
		return "Encrypted and signed · " + r.Banner
	case r.Status == StatusUnsigned:
		return "Encrypted, not signed: the content was decrypted, but who wrote it is not verified."
	}
	return r.Banner
}
