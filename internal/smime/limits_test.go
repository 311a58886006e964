package smime

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/mailseal/mailseal/internal/cms"
	"github.com/mailseal/mailseal/internal/testpki"
)

// TestHostileKeysEndQuickly: a certificate with an RSA key beyond 8192 bits or an exponent
// beyond 2^32 is refused before any arithmetic, as a signer's certificate or as a further
// one in the set, with sixteen signers.
func TestHostileKeysEndQuickly(t *testing.T) {
	pki := testpki.MustNew(t)
	for _, key := range []struct{ bits, e int }{{65536, 1<<31 - 1}, {262144, 65537}, {4096, 1<<32 + 1}} {
		hostile, err := pki.HostileIdentity(testpki.MailboxProfile(testpki.Strict, "ana@bank.example"), testpki.HostileKey(key.bits, key.e))
		if err != nil {
			t.Fatal(err)
		}
		// cms.Sign will not sign for a key that does not match, so the signers are ordinary
		// and the hostile certificate rides along in the set, where a chain would find it.
		good := pki.MustIssue(t, testpki.MailboxProfile(testpki.Strict, "ana@bank.example"))
		good.Chain = append(good.Chain, hostile.Certificate)
		ids := make([]*testpki.Identity, 16)
		for i := range ids {
			ids[i] = good
		}
		msg, err := testpki.SignedMessage(testpki.Header{From: "ana@bank.example"}, testpki.TextContent("Pay.\n"), ids, cms.SignOptions{Detached: true, SigningTime: testpki.Epoch})
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		r := verifyWith(t, pki, msg, Options{Now: testpki.Epoch.Add(time.Hour)})
		took := time.Since(start)
		if r.Status != StatusUnsupported || !strings.Contains(joined(r), "RSA key too large") {
			t.Errorf("%d bits, e=%d: %s %q", key.bits, key.e, r.Status, joined(r))
		}
		if took > 100*time.Millisecond {
			t.Errorf("%d bits, e=%d: took %v", key.bits, key.e, took)
		}
	}
}

// TestChainBuildingIsBounded: sixty intermediates named as the signer's issuer, each with
// an 8192-bit key its signature has the size for, cost at most a few checks.
func TestChainBuildingIsBounded(t *testing.T) {
	pki := testpki.MustNew(t)
	prof := testpki.MailboxProfile(testpki.Strict, "ana@bank.example")
	prof.Subject.CommonName = "Ana Chain Bomb"
	id := pki.MustIssue(t, prof)
	if err := pki.ChainBomb(id, 60); err != nil {
		t.Fatal(err)
	}
	msg, err := testpki.SignedMessage(testpki.Header{From: "ana@bank.example"}, testpki.TextContent("Pay.\n"), []*testpki.Identity{id}, cms.SignOptions{Detached: true, SigningTime: testpki.Epoch})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	r := verifyWith(t, pki, msg, Options{Now: testpki.Epoch.Add(time.Hour)})
	if took := time.Since(start); took > 150*time.Millisecond {
		t.Errorf("took %v", took)
	}
	if r.Status != StatusUntrusted {
		t.Errorf("%s %q", r.Status, joined(r))
	}
}

// nestedBomb is a message attaching fan messages, each attaching fan more, depth levels
// deep: tiny messages at the bottom, a signed one in the first branch.
func nestedBomb(t *testing.T, fan, depth int) []byte {
	t.Helper()
	pki := testpki.MustNew(t)
	id := pki.MustIssue(t, testpki.MailboxProfile(testpki.Strict, "ana@bank.example"))
	signed := signedAt(t, id, testpki.Header{Date: testpki.Epoch}, testpki.Epoch)
	tiny := []byte("From: a@example.net\r\n\r\nx\r\n")
	first, msg := signed, tiny
	for range depth {
		parts := make([][]byte, fan)
		for i := range parts {
			parts[i] = testpki.AttachedMessage(msg)
		}
		parts[0] = testpki.AttachedMessage(first)
		wrap := func(parts [][]byte) []byte {
			return append([]byte("From: mallory@example.net\r\nMIME-Version: 1.0\r\n"), testpki.Mixed(parts...)...)
		}
		first = wrap(parts)
		parts[0] = testpki.AttachedMessage(msg)
		msg = wrap(parts)
	}
	return first
}

// TestAttachedMessagesShareOneBudget: 40^3 attached messages (one of them signed) end
// in under a second with a report under 1 MB that says what was skipped.
func TestAttachedMessagesShareOneBudget(t *testing.T) {
	msg := nestedBomb(t, 40, 3)
	start := time.Now()
	r, err := Verify(msg, Options{Now: testpki.Epoch.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	out, _ := json.Marshal(r)
	t.Logf("%d KB message: %v, report %d KB, skipped %q", len(msg)>>10, took, len(out)>>10, r.Skipped)
	if took > time.Second || len(out) > 1<<20 {
		t.Errorf("%d KB message: %v, report %d KB", len(msg)>>10, took, len(out)>>10)
	}
	if len(r.Skipped) == 0 || !bytes.Contains(out, []byte("were not verified")) && !strings.Contains(strings.Join(r.Skipped, " "), "not verified") {
		t.Errorf("skipped: %q", r.Skipped)
	}
}
