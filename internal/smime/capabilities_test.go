package smime

import (
	"testing"

	"github.com/mailseal/mailseal/internal/cms"
	"github.com/mailseal/mailseal/internal/testpki"
)

// TestSignerAnnouncesGCM: a signature whose SMIMECapabilities list AES-256-GCM says so in the
// report (what encrypting back to the signer may use); one without the attribute does not.
func TestSignerAnnouncesGCM(t *testing.T) {
	pki := testpki.MustNew(t)
	id := pki.MustIssue(t, testpki.MailboxProfile(testpki.Strict, "ana@bank.example"))
	for _, capabilities := range []bool{true, false} {
		msg, err := testpki.SignedMessage(testpki.Header{From: "ana@bank.example", To: "you@example.com", Subject: "s"},
			testpki.TextContent("hello"), []*testpki.Identity{id}, cms.SignOptions{Detached: true, SigningTime: testpki.Epoch, Capabilities: capabilities})
		if err != nil {
			t.Fatal(err)
		}
		r := verifyWith(t, pki, msg, Options{})
		if r.Status != StatusValid || r.Signer.GCM != capabilities {
			t.Errorf("capabilities %v: status %s, GCM %v", capabilities, r.Status, r.Signer.GCM)
		}
	}
}
