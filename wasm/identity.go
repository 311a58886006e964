//go:build js && wasm

package main

// The signing identity's methods of globalThis.mailseal. The private key never
// crosses into JavaScript: every method that needs it decrypts it here, uses
// it and drops it; what JavaScript holds is a PKCS #12 file it was given, a
// sealed identity (internal/keys) or a session (below), all encrypted.
//
//	mailseal.importIdentity(p12: Uint8Array, password: string, options?) → Promise<IdentitySummary>
//	    reads a PKCS #12 file and says what it holds (keys.Summary: addresses,
//	    subject, issuer, notBefore, notAfter, fingerprint, keyType, level, …,
//	    trusted). Nothing is kept. options: {roots, now} as for verify.
//	mailseal.sealIdentity(p12, password, passphrase: string, options?) → Promise<{summary, sealed: Uint8Array}>
//	    the same, and the identity sealed under passphrase (scrypt, AES-256-GCM)
//	    for extension storage.
//	mailseal.describeIdentity(sealed, options?) → Promise<IdentitySummary>
//	    the summary of a sealed identity, without its passphrase.
//	mailseal.unlockIdentity(sealed, passphrase, {lockAt}) → Promise<{session: Uint8Array, sessionKey: Uint8Array, lockAt: string, resealed?: Uint8Array}>
//	    opens the sealed identity and wraps its key again under sessionKey, 32
//	    fresh random bytes, until lockAt (RFC 3339 string or Date, at most 24 hours
//	    away). The background keeps the session in storage.local and the key in
//	    storage.session (docs/signing.md): neither alone holds the private key,
//	    and the key is gone when the browser closes. resealed, present when the
//	    identity was sealed at an older, lower scrypt cost, is the same identity
//	    sealed at today's cost (keys.Unlock): store it in place of sealed.
//	mailseal.exportIdentity(sealed, passphrase, password) → Promise<Uint8Array>
//	    the identity as a modern PKCS #12 file protected by password.
//	mailseal.sign(identity, message, options?) → Promise<{raw: Uint8Array, summary}>
//	    builds the message (internal/compose) and signs it as multipart/signed,
//	    detached, with the identity: {session, sessionKey} from unlockIdentity,
//	    or {sealed, passphrase}. message: {from, to, cc, bcc, subject: string;
//	    text: string; html?: string; attachments?: [{name, type, data: Uint8Array}];
//	    inReplyTo?: string; references?: string[]}; the address fields are lists
//	    as typed ("Ann <ann@example.com>, bob@example.com"). options: {now}.
//	    raw is the whole signed message (CRLF), ready for the Gmail API or
//	    Graph; summary is {from, to, cc, bcc, subject, messageId, size, signer
//	    (the certificate's SHA-256 fingerprint), signedAt}.
//
// Rejection codes besides those of main.go come from keys.Code:
// ERR_BAD_PASSWORD (the PKCS #12 password), ERR_NOT_PKCS12, ERR_UNSUPPORTED,
// ERR_NO_KEY, ERR_REFUSED (the certificate cannot sign mail; the message is
// the reason, a sentence), ERR_EMPTY_PASSPHRASE, ERR_WEAK_PASSPHRASE (shorter than 10
// characters or a common one; the message says how to choose), ERR_BAD_PASSPHRASE,
// ERR_DAMAGED, ERR_NOT_EXPORTABLE; ERR_LOCKED: the session expired or is
// not the one its key was made for; ERR_FROM_MISMATCH: the From address is not
// one the certificate names.

import (
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"syscall/js"
	"time"

	"golang.org/x/crypto/cryptobyte"

	"github.com/mailseal/mailseal/internal/compose"
	"github.com/mailseal/mailseal/internal/keys"
	"github.com/mailseal/mailseal/internal/smime"
)

const (
	errLocked       = "ERR_LOCKED"
	errFromMismatch = "ERR_FROM_MISMATCH"

	maxPKCS12Size  = 1 << 20
	maxSealedSize  = 1 << 20
	maxSecretChars = 1024 // a password or passphrase
	maxSessionLife = 24 * time.Hour
)

func init() {
	calls["importIdentity"] = importIdentityCall
	calls["sealIdentity"] = sealIdentityCall
	calls["describeIdentity"] = describeIdentityCall
	calls["unlockIdentity"] = unlockIdentityCall
	calls["exportIdentity"] = exportIdentityCall
	calls["sign"] = signCall
}

// keysError gives an error of internal/keys its code. A refusal's message is
// its reason alone, a sentence the extension shows as it is.
func keysError(err error) error {
	var r *keys.Refusal
	if errors.As(err, &r) {
		return &codedError{code: keys.Code(err), err: errors.New(r.Reason)}
	}
	if errors.Is(err, keys.ErrWeakPassphrase) {
		// The message says how to choose a better one: shown as it is.
		return &codedError{code: keys.Code(err), err: errors.New(strings.TrimPrefix(err.Error(), "keys: "))}
	}
	return &codedError{code: keys.Code(err), err: err}
}

func argSecret(v js.Value, what string) (string, error) {
	if v.Type() != js.TypeString {
		return "", badArgument("%s must be a string, not %s", what, describe(v))
	}
	if len(v.String()) > maxSecretChars*4 {
		return "", badArgument("%s is too long", what)
	}
	return v.String(), nil
}

// summaryOptions reads {roots, now}: the anchors a summary's "trusted" is judged
// against besides the bundled ones, and the time.
func summaryOptions(v js.Value) (roots []*x509.Certificate, now time.Time, err error) {
	fields, err := optionsObject(v, "roots", "now")
	if err != nil {
		return nil, time.Time{}, err
	}
	now = time.Now()
	if f, ok := fields["now"]; ok && !f.IsUndefined() {
		if now, err = argTime(f, "options.now"); err != nil {
			return nil, time.Time{}, err
		}
	}
	if f, ok := fields["roots"]; ok && !f.IsUndefined() {
		if roots, err = argCertificates(f, "options.roots"); err != nil {
			return nil, time.Time{}, err
		}
	}
	return roots, now, nil
}

func arg(args []js.Value, i int) js.Value {
	if i < len(args) {
		return args[i]
	}
	return js.Undefined()
}

// pkcs12Args reads (p12, password) and the options at index opt.
func pkcs12Args(args []js.Value, opt int) (p12 []byte, password string, roots []*x509.Certificate, now time.Time, err error) {
	if p12, err = argBytes(arg(args, 0), "the PKCS #12 file", maxPKCS12Size); err != nil {
		return
	}
	if password, err = argSecret(arg(args, 1), "the PKCS #12 password"); err != nil {
		return
	}
	roots, now, err = summaryOptions(arg(args, opt))
	return
}

func importIdentityCall(args []js.Value) (func() (js.Value, error), error) {
	p12, password, roots, now, err := pkcs12Args(args, 2)
	if err != nil {
		return nil, err
	}
	return func() (js.Value, error) {
		id, err := keys.ImportAt(p12, password, now)
		if err != nil {
			return js.Undefined(), keysError(err)
		}
		return plain(keys.Describe(id, now, roots))
	}, nil
}

func sealIdentityCall(args []js.Value) (func() (js.Value, error), error) {
	p12, password, roots, now, err := pkcs12Args(args, 3)
	if err != nil {
		return nil, err
	}
	passphrase, err := argSecret(arg(args, 2), "the passphrase")
	if err != nil {
		return nil, err
	}
	return func() (js.Value, error) {
		id, err := keys.ImportAt(p12, password, now)
		if err != nil {
			return js.Undefined(), keysError(err)
		}
		sealed, err := keys.Seal(id, passphrase)
		if err != nil {
			return js.Undefined(), keysError(err)
		}
		summary, err := plain(keys.Describe(id, now, roots))
		if err != nil {
			return js.Undefined(), err
		}
		out := objectClass.New()
		out.Set("summary", summary)
		out.Set("sealed", bytesToJS(sealed))
		return out, nil
	}, nil
}

func describeIdentityCall(args []js.Value) (func() (js.Value, error), error) {
	sealed, err := argBytes(arg(args, 0), "the sealed identity", maxSealedSize)
	if err != nil {
		return nil, err
	}
	roots, now, err := summaryOptions(arg(args, 1))
	if err != nil {
		return nil, err
	}
	return func() (js.Value, error) {
		certs, err := keys.Certificates(sealed)
		if err != nil {
			return js.Undefined(), keysError(err)
		}
		// Describe reads certificates only; a locked identity has no key to give it.
		return plain(keys.Describe(&keys.Identity{Certificate: certs[0], Chain: certs[1:]}, now, roots))
	}, nil
}

func unlockIdentityCall(args []js.Value) (func() (js.Value, error), error) {
	sealed, err := argBytes(arg(args, 0), "the sealed identity", maxSealedSize)
	if err != nil {
		return nil, err
	}
	passphrase, err := argSecret(arg(args, 1), "the passphrase")
	if err != nil {
		return nil, err
	}
	fields, err := optionsObject(arg(args, 2), "lockAt")
	if err != nil {
		return nil, err
	}
	f, ok := fields["lockAt"]
	if !ok {
		return nil, badArgument("unlockIdentity needs options.lockAt")
	}
	lockAt, err := argTime(f, "options.lockAt")
	if err != nil {
		return nil, err
	}
	if until := time.Until(lockAt); until <= 0 || until > maxSessionLife {
		return nil, badArgument("options.lockAt must be in the next %v", maxSessionLife)
	}
	return func() (js.Value, error) {
		id, resealed, err := keys.Unlock(sealed, passphrase)
		if err != nil {
			return js.Undefined(), keysError(err)
		}
		sessionKey := make([]byte, 32)
		rand.Read(sessionKey)
		session, err := wrapSession(id, sessionKey, lockAt)
		if err != nil {
			return js.Undefined(), err
		}
		out := objectClass.New()
		out.Set("session", bytesToJS(session))
		out.Set("sessionKey", bytesToJS(sessionKey))
		out.Set("lockAt", lockAt.UTC().Format(time.RFC3339Nano))
		if resealed != nil {
			out.Set("resealed", bytesToJS(resealed))
		}
		return out, nil
	}, nil
}

func exportIdentityCall(args []js.Value) (func() (js.Value, error), error) {
	sealed, err := argBytes(arg(args, 0), "the sealed identity", maxSealedSize)
	if err != nil {
		return nil, err
	}
	passphrase, err := argSecret(arg(args, 1), "the passphrase")
	if err != nil {
		return nil, err
	}
	password, err := argSecret(arg(args, 2), "the PKCS #12 password")
	if err != nil {
		return nil, err
	}
	if password == "" {
		return nil, badArgument("an exported PKCS #12 file needs a password")
	}
	return func() (js.Value, error) {
		id, err := keys.Open(sealed, passphrase)
		if err != nil {
			return js.Undefined(), keysError(err)
		}
		p12, err := keys.Export(id, password)
		if err != nil {
			return js.Undefined(), keysError(err)
		}
		return bytesToJS(p12), nil
	}, nil
}

// A session is an unlocked identity as the background keeps it between worker
// restarts: the PKCS #8 key under AES-256-GCM with a random session key, no KDF
// (the key is random), the lock time and certificates in clear but
// authenticated:
//
//	"MSEALSES" | version u8 = 1 | lockAt u64 (Unix ms) | nonce <u8-length>
//	| certificates <u24-length> of <u24-length> DER, signer first | ciphertext <u32-length>
//
// openSession refuses a session past its lock time whatever the caller
// says, so a session key left behind in storage.session unlocks nothing later.
const (
	sessionMagic   = "MSEALSES"
	sessionVersion = 1
)

func wrapSession(id *keys.Identity, sessionKey []byte, lockAt time.Time) ([]byte, error) {
	pkcs8, err := x509.MarshalPKCS8PrivateKey(id.Key)
	if err != nil {
		return nil, keysError(keys.ErrNotExportable)
	}
	aead, err := sessionAEAD(sessionKey)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, aead.NonceSize())
	rand.Read(nonce)
	b := cryptobyte.NewBuilder(nil)
	b.AddBytes([]byte(sessionMagic))
	b.AddUint8(sessionVersion)
	b.AddUint64(uint64(lockAt.UnixMilli()))
	b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(nonce) })
	b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) {
		for _, c := range append([]*x509.Certificate{id.Certificate}, id.Chain...) {
			b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(c.Raw) })
		}
	})
	header, err := b.Bytes()
	if err != nil {
		return nil, fmt.Errorf("mailseal: session: %w", err)
	}
	b = cryptobyte.NewBuilder(header)
	b.AddUint32LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(aead.Seal(nil, nonce, pkcs8, header)) })
	return b.Bytes()
}

func openSession(data, sessionKey []byte, now time.Time) (*keys.Identity, error) {
	locked := func(why string) error {
		return &codedError{code: errLocked, err: errors.New("mailseal: the identity is locked: " + why)}
	}
	s := cryptobyte.String(data)
	var (
		magic      []byte
		version    uint8
		lockAt     uint64
		nonce      cryptobyte.String
		certBlock  cryptobyte.String
		ciphertext cryptobyte.String
	)
	if !s.ReadBytes(&magic, len(sessionMagic)) || string(magic) != sessionMagic || !s.ReadUint8(&version) || version != sessionVersion ||
		!s.ReadUint64(&lockAt) || !s.ReadUint8LengthPrefixed(&nonce) || !s.ReadUint24LengthPrefixed(&certBlock) {
		return nil, locked("the session is damaged")
	}
	header := data[:len(data)-len(s)]
	var n uint32
	if !s.ReadUint32(&n) || !s.ReadBytes((*[]byte)(&ciphertext), int(n)) || !s.Empty() {
		return nil, locked("the session is damaged")
	}
	if now.UnixMilli() >= int64(lockAt) {
		return nil, locked("the unlock period is over")
	}
	aead, err := sessionAEAD(sessionKey)
	if err != nil {
		return nil, err
	}
	if len(nonce) != aead.NonceSize() {
		return nil, locked("the session is damaged")
	}
	pkcs8, err := aead.Open(nil, nonce, ciphertext, header)
	if err != nil {
		return nil, locked("the session does not match its key")
	}
	key, err := x509.ParsePKCS8PrivateKey(pkcs8)
	if err != nil {
		return nil, locked("the session is damaged")
	}
	signer, ok := key.(crypto.Signer)
	if !ok {
		return nil, locked("the session is damaged")
	}
	var certs []*x509.Certificate
	for !certBlock.Empty() {
		var der cryptobyte.String
		if !certBlock.ReadUint24LengthPrefixed(&der) {
			return nil, locked("the session is damaged")
		}
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return nil, locked("the session is damaged")
		}
		certs = append(certs, c)
	}
	if len(certs) == 0 {
		return nil, locked("the session is damaged")
	}
	return &keys.Identity{Certificate: certs[0], Key: signer, Chain: certs[1:]}, nil
}

func sessionAEAD(key []byte) (cipher.AEAD, error) {
	if len(key) != 32 {
		return nil, badArgument("a session key is 32 bytes, not %d", len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("mailseal: session: %w", err)
	}
	return cipher.NewGCM(block)
}

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
		key, err := argBytes(fields["sessionKey"], "identity.sessionKey", 32)
		if err != nil {
			return nil, err
		}
		return func(now time.Time) (*keys.Identity, error) { return openSession(session, key, now) }, nil
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

func signCall(args []js.Value) (func() (js.Value, error), error) {
	open, err := argIdentity(arg(args, 0))
	if err != nil {
		return nil, err
	}
	draft, err := argDraft(arg(args, 1))
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
			return js.Undefined(), &codedError{code: errBadArgument, err: err}
		}
		raw, err := compose.SignDetached(m, id, now)
		switch {
		case errors.Is(err, compose.ErrFromMismatch):
			return js.Undefined(), &codedError{code: errFromMismatch, err: err}
		case errors.Is(err, keys.ErrRefused):
			return js.Undefined(), keysError(err)
		case err != nil:
			return js.Undefined(), err
		}
		summary, err := plain(summaryOf(m, draft.Subject, id, len(raw), now))
		if err != nil {
			return js.Undefined(), err
		}
		out := objectClass.New()
		out.Set("raw", bytesToJS(raw))
		out.Set("summary", summary)
		return out, nil
	}, nil
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
		return d, &codedError{code: errTooLarge, err: fmt.Errorf("mailseal: the message is %d bytes, more than the limit of %d", total, smime.DefaultMaxSize)}
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
