package recipient

import (
	"crypto/x509"
	"encoding/pem"
	"testing"
	"time"

	"github.com/mailseal/mailseal/internal/memory"
	"github.com/mailseal/mailseal/internal/smime"
	"github.com/mailseal/mailseal/internal/testpki"
)

// Red team: a file that brings its own root (a .p7c or .pem with the whole chain, as an
// attacker would send "the bank's certificate"), a self-signed certificate, and one issued to a
// look-alike of the recipient's address are not certificates to encrypt to.
func TestFindRefusesFilesThatBringTheirOwnTrust(t *testing.T) {
	pki := testpki.MustNew(t)
	now := testpki.Epoch.Add(time.Hour)
	opts := smime.Options{Roots: []*x509.Certificate{pki.Root}, NoBundledRoots: true, Now: now}
	pemOf := func(certs ...*x509.Certificate) []byte {
		var out []byte
		for _, c := range certs {
			out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
		}
		return out
	}
	other := testpki.MailboxProfile(testpki.Strict, "alerts@bank.example")
	other.Issuer = testpki.ByOtherRoot
	withRoot := issue(t, pki, other, encrypting)
	self := testpki.MailboxProfile(testpki.Strict, "alerts@bank.example")
	self.Issuer = testpki.SelfSigned
	selfSigned := issue(t, pki, self, encrypting)
	lookalike := issue(t, pki, testpki.MailboxProfile(testpki.Strict, "alerts@bank.example.net"), encrypting)
	for name, data := range map[string][]byte{
		"chain with its own root": pemOf(append([]*x509.Certificate{withRoot.Certificate}, append(withRoot.Chain, pki.OtherRoot)...)...),
		"self-signed":             pemOf(selfSigned.Certificate),
		"look-alike address":      pemOf(lookalike.Certificate),
	} {
		f, err := ReadFile(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, addr := range []string{"alerts@bank.example", "ALERTS@bank.example"} {
			if c := Find([]string{addr}, memory.New(), []File{f}, opts)[0]; c.Usable {
				t.Errorf("%s: usable for %s (%s %s)", name, addr, c.Level, c.Shown)
			}
		}
	}
}
