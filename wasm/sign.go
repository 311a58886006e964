//go:build js && wasm

package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"syscall/js"
	"time"

	"github.com/mailseal/mailseal/internal/compose"
	"github.com/mailseal/mailseal/internal/keys"
	"github.com/mailseal/mailseal/internal/smime"
	"github.com/mailseal/mailseal/wasm/internal/errcode"
)

// argIdentity reads the identity argument of sign: {session, sessionKey} of
// unlockIdentity, or {sealed, passphrase}.
func argIdentity(v js.Value) (open func(now time.Time) (*keys.Identity, error), err error) {
	fields, err := optionsObject(v, "session", "sessionKey", "sealed", "passphrase")
	if err != nil {
		return nil, err
	}
	if _, ok := fields["session"]; ok {
		session, err := argBytes(fields["session"], "identity.session", maxSealedSize)
		if err != nil {
			return nil, err
		}
		key, err := argBytes(fields["sessionKey"], "identity.sessionKey", keys.SessionKeySize)
		if err != nil {
			return nil, err
		}
		if len(key) != keys.SessionKeySize {
			return nil, badArgument("identity.sessionKey is %d bytes, not %d", keys.SessionKeySize, len(key))
		}
		return func(now time.Time) (*keys.Identity, error) { return keys.OpenSession(session, key, now) }, nil
	}
	sealed, err := argBytes(fields["sealed"], "identity.sealed", maxSealedSize)
	if err != nil {
		return nil, err
	}
	passphrase, err := argSecret(fields["passphrase"], "identity.passphrase")
	if err != nil {
		return nil, err
	}
	return func(time.Time) (*keys.Identity, error) {
		id, err := keys.Open(sealed, passphrase)
		if err != nil {
			return nil, keysError(err)
		}
		return id, nil
	}, nil
}

// argIdentityAndDraft reads the first two arguments sign and encrypt share:
// who sends, and what.
func argIdentityAndDraft(args []js.Value) (open func(time.Time) (*keys.Identity, error), draft compose.Draft, err error) {
	if open, err = argIdentity(arg(args, 0)); err != nil {
		return nil, draft, err
	}
	if draft, err = argDraft(arg(args, 1)); err != nil {
		return nil, draft, err
	}
	return open, draft, nil
}

func signCall(args []js.Value) (func() (js.Value, error), error) {
	open, draft, err := argIdentityAndDraft(args)
	if err != nil {
		return nil, err
	}
	fields, err := optionsObject(arg(args, 2), "now")
	if err != nil {
		return nil, err
	}
	now := time.Now()
	if f, ok := fields["now"]; ok && !f.IsUndefined() {
		if now, err = argTime(f, "options.now"); err != nil {
			return nil, err
		}
	}
	draft.Date = now
	return func() (js.Value, error) {
		id, err := open(now)
		if err != nil {
			return js.Undefined(), err
		}
		m, err := compose.Build(draft)
		if err != nil {
			return js.Undefined(), &codedError{code: errcode.BadArgument, err: err}
		}
		raw, err := compose.SignDetached(m, id, now)
		if err != nil {
			return js.Undefined(), keysError(err) // ErrFromMismatch and the rest take errcode's code
		}
		return sent(m, draft.Subject, id, raw, now)
	}, nil
}

// sent is what sign and encrypt resolve with: the raw message and its summary.
func sent(m *compose.Message, subject string, id *keys.Identity, raw []byte, at time.Time) (js.Value, error) {
	summary, err := plain(summaryOf(m, subject, id, len(raw), at))
	if err != nil {
		return js.Undefined(), err
	}
	out := objectClass.New()
	out.Set("raw", bytesToJS(raw))
	out.Set("summary", summary)
	return out, nil
}

// summaryOf describes a message sign or encrypt produced.
func summaryOf(m *compose.Message, subject string, id *keys.Identity, size int, at time.Time) signSummary {
	fp := sha256.Sum256(id.Certificate.Raw)
	return signSummary{
		From: m.Header.Get("From"), To: m.Header.Get("To"), Cc: m.Header.Get("Cc"), Bcc: m.Header.Get("Bcc"),
		Subject: subject, MessageID: m.Header.Get("Message-Id"), Size: size,
		Signer: hex.EncodeToString(fp[:]), SignedAt: at.UTC(),
	}
}

// signSummary says what sign produced, for the compose frame's confirmation.
type signSummary struct {
	From      string    `json:"from"`
	To        string    `json:"to,omitempty"`
	Cc        string    `json:"cc,omitempty"`
	Bcc       string    `json:"bcc,omitempty"`
	Subject   string    `json:"subject"`
	MessageID string    `json:"messageId"`
	Size      int       `json:"size"`
	Signer    string    `json:"signer"`
	SignedAt  time.Time `json:"signedAt"`
}

// argDraft reads sign's message argument. Unknown keys are refused, as for
// options: a misspelt "atachments" must not send a message without them.
func argDraft(v js.Value) (compose.Draft, error) {
	var d compose.Draft
	fields, err := optionsObject(v, "from", "to", "cc", "bcc", "subject", "text", "html", "attachments", "inReplyTo", "references", "messageId")
	if err != nil {
		return d, err
	}
	for _, f := range []struct {
		key string
		dst *string
	}{{"from", &d.From}, {"to", &d.To}, {"cc", &d.Cc}, {"bcc", &d.Bcc}, {"subject", &d.Subject},
		{"text", &d.Text}, {"html", &d.HTML}, {"inReplyTo", &d.InReplyTo}, {"messageId", &d.MessageID}} {
		if *f.dst, err = argString(fields[f.key], "message."+f.key); err != nil {
			return d, err
		}
	}
	if d.From == "" {
		return d, badArgument("message.from is required")
	}
	if refs := fields["references"]; refs.Truthy() {
		if !refs.InstanceOf(arrayClass) {
			return d, badArgument("message.references must be an array of strings, not %s", describe(refs))
		}
		for i := range refs.Length() {
			r, err := argString(refs.Index(i), "message.references[]")
			if err != nil {
				return d, err
			}
			d.References = append(d.References, r)
		}
	}
	total := len(d.Text) + len(d.HTML)
	if atts := fields["attachments"]; atts.Truthy() {
		if !atts.InstanceOf(arrayClass) {
			return d, badArgument("message.attachments must be an array, not %s", describe(atts))
		}
		for i := range atts.Length() {
			a, err := optionsObject(atts.Index(i), "name", "type", "data")
			if err != nil {
				return d, err
			}
			var att compose.Attachment
			if att.Filename, err = argString(a["name"], "attachment name"); err != nil {
				return d, err
			}
			if att.ContentType, err = argString(a["type"], "attachment type"); err != nil {
				return d, err
			}
			if att.Data, err = argBytes(a["data"], "attachment "+att.Filename, smime.DefaultMaxSize-total); err != nil {
				return d, err
			}
			total += len(att.Data)
			d.Attachments = append(d.Attachments, att)
		}
	}
	if total > smime.DefaultMaxSize {
		return d, &codedError{code: errcode.TooLarge, err: fmt.Errorf("mailseal: the message is %d bytes, more than the limit of %d", total, smime.DefaultMaxSize)}
	}
	return d, nil
}

// argString reads an optional string field; undefined and null are "".
func argString(v js.Value, what string) (string, error) {
	switch v.Type() {
	case js.TypeUndefined, js.TypeNull:
		return "", nil
	case js.TypeString:
		return v.String(), nil
	}
	return "", badArgument("%s must be a string, not %s", what, describe(v))
}
