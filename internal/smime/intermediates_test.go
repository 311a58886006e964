package smime

import (
	"bytes"
	"crypto/x509"
	"testing"

	"github.com/mailseal/mailseal/internal/cms"
	"github.com/mailseal/mailseal/internal/testpki"
)

// TestRememberedIntermediateCompletesLeafOnlyChain: list mail often carries the signer's
// certificate alone; an intermediate remembered from earlier valid mail completes the chain,
// offline, and an unrelated one does not.
func TestRememberedIntermediateCompletesLeafOnlyChain(t *testing.T) {
	pki := testpki.MustNew(t)
	id := pki.MustIssue(t, testpki.MailboxProfile(testpki.Strict, "ana@bank.example"))
	leafOnly := *id
	leafOnly.Chain = nil
	msg, err := testpki.SignedMessage(testpki.Header{From: "ana@bank.example", To: "you@example.com", Subject: "s"},
		testpki.TextContent("hello"), []*testpki.Identity{&leafOnly}, cms.SignOptions{Detached: true, SigningTime: testpki.Epoch})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name          string
		intermediates []*x509.Certificate
		want          Status
	}{
		{"none remembered", nil, StatusUntrusted},
		{"an unrelated CA remembered", []*x509.Certificate{pki.OtherRoot}, StatusUntrusted},
		{"its issuer remembered", []*x509.Certificate{pki.OtherRoot, pki.Intermediate}, StatusValid},
	} {
		r := verifyWith(t, pki, msg, Options{Intermediates: tc.intermediates})
		if r.Status != tc.want {
			t.Errorf("%s: status %s (%v), want %s", tc.name, r.Status, r.Reasons, tc.want)
		}
		if tc.want == StatusValid {
			if len(r.ChainDER) != 3 || !bytes.Equal(r.ChainDER[0], id.Certificate.Raw) || !bytes.Equal(r.ChainDER[1], pki.Intermediate.Raw) {
				t.Errorf("%s: ChainDER has %d certificates, want leaf, intermediate, root", tc.name, len(r.ChainDER))
			}
		}
	}
}
