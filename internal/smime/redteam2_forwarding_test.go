package smime

import (
	"strings"
	"testing"

	"github.com/mailseal/mailseal/internal/cms"
	"github.com/mailseal/mailseal/internal/testpki"
)

// openForwarded opens a message alice signed with the protected header To: to, encrypted
// (again) to bob alone, as bob.
func openForwarded(t *testing.T, to string) *Report {
	t.Helper()
	f := newEncryptionFixture(t)
	signed, err := testpki.SignedEntity(append([]byte("To: "+to+"\r\n"), secretText...), []*testpki.Identity{f.alice}, cms.SignOptions{})
	if err != nil {
		t.Fatal(err)
	}
	o, err := Open(f.encrypted(t, signed, cms.EncryptOptions{Authenticated: true}, f.bob), f.keys(f.bob), f.opts)
	if err != nil {
		t.Fatal(err)
	}
	return o.Report
}

// Surreptitious forwarding: alice signed a message to carol; whoever received it encrypted it
// again to bob. Bob's banner must say it was written to someone else, where he reads who signed:
// a note in the details is not enough beside "Encrypted and signed · Alice Liddell, Identity
// Validated".
func TestOpenSaysForwardedSignedContentWasNotWrittenToTheReader(t *testing.T) {
	if r := openForwarded(t, "carol@example.net"); !strings.HasSuffix(r.Banner, " · written to carol@example.net, not to you") {
		t.Fatalf("status %s, banner %q: nothing but a note says bob was not the one written to", r.Status, r.Banner)
	}
}

// The signed content names the reader (among others): nothing to add.
func TestOpenSignedContentWrittenToTheReader(t *testing.T) {
	if r := openForwarded(t, "Bob <BOB@example.org>, carol@example.net"); strings.Contains(r.Banner, "not to you") {
		t.Fatalf("banner %q", r.Banner)
	}
}
