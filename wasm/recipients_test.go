//go:build js && wasm

package main

import (
	"bytes"
	"crypto/x509"
	"syscall/js"
	"testing"
	"time"

	"github.com/mailseal/mailseal/internal/cms"
	"github.com/mailseal/mailseal/internal/testpki"
)

// TestRecipientCertificates: a correspondent whose signed mail was opened gets a usable
// certificate from the memory, which encrypt then takes; an address never seen gets a reason;
// an imported file is validated, never trusted for being picked.
func TestRecipientCertificates(t *testing.T) {
	const account = "gmail:you@example.org"
	pki := testpki.MustNew(t)
	_, aliceP12 := cryptIdentity(t, pki, alice, testpki.RSA2048)
	bob, _ := cryptIdentity(t, pki, "bob@example.org", testpki.P256)
	roots := pemOf(pki.Root)
	now := time.Now()
	signed, err := testpki.SignedMessage(testpki.Header{From: "bob@example.org", To: alice, Subject: "hello", Date: now.Add(-time.Hour)},
		testpki.TextContent("hi"), []*testpki.Identity{bob}, cms.SignOptions{Detached: true, Capabilities: true})
	must(t, err)
	_, err = callAPI(t, "memoryLoad", account, nil)
	must(t, err)
	v, err := callAPI(t, "verify", jsBytes(signed), map[string]any{"roots": roots, "memory": map[string]any{"account": account, "opened": true, "message": "m1"}})
	must(t, err)
	if v.Get("status").String() != "valid" || !v.Get("memoryChanged").Truthy() {
		t.Fatalf("bob's mail: %s, learnt %v", v.Get("status"), v.Get("memoryChanged"))
	}

	stranger := testpki.MailboxProfile(testpki.Strict, "carol@example.org")
	stranger.Issuer = testpki.ByOtherRoot
	stranger.KeyUsage = x509.KeyUsageKeyEncipherment
	carol := pki.MustIssue(t, stranger)
	files := js.ValueOf([]any{jsBytes(carol.Certificate.Raw), jsBytes([]byte("not a certificate"))})
	out, err := callAPI(t, "recipientCertificates", account, js.ValueOf([]any{"Bob@example.org", "dan@example.org", "carol@example.org"}), map[string]any{"roots": roots, "files": files})
	must(t, err)
	rs := out.Get("recipients")
	bobCert := rs.Index(0)
	if !bobCert.Get("usable").Bool() || bobCert.Get("source").String() != "memory" || !bobCert.Get("gcm").Bool() || bobCert.Get("level").String() != "V1" || string(goBytes(bobCert.Get("certificate"))) != string(bob.Certificate.Raw) {
		t.Fatalf("bob: %s", js.Global().Get("JSON").Call("stringify", bobCert))
	}
	for i, code := range map[int]string{1: "recipient_not_seen", 2: "missing_intermediate"} {
		r := rs.Index(i)
		if r.Get("usable").Bool() || !r.Get("certificate").IsUndefined() || r.Get("why").Get("code").String() != code || r.Get("reason").String() == "" {
			t.Errorf("recipient %d: %s, want %s", i, js.Global().Get("JSON").Call("stringify", r), code)
		}
	}
	if fs := out.Get("files"); fs.Index(0).Get("addresses").Index(0).String() != "carol@example.org" || fs.Index(1).Get("why").Get("code").String() != "recipient_file_unreadable" {
		t.Errorf("files: %s", js.Global().Get("JSON").Call("stringify", fs))
	}

	// What it handed out is what encrypt takes.
	_, aliceSession := sealAndUnlock(t, aliceP12)
	sender := js.ValueOf(map[string]any{"session": aliceSession.Get("session"), "sessionKey": aliceSession.Get("sessionKey")})
	message := js.ValueOf(map[string]any{"from": alice, "to": "bob@example.org", "subject": "s", "text": "secret"})
	recipients := js.ValueOf([]any{map[string]any{"certificate": bobCert.Get("certificate"), "chain": bobCert.Get("chain"), "gcm": bobCert.Get("gcm")}})
	if v, err := callAPI(t, "encrypt", sender, message, recipients, map[string]any{"roots": roots}); err != nil {
		t.Errorf("encrypt with the memory's certificate: %v", err)
	} else if raw := goBytes(v.Get("raw")); !bytes.Contains(raw, []byte("authEnveloped-data")) {
		t.Errorf("bob announced AES-256-GCM, yet: %.200s", raw)
	}

	// Without the memory's account: nothing seen. Bad arguments reject.
	out, err = callAPI(t, "recipientCertificates", nil, js.ValueOf([]any{"bob@example.org"}), map[string]any{"roots": roots})
	must(t, err)
	if out.Get("recipients").Index(0).Get("usable").Bool() {
		t.Error("usable without a memory")
	}
	for name, args := range map[string][]any{
		"no list":         {account, "bob@example.org"},
		"a number":        {account, js.ValueOf([]any{1})},
		"unknown option":  {account, js.ValueOf([]any{}), map[string]any{"trust": true}},
		"files not bytes": {account, js.ValueOf([]any{}), map[string]any{"files": js.ValueOf([]any{"x"})}},
	} {
		if r := callAPIError(t, "recipientCertificates", args...); r.code != "ERR_BAD_ARGUMENT" {
			t.Errorf("%s: %+v", name, r)
		}
	}
}
