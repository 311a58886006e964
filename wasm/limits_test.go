//go:build js && wasm

package main

import (
	"encoding/pem"
	"fmt"
	"testing"
	"time"

	"github.com/mailseal/mailseal/internal/testpki"
	"github.com/stretchr/testify/require"
)

// TestHostileMessagesEndQuicklyInWebAssembly: testpki's hostile messages through verify() as the
// extension calls it. Keys beyond the limits end unsupported within 300 ms (a 65,536-bit key
// × 16 signers took 10.5 s before); a chain bomb and 40^3 attached messages stay bounded.
func TestHostileMessagesEndQuicklyInWebAssembly(t *testing.T) {
	pki := testpki.MustNew(t)
	root := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: pki.Root.Raw}))
	opts := map[string]any{"now": testpki.Epoch.Add(time.Hour).Format(time.RFC3339), "roots": root}
	run := func(name string, msg []byte, status string, limit time.Duration) {
		t.Helper()
		callAPI(t, "verify", bytesToJS([]byte("From: warm@example.com\r\n\r\nx")), opts) // the first call pays for start-up
		start := time.Now()
		v, err := callAPI(t, "verify", bytesToJS(msg), opts)
		took := time.Since(start)
		require.NoError(t, err)
		t.Logf("%s (%d KB): %s in %v", name, len(msg)>>10, v.Get("status").String(), took.Round(time.Millisecond))
		if got := v.Get("status").String(); got != status || took > limit {
			t.Errorf("%s: %s in %v, want %s within %v", name, got, took, status, limit)
		}
	}
	for _, key := range []struct{ bits, e int }{{65536, 1<<31 - 1}, {262144, 65537}, {4096, 1<<32 + 1}} {
		msg, err := pki.HugeKeyMessage(key.bits, key.e, 16)
		require.NoError(t, err)
		run(fmt.Sprintf("%d-bit RSA key, e=%d, 16 signers", key.bits, key.e), msg, "unsupported", 300*time.Millisecond)
	}
	bomb, err := pki.ChainBombMessage(60)
	require.NoError(t, err)
	run("60 same-name intermediates with 8192-bit keys", bomb, "untrusted", time.Second)
	nested, err := pki.NestedMessage(40, 3)
	require.NoError(t, err)
	run("40^3 attached messages", nested, "unsigned", 2*time.Second)
}

// TestDeliveryTimeOption: a message without a Received field is judged at options.deliveryTime
// (the provider's time), else at options.now; a bad value is a bad argument.
func TestDeliveryTimeOption(t *testing.T) {
	raw := read(t, "../testdata/vectors/expired-no-received-old-signing-time.eml")
	root := string(read(t, "../testdata/vectors/root.pem"))
	opts := map[string]any{"now": "2026-06-02T00:00:00Z", "roots": root}
	v, err := callAPI(t, "verify", bytesToJS(raw), opts)
	require.NoError(t, err)
	if got := v.Get("status").String(); got != "expired" {
		t.Errorf("at now: %s", got)
	}
	opts["deliveryTime"] = "2026-04-02T01:00:00Z" // inside the certificate's validity
	v, err = callAPI(t, "verify", bytesToJS(raw), opts)
	require.NoError(t, err)
	if got, at := v.Get("status").String(), v.Get("deliveryTime").String(); got != "valid" || at != "2026-04-02T01:00:00Z" {
		t.Errorf("at the provider's time: %s, delivered %s", got, at)
	}
	opts["deliveryTime"] = "yesterday"
	if got := callAPIError(t, "verify", bytesToJS(raw), opts); got.code != "ERR_BAD_ARGUMENT" {
		t.Errorf("bad deliveryTime: %+v", got)
	}
}
