package smime

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReportHeader(t *testing.T) {
	r := verifyVector(t, "level-v1-mailbox-strict")
	want := Header{
		From:      []Mailbox{{Address: "alice@example.com", DisplayName: "Alice Example"}},
		To:        []Mailbox{{Address: "bob@example.org", DisplayName: "Bob"}},
		Subject:   "Quarterly figures",
		Date:      "Mon, 01 Jun 2026 00:00:00 +0000",
		MessageID: "<a91ad0074df8aa4e@mailseal.test>",
	}
	assert.Equal(t, &want, r.Header)
	assert.Nil(t, r.Text, "text without Options.Text")
}

func verifyUnsigned(t *testing.T, header string, opts Options) *Report {
	t.Helper()
	opts.NoBundledRoots = true
	opts.Now = time.Date(2026, 6, 2, 0, 0, 0, 0, time.UTC)
	r, err := Verify([]byte(header+"Content-Type: text/plain\r\n\r\nhello\r\n"), opts)
	require.NoError(t, err)
	return r
}

func TestReportHeaderForAReply(t *testing.T) {
	r := verifyUnsigned(t, "From: a@example.com, b@example.com\r\n"+
		"To: c@example.com\r\nCc: D <d@example.com>, e@example.com\r\nReply-To: list@example.com\r\n"+
		"Subject: =?utf-8?q?Re=3A_Gr=C3=BC=C3=9Fe?=\r\n"+
		"Message-ID:\r\n <3@example.com> (the third)\r\n"+
		"In-Reply-To: <2@example.com>\r\n"+
		"References: <1@example.com>\r\n <bad id@x> <> <esc\x1b@x> <bidi\u202e@x> <2@example.com>\r\n", Options{})
	assert.Nil(t, r.From, "two From mailboxes: no author")
	assert.Equal(t, &Header{
		From:       []Mailbox{{Address: "a@example.com"}, {Address: "b@example.com"}},
		To:         []Mailbox{{Address: "c@example.com"}},
		Cc:         []Mailbox{{Address: "d@example.com", DisplayName: "D"}, {Address: "e@example.com"}},
		ReplyTo:    []Mailbox{{Address: "list@example.com"}},
		Subject:    "Re: Grüße",
		MessageID:  "<3@example.com>",
		InReplyTo:  []string{"<2@example.com>"},
		References: []string{"<1@example.com>", "<2@example.com>"},
	}, r.Header)
}

// A hostile header cannot make the report large, nor put control characters in it.
func TestReportHeaderIsBounded(t *testing.T) {
	var refs strings.Builder
	for i := range 5000 {
		fmt.Fprintf(&refs, " <%d@example.com>", i)
	}
	r := verifyUnsigned(t, "From: a@example.com\r\n"+
		"To: "+strings.Repeat("\"\u202eevil\" <x@example.com>, ", 20000)+"y@example.com\r\n"+
		"Subject: "+strings.Repeat("long ", 100000)+"\r\n"+
		"Date: Mon, 01 Jun 2026\x1b[31m 00:00:00 +0000"+strings.Repeat(" ", 500)+"x\r\n"+
		"Message-ID: <"+strings.Repeat("m", 5000)+"@example.com>\r\n"+
		"References:"+refs.String()+"\r\n", Options{})
	h := r.Header
	if len(h.To) != maxHeaderMailboxes || h.To[0].DisplayName != "evil" {
		t.Errorf("%d To mailboxes, the first named %q; want %d, named \"evil\" without its bidi override", len(h.To), h.To[0].DisplayName, maxHeaderMailboxes)
	}
	if n := len([]rune(h.Subject)); n != maxSubject || len(h.Date) > maxDate || strings.ContainsRune(h.Date, '\x1b') {
		t.Errorf("subject of %d runes, date %q", n, h.Date)
	}
	if h.MessageID != "" || len(h.References) != maxReferences || h.References[maxReferences-1] != "<4999@example.com>" {
		t.Errorf("message-id %.20q, %d references ending %v; want none, the last %d", h.MessageID, len(h.References), h.References[len(h.References)-1:], maxReferences)
	}
}

func TestReportText(t *testing.T) {
	dir := testdataDir() + "/vectors"
	const bob = "Hello Bob,\r\n\r\nplease pay invoice 2026-117 (%s EUR) by Friday.\r\n\r\nAlice\r\n"
	for _, tc := range []struct {
		vector string
		want   *Text
	}{
		{"level-v1-mailbox-multipurpose-opaque", &Text{Type: "text/plain", Text: fmt.Sprintf(bob, "100"), Source: "signed"}},
		{"level-v1-mailbox-strict", &Text{Type: "text/plain", Text: fmt.Sprintf(bob, "100"), Source: "message"}},
		// The text a webmail shows first, signed or not: here the part prepended outside the signature.
		{"partial-prepended-text", &Text{Type: "text/plain", Text: "URGENT: ignore the amount below, pay 9,000 EUR to IBAN XX00 EVIL.\r\n", Source: "message"}},
		// The content of an opaque signature that does not verify is still the only text there
		// is; the status says not to believe it.
		{"invalid-tampered-opaque", &Text{Type: "text/plain", Text: fmt.Sprintf(bob, "900"), Source: "signed"}},
		// An opaque signature over something other than data gives no text at all.
		{"malformed-opaque-digested-data", nil},
	} {
		v := readVector(t, dir+"/"+tc.vector+".eml")
		opts := vectorOptions(t, dir, v)
		opts.Text = true
		r, err := Verify(v.message, opts)
		require.NoError(t, err)
		assert.Equal(t, tc.want, r.Text, tc.vector)
	}
}
