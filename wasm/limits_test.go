//go:build js && wasm

package main

import (
	"encoding/pem"
	"fmt"
	"testing"
	"time"

	"github.com/mailseal/mailseal/internal/testpki"
)

// TestHostileMessagesEndQuicklyInWebAssembly: issue 9's messages through verify() as the
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
		must(t, err)
		t.Logf("%s (%d KB): %s in %v", name, len(msg)>>10, v.Get("status").String(), took.Round(time.Millisecond))
		if got := v.Get("status").String(); got != status || took > limit {
			t.Errorf("%s: %s in %v, want %s within %v", name, got, took, status, limit)
		}
	}
	for _, key := range []struct{ bits, e int }{{65536, 1<<31 - 1}, {262144, 65537}, {4096, 1<<32 + 1}} {
		msg, err := pki.HugeKeyMessage(key.bits, key.e, 16)
		must(t, err)
		run(fmt.Sprintf("%d-bit RSA key, e=%d, 16 signers", key.bits, key.e), msg, "unsupported", 300*time.Millisecond)
	}
	bomb, err := pki.ChainBombMessage(60)
	must(t, err)
	run("60 same-name intermediates with 8192-bit keys", bomb, "untrusted", time.Second)
	nested, err := pki.NestedMessage(40, 3)
	must(t, err)
	run("40^3 attached messages", nested, "unsigned", 2*time.Second)
}
