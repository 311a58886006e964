//go:build js && wasm

package main

import (
	"bytes"
	"crypto/x509"
	"syscall/js"
	"testing"
	"time"

	"github.com/mailseal/mailseal/internal/keys/keystest"
	"github.com/mailseal/mailseal/internal/testpki"
	"github.com/mailseal/mailseal/wasm/internal/errcode"
	"software.sslmate.com/src/go-pkcs12"
)

// cryptIdentity is a fixture identity valid now whose key may encrypt, as a PKCS #12 file.
func cryptIdentity(t *testing.T, pki *testpki.PKI, email string, k testpki.KeyType) (*testpki.Identity, []byte) {
	prof := testpki.MailboxProfile(testpki.Strict, email)
	prof.Key = k
	prof.KeyUsage = x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment | x509.KeyUsageKeyAgreement
	prof.NotBefore, prof.NotAfter = time.Now().Add(-24*time.Hour), time.Now().Add(365*24*time.Hour)
	id := pki.MustIssue(t, prof)
	return id, keystest.PKCS12(t, id, p12Password, pkcs12.Modern)
}

func TestEncryptDecrypt(t *testing.T) {
	pki := testpki.MustNew(t)
	_, aliceP12 := cryptIdentity(t, pki, alice, testpki.RSA2048)
	bob, bobP12 := cryptIdentity(t, pki, "bob@example.org", testpki.P256)
	_, aliceSession := sealAndUnlock(t, aliceP12)
	bobSealed, _ := sealAndUnlock(t, bobP12)
	sender := js.ValueOf(map[string]any{"session": aliceSession.Get("session"), "sessionKey": aliceSession.Get("sessionKey")})
	roots := pemOf(pki.Root)
	message := js.ValueOf(map[string]any{"from": alice, "to": "bob@example.org", "subject": "code", "text": "The code is 4711."})
	recipients := js.ValueOf([]any{map[string]any{"certificate": jsBytes(bob.Certificate.Raw), "chain": pemOf(pki.Intermediate), "gcm": true}})
	v, err := callAPI(t, "encrypt", sender, message, recipients, js.ValueOf(map[string]any{"roots": roots}))
	if err != nil {
		t.Fatal(err)
	}
	raw := goBytes(v.Get("raw"))
	if bytes.Contains(raw, []byte("4711")) || !bytes.Contains(raw, []byte("authEnveloped-data")) {
		t.Fatalf("not encrypted with AES-GCM:\n%.300s", raw)
	}
	ids := js.ValueOf([]any{map[string]any{"sealed": jsBytes(bobSealed), "passphrase": passphrase}})
	got, err := callAPI(t, "decrypt", ids, jsBytes(raw), js.ValueOf(map[string]any{"roots": roots}))
	if err != nil {
		t.Fatal(err)
	}
	report := got.Get("report")
	if s := report.Get("status").String(); s != "valid" || !report.Get("encryption").Get("decrypted").Bool() || !report.Get("encryption").Get("tamperEvident").Bool() {
		t.Fatalf("status %s, encryption %v", s, js.Global().Get("JSON").Call("stringify", report.Get("encryption")))
	}
	if !bytes.Contains(goBytes(got.Get("content")), []byte("The code is 4711.")) {
		t.Errorf("content %q", goBytes(got.Get("content")))
	}
	// The parts a view shows: here the one text body, decoded.
	if parts := got.Get("parts"); parts.Length() != 1 || parts.Index(0).Get("type").String() != "text/plain" ||
		parts.Index(0).Get("attachment").Bool() || !bytes.Contains(goBytes(parts.Index(0).Get("data")), []byte("The code is 4711.")) {
		t.Errorf("parts %v", js.Global().Get("JSON").Call("stringify", parts))
	}

	t.Run("refusals", func(t *testing.T) {
		for name, c := range map[string]struct {
			recipients js.Value
			message    js.Value
			code       errcode.Code
		}{
			"a certificate for someone else":     {js.ValueOf([]any{map[string]any{"certificate": jsBytes(pki.Intermediate.Raw)}}), message, errcode.Recipient},
			"an addressee without a certificate": {recipients, js.ValueOf(map[string]any{"from": alice, "to": "bob@example.org, dan@example.org", "text": "hi"}), errcode.NoCertificate},
			"no recipients":                      {js.ValueOf([]any{}), message, errcode.BadArgument},
			"an untrusted chain":                 {js.ValueOf([]any{map[string]any{"certificate": jsBytes(bob.Certificate.Raw)}}), message, errcode.Recipient},
		} {
			if got := callAPIError(t, "encrypt", sender, c.message, c.recipients, js.ValueOf(map[string]any{"roots": roots})); errcode.Code(got.code) != c.code {
				t.Errorf("%s: %+v, want %s", name, got, c.code)
			}
		}
	})
}
