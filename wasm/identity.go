//go:build js && wasm

package main

// The signing identity's methods of globalThis.mailseal, and sign (sign.go). The
// private key never crosses into JavaScript: every method that needs it decrypts
// it here, uses it and drops it; what JavaScript holds is a PKCS #12 file it was
// given, a sealed identity or a session (both internal/keys), all encrypted.
//
//	mailseal.importIdentity(p12: Uint8Array, password: string, options?) → Promise<IdentitySummary>
//	    reads a PKCS #12 file and says what it holds (keys.Summary: addresses,
//	    subject, issuer, notBefore, notAfter, fingerprint, keyType, level, …,
//	    trusted, canSign, signReason, canDecrypt). Nothing is kept. options: {roots, now}
//	    as for verify, and purpose: "decrypt" for an identity kept to decrypt mail only
//	    (keys.ImportForDecryption: one that cannot sign, an expired or a renewed one).
//	mailseal.sealIdentity(p12, password, passphrase: string, options?) → Promise<{summary, sealed: Uint8Array}>
//	    the same, and the identity sealed under passphrase (scrypt, AES-256-GCM)
//	    for extension storage.
//	mailseal.describeIdentity(sealed, options?) → Promise<IdentitySummary>
//	    the summary of a sealed identity, without its passphrase.
//	mailseal.unlockIdentity(sealed, passphrase, {lockAt}) → Promise<{session: Uint8Array, sessionKey: Uint8Array, lockAt: string, resealed?: Uint8Array}>
//	    opens the sealed identity and wraps its key again under sessionKey, 32
//	    fresh random bytes, until lockAt (RFC 3339 string or Date, at most 24
//	    hours away), with keys.NewSession. The background keeps the session in
//	    storage.local and the key in storage.session (docs/signing.md): neither
//	    alone holds the private key, and the key is gone when the browser closes. resealed, present when the
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
// Rejection codes are errcode's (wasm/internal/errcode): the identity's errors
// take theirs from the keys and compose sentinels its table names.

import (
	"crypto/x509"
	"errors"
	"strings"
	"syscall/js"
	"time"

	"github.com/mailseal/mailseal/internal/keys"
	"github.com/mailseal/mailseal/wasm/internal/errcode"
)

const (
	maxPKCS12Size  = 1 << 20
	maxSealedSize  = 1 << 20
	maxSecretChars = 1024 // a password or passphrase
)

// keysError shapes the message of an error of internal/keys; its code comes
// from errcode. A refusal's message is its reason alone, a sentence the
// extension shows as it is.
func keysError(err error) error {
	var r *keys.Refusal
	if errors.As(err, &r) {
		return &codedError{code: errcode.Refused, err: errors.New(r.Reason)}
	}
	if errors.Is(err, keys.ErrWeakPassphrase) {
		// The message says how to choose a better one: shown as it is.
		return &codedError{code: errcode.WeakPassphrase, err: errors.New(strings.TrimPrefix(err.Error(), "keys: "))}
	}
	return err
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
	return summaryFields(fields)
}

func summaryFields(fields map[string]js.Value) (roots []*x509.Certificate, now time.Time, err error) {
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

// pkcs12Args reads (p12, password) and the options at index opt: {roots, now, purpose}.
// purpose "decrypt" reads an identity kept to decrypt mail only (keys.ImportForDecryption:
// one that cannot sign, an expired or a renewed one); anything else, one that signs.
func pkcs12Args(args []js.Value, opt int) (roots []*x509.Certificate, now time.Time, read func() (*keys.Identity, error), err error) {
	p12, err := argBytes(arg(args, 0), "the PKCS #12 file", maxPKCS12Size)
	if err != nil {
		return
	}
	password, err := argSecret(arg(args, 1), "the PKCS #12 password")
	if err != nil {
		return
	}
	fields, err := optionsObject(arg(args, opt), "roots", "now", "purpose")
	if err != nil {
		return
	}
	if roots, now, err = summaryFields(fields); err != nil {
		return
	}
	purpose := ""
	if f, ok := fields["purpose"]; ok && !f.IsUndefined() {
		if f.Type() != js.TypeString || (f.String() != "sign" && f.String() != "decrypt") {
			err = badArgument("options.purpose must be \"sign\" or \"decrypt\"")
			return
		}
		purpose = f.String()
	}
	read = func() (*keys.Identity, error) {
		if purpose == "decrypt" {
			return keys.ImportForDecryption(p12, password)
		}
		return keys.ImportAt(p12, password, now)
	}
	return
}

func importIdentityCall(args []js.Value) (func() (js.Value, error), error) {
	roots, now, read, err := pkcs12Args(args, 2)
	if err != nil {
		return nil, err
	}
	return func() (js.Value, error) {
		id, err := read()
		if err != nil {
			return js.Undefined(), keysError(err)
		}
		return plain(keys.Describe(id, now, roots))
	}, nil
}

func sealIdentityCall(args []js.Value) (func() (js.Value, error), error) {
	roots, now, read, err := pkcs12Args(args, 3)
	if err != nil {
		return nil, err
	}
	passphrase, err := argSecret(arg(args, 2), "the passphrase")
	if err != nil {
		return nil, err
	}
	return func() (js.Value, error) {
		id, err := read()
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

// argSealedAndPassphrase reads the first two arguments unlockIdentity and
// exportIdentity share: a sealed identity and the passphrase that opens it.
func argSealedAndPassphrase(args []js.Value) (sealed []byte, passphrase string, err error) {
	if sealed, err = argBytes(arg(args, 0), "the sealed identity", maxSealedSize); err != nil {
		return nil, "", err
	}
	if passphrase, err = argSecret(arg(args, 1), "the passphrase"); err != nil {
		return nil, "", err
	}
	return sealed, passphrase, nil
}

func unlockIdentityCall(args []js.Value) (func() (js.Value, error), error) {
	sealed, passphrase, err := argSealedAndPassphrase(args)
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
	now := time.Now() // the lock time is judged when the call is made, not after scrypt
	if until := lockAt.Sub(now); until <= 0 || until > keys.MaxSessionLife {
		return nil, badArgument("options.lockAt must be in the next %v", keys.MaxSessionLife)
	}
	return func() (js.Value, error) {
		id, resealed, err := keys.Unlock(sealed, passphrase)
		if err != nil {
			return js.Undefined(), keysError(err)
		}
		session, sessionKey, err := keys.NewSession(id, lockAt, now)
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
	sealed, passphrase, err := argSealedAndPassphrase(args)
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
