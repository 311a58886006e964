package smime

import (
	"bytes"
	"crypto/x509"
	"strings"
	"testing"
	"time"

	"github.com/mailseal/mailseal/internal/cms"
	"github.com/mailseal/mailseal/internal/testpki"
	"github.com/stretchr/testify/require"
)

// TestLargeMessagesGiveTheSameVerdicts: from prehashMin up, the digest is started before
// the chain is built (cms.SignedData.Prehash, prepareChains). Each case must give the
// verdict the same message gives below that size, including a certificate that had
// expired at delivery but not at signing, where the chain prepared at the delivery time
// fails and the one after the signature check, at the signing time, succeeds.
func TestLargeMessagesGiveTheSameVerdicts(t *testing.T) {
	pki := testpki.MustNew(t)
	prof := testpki.MailboxProfile(testpki.Strict, "ana@bank.example")
	prof.NotBefore, prof.NotAfter = testpki.Epoch.Add(-30*24*time.Hour), testpki.Epoch.Add(24*time.Hour)
	id := pki.MustIssue(t, prof)
	signed := testpki.Epoch
	cases := []struct {
		name     string
		received time.Time
		roots    []*x509.Certificate
		tamper   bool
		want     Status
		note     string
	}{
		{"valid", signed.Add(time.Minute), []*x509.Certificate{pki.Root}, false, StatusValid, ""},
		{"expired in transit", signed.Add(48 * time.Hour), []*x509.Certificate{pki.Root}, false, StatusValid, "transit window"},
		{"tampered", signed.Add(time.Minute), []*x509.Certificate{pki.Root}, true, StatusInvalid, ""},
		{"untrusted", signed.Add(time.Minute), []*x509.Certificate{pki.OtherRoot}, false, StatusUntrusted, ""},
	}
	for _, size := range []int{1 << 10, 2 * prehashMin} {
		line := []byte("Pay 100 EUR to account 1, reference 2026-06.\r\n")
		body := bytes.Repeat(line, size/len(line)+1)
		content := append([]byte("Content-Type: text/plain\r\n\r\n"), body...)
		for _, c := range cases {
			h := testpki.Header{From: "ana@bank.example", To: "you@example.com", Date: signed, Received: c.received}
			msg, err := testpki.SignedMessage(h, content, []*testpki.Identity{id}, cms.SignOptions{Detached: true, SigningTime: signed})
			require.NoError(t, err)
			if c.tamper {
				msg = bytes.Replace(msg, []byte("100 EUR"), []byte("900 EUR"), 1)
			}
			r, err := Verify(msg, Options{Roots: c.roots, NoBundledRoots: true, Now: c.received.Add(time.Hour)})
			require.NoError(t, err)
			if r.Status != c.want || !strings.Contains(strings.Join(r.Notes, " "), c.note) {
				t.Errorf("%d bytes, %s: %s %q, notes %q; want %s", len(content), c.name, r.Status, r.Reasons, r.Notes, c.want)
			}
		}
	}
}
