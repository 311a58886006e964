package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// The first line tells V1 apart from V2–V4 by its word, and calls out a display-name trick;
// the level's sentence follows unchanged, with the level once.
func TestVerifyFirstLine(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "vectors")
	for name, want := range map[string]string{
		"level-v1-mailbox-strict":  "Address confirmed: V1 · alice@example.com · Email Validated, Identity Not Validated",
		"level-v3-organization":    "Verified: V3 · sales@acme.example · Acme Ltd (GB), Identity Validated and Trusted",
		"level-v4-sponsor-title":   "Verified: V4 · alice@acme.example · Alice Liddell, Acme Ltd (GB), Buyer, Identity Validated and Trusted",
		"valid-display-name-trick": "Check the sender: V1 · eve@evil.example · Email Validated, Identity Not Validated",
		"invalid-tampered-body":    "Invalid signature: the message was changed after it was signed, or the signature is forged. Do not trust it.",
	} {
		_, out, errOut := runCLI(t, nil, "verify", "--now=2026-06-02T00:00:00Z", "--roots", filepath.Join(dir, "root.pem"), filepath.Join(dir, name+".eml"))
		if got, _, _ := strings.Cut(out, "\n"); got != want {
			t.Errorf("%s: first line %q\nwant %q\n%s", name, got, want, errOut)
		}
		if strings.Count(out, " V1 ·")+strings.Count(out, " V3 ·")+strings.Count(out, " V4 ·") > 1 {
			t.Errorf("%s: the level appears more than once:\n%s", name, out)
		}
	}
	_, out, _ := runCLI(t, nil, "verify", "--now=2026-06-02T00:00:00Z", "--roots", filepath.Join(dir, "root.pem"), filepath.Join(dir, "valid-display-name-trick.eml"))
	if !strings.Contains(out, `signed by eve@evil.example, but the display name "boss@bank.com" shows another address`) {
		t.Errorf("the reasons do not say what the display name claimed:\n%s", out)
	}
}
