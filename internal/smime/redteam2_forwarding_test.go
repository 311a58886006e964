package smime

import (
	"strings"
	"testing"

	"github.com/mailseal/mailseal/internal/cms"
	"github.com/mailseal/mailseal/internal/testpki"
)

// Surreptitious forwarding: alice signed a message to carol (protected To); whoever received it
// encrypted it again to bob. Bob's verdict must say, where he reads it first, that it was
// written to someone else: a note in the details is not enough beside "Encrypted and signed ·
// Alice Liddell, Identity Validated".
func TestOpenSaysForwardedSignedContentWasNotWrittenToTheReader(t *testing.T) {
	f := newEncryptionFixture(t)
	inner := append([]byte("To: carol@example.net\r\n"), secretText...)
	signed, err := testpki.SignedEntity(inner, []*testpki.Identity{f.alice}, cms.SignOptions{})
	if err != nil {
		t.Fatal(err)
	}
	o, err := Open(f.encrypted(t, signed, cms.EncryptOptions{Authenticated: true}, f.bob), f.keys(f.bob), f.opts)
	if err != nil {
		t.Fatal(err)
	}
	r := o.Report
	if !strings.HasSuffix(r.Banner, " · written to carol@example.net, not to you") {
		t.Fatalf("status %s, banner %q, reasons %v: nothing but a note says bob was not the one written to", r.Status, r.Banner, r.Reasons)
	}
}

// The signed content names the reader (among others): nothing to add.
func TestOpenSignedContentWrittenToTheReader(t *testing.T) {
	f := newEncryptionFixture(t)
	inner := append([]byte("To: Bob <BOB@example.org>, carol@example.net\r\n"), secretText...)
	signed, err := testpki.SignedEntity(inner, []*testpki.Identity{f.alice}, cms.SignOptions{})
	if err != nil {
		t.Fatal(err)
	}
	o, err := Open(f.encrypted(t, signed, cms.EncryptOptions{Authenticated: true}, f.bob), f.keys(f.bob), f.opts)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(o.Report.Banner, "not to you") {
		t.Fatalf("banner %q", o.Report.Banner)
	}
}
