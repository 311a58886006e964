package smime

import (
	"crypto/x509"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/mailseal/mailseal/internal/cms"
	"github.com/mailseal/mailseal/internal/testpki"
	"github.com/stretchr/testify/require"
)

// TestReportSentencesAreCleaned: whatever a check writes into a reason, note or detail (a
// certificate name, a parser error quoting the input) leaves without a bidi override or a
// terminal escape.
func TestReportSentencesAreCleaned(t *testing.T) {
	hostile := "certificate \u202emoc.knab\u202c \x1b[32mverified\x1b[0m"
	o := &outcome{Report: &Report{Reasons: []string{}, Checks: []Check{}}, statuses: map[Status]bool{}}
	o.fail(StatusMalformed, say("error", hostile))
	o.note(say("error", hostile))
	o.check("structure", false, say("error", hostile))
	o.finish()
	for _, s := range []string{o.Reasons[0], o.Notes[0], o.Checks[0].Detail, o.ReasonCodes[0].Args[0], o.NoteCodes[0].Args[0], o.Checks[0].Args[0]} {
		if strings.IndexFunc(s, func(r rune) bool { return unicode.In(r, unicode.Cc, unicode.Cf) }) >= 0 {
			t.Errorf("control or format character left in %q", s)
		}
		if !strings.Contains(s, "moc.knab") {
			t.Errorf("the text itself was lost: %q", s)
		}
	}
}

// TestCertificateNamesInReasonsAreQuoted: a certificate name with a bidi override and an
// escape, named by the reason for an expiry, arrives quoted and clean.
func TestCertificateNamesInReasonsAreQuoted(t *testing.T) {
	pki := testpki.MustNew(t)
	prof := testpki.MailboxProfile(testpki.Strict, "ana@bank.example")
	prof.Subject.CommonName = "\u202emoc.knab\u202c \x1b[32mverified\x1b[0m"
	prof.NotBefore, prof.NotAfter = testpki.Epoch.Add(-60*24*time.Hour), testpki.Epoch.Add(-30*24*time.Hour)
	id := pki.MustIssue(t, prof)
	h := testpki.Header{From: "ana@bank.example", Date: testpki.Epoch}
	msg, err := testpki.SignedMessage(h, testpki.TextContent("hello"), []*testpki.Identity{id}, cms.SignOptions{Detached: true, SigningTime: testpki.Epoch})
	require.NoError(t, err)
	r, err := Verify(msg, Options{Roots: []*x509.Certificate{pki.Root}, NoBundledRoots: true, Now: testpki.Epoch.Add(time.Hour)})
	require.NoError(t, err)
	if r.Status != StatusExpired {
		t.Fatalf("status %s, want expired", r.Status)
	}
	texts := append(append([]string{r.LevelReason}, r.Reasons...), r.Notes...)
	for _, c := range r.Checks {
		texts = append(texts, c.Detail)
	}
	quoted := false
	for _, s := range texts {
		quoted = quoted || strings.Contains(s, "moc.knab")
		if i := strings.IndexFunc(s, func(r rune) bool { return unicode.In(r, unicode.Cc, unicode.Cf) }); i >= 0 {
			t.Errorf("control or format character in %q", s)
		}
	}
	if !quoted {
		t.Errorf("no reason names the certificate: %q", texts)
	}
}

// TestNoLevelTickBesideAFailure: a sponsor-validated certificate that signed mail From another
// address gives a mismatch, and its level check is no tick: the type is reported, not vouched.
func TestNoLevelTickBesideAFailure(t *testing.T) {
	pki := testpki.MustNew(t)
	id := pki.MustIssue(t, testpki.SponsorProfile(testpki.Strict, "erin@acme.example", "Erin", "Walsh", "Acme Ltd", "NTRGB-12345678", "GB", "Buyer"))
	for _, c := range []struct {
		from string
		want Status
	}{{"erin@acme.example", StatusValid}, {"ceo@bank.example", StatusMismatch}} {
		h := testpki.Header{From: c.from, Date: testpki.Epoch}
		msg, err := testpki.SignedMessage(h, testpki.TextContent("hello"), []*testpki.Identity{id}, cms.SignOptions{Detached: true})
		require.NoError(t, err)
		r, err := Verify(msg, Options{Roots: []*x509.Certificate{pki.Root}, NoBundledRoots: true, Now: testpki.Epoch.Add(time.Hour)})
		require.NoError(t, err)
		var level *Check
		for i := range r.Checks {
			if r.Checks[i].Name == "level" {
				level = &r.Checks[i]
			}
		}
		if r.Status != c.want || level == nil || level.OK != (c.want == StatusValid) || !strings.Contains(level.Detail, "sponsor-validated") {
			t.Errorf("From %s: status %s, level check %+v", c.from, r.Status, level)
		}
	}
}
