//go:build js && wasm

package main

import (
	"bytes"
	"encoding/pem"
	"syscall/js"
	"testing"

	"github.com/mailseal/mailseal/internal/smime"
	"github.com/stretchr/testify/require"
)

const sampleNow = "2026-11-28T14:20:42Z" // testdata/openssl/MANIFEST's validation time

func sample(t *testing.T, name string) []byte { return read(t, "../testdata/openssl/"+name) }

func sampleRoot(t *testing.T) string { return string(read(t, "../testdata/openssl/root.pem")) }

func TestVerifyUsesWebCryptoAndGivesGosVerdict(t *testing.T) {
	raw := sample(t, "detached-sha256-p256-sponsor.eml")
	before := webCryptoBackend.used
	v, err := callAPI(t, "verify", bytesToJS(raw), map[string]any{"now": sampleNow, "roots": sampleRoot(t)})
	require.NoError(t, err)
	if got := v.Get("status").String(); got != "valid" || v.Get("level").String() != "V4" {
		t.Fatalf("status %s level %s, want valid V4", got, v.Get("level"))
	}
	if webCryptoBackend.used.Verify == before.Verify {
		t.Errorf("the message signature was not checked by WebCrypto: %+v -> %+v", before, webCryptoBackend.used)
	}
	// The same message with one signed byte changed: invalid, a result and not a rejection.
	tampered := bytes.Replace(raw, []byte("quarterly figures"), []byte("quarterly fiGures"), 1)
	v, err = callAPI(t, "verify", bytesToJS(tampered), map[string]any{"now": sampleNow, "roots": sampleRoot(t)})
	require.NoError(t, err)
	if got := v.Get("status").String(); got != "invalid" {
		t.Errorf("tampered message: status %s, want invalid", got)
	}
}

func TestVerifyReturnsSignedEntityOnRequest(t *testing.T) {
	raw := sample(t, "opaque-sha256-rsa2048.eml")
	native, err := smime.Verify(raw, smime.Options{})
	require.NoError(t, err)
	if len(native.SignedEntity) == 0 {
		t.Fatal("native Verify gives no signed entity for an opaque message")
	}
	v, err := callAPI(t, "verify", bytesToJS(raw), map[string]any{"content": true})
	require.NoError(t, err)
	e := v.Get("signedEntity")
	if !e.InstanceOf(uint8ArrayClass) {
		t.Fatalf("signedEntity is %s, want a Uint8Array", describe(e))
	}
	got := make([]byte, e.Length())
	js.CopyBytesToGo(got, e)
	if !bytes.Equal(got, native.SignedEntity) {
		t.Errorf("signedEntity differs from Report.SignedEntity")
	}
	v, err = callAPI(t, "verify", bytesToJS(raw))
	require.NoError(t, err)
	if !v.Get("signedEntity").IsUndefined() {
		t.Errorf("signedEntity given without { content: true }")
	}
}

// TestVerifyCopiesArgumentsAtOnce changes the caller's buffer right after the
// call returns, before the work has run: the verdict must be on the original.
func TestVerifyCopiesArgumentsAtOnce(t *testing.T) {
	a := bytesToJS(sample(t, "detached-sha256-rsa2048-mailbox.eml"))
	p := newAPI().Call("verify", a, map[string]any{"now": sampleNow, "roots": sampleRoot(t)})
	a.Call("fill", 0x41)
	v, err := await(p)
	require.NoError(t, err)
	if got := v.Get("status").String(); got != "valid" {
		t.Errorf("status %s after the caller reused its buffer, want valid", got)
	}
}

func TestVerifyOptionForms(t *testing.T) {
	raw := sample(t, "detached-sha256-rsa2048-mailbox.eml")
	root := sampleRoot(t)
	block, _ := pem.Decode([]byte(root))
	date := js.Global().Get("Date").New(sampleNow)
	for name, opts := range map[string]map[string]any{
		"PEM string and RFC 3339": {"now": sampleNow, "roots": root},
		"DER and Date":            {"now": date, "roots": bytesToJS(block.Bytes)},
		"array of both":           {"roots": []any{root, bytesToJS(block.Bytes)}},
	} {
		v, err := callAPI(t, "verify", bytesToJS(raw), opts)
		require.NoError(t, err)
		if got := v.Get("status").String(); got != "valid" || v.Get("level").String() != "V1" {
			t.Errorf("%s: status %s level %s, want valid V1", name, got, v.Get("level"))
		}
	}
	// The same anchor as a user root: valid, and the anchor is reported as the user's.
	v, err := callAPI(t, "verify", bytesToJS(raw), map[string]any{"userRoots": root})
	require.NoError(t, err)
	chain := v.Get("chain")
	if got := chain.Index(chain.Length() - 1).Get("anchor").String(); v.Get("status").String() != "valid" || got != "user" {
		t.Errorf("userRoots: status %s, anchor %s; want valid, user", v.Get("status"), got)
	}
	// Without the anchor the chain ends nowhere.
	v, err = callAPI(t, "verify", bytesToJS(raw))
	require.NoError(t, err)
	if got := v.Get("status").String(); got != "untrusted" {
		t.Errorf("no roots: status %s, want untrusted", got)
	}
}
