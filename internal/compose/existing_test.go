package compose_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/mailseal/mailseal/internal/compose"
	"github.com/mailseal/mailseal/internal/mime"
	"github.com/mailseal/mailseal/internal/smime"
	"github.com/mailseal/mailseal/internal/testpki"
	"github.com/stretchr/testify/require"
)

// An 8-bit message as a mail client saves it: LF line breaks, UTF-8 text with
// trailing spaces and a "From " line, a binary attachment, an attached 8-bit message.
var eightBit = strings.Join([]string{
	"From: Zoë <zoe@example.com>",
	"To: bob@example.org",
	"Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=",
	"Date: Tue, 02 Jun 2026 12:00:00 +0000",
	"MIME-Version: 1.0",
	"Content-Type: multipart/mixed; boundary=outer",
	"Content-Transfer-Encoding: 8bit",
	"",
	"preamble",
	"--outer",
	"Content-Type: text/plain; charset=utf-8",
	"Content-Transfer-Encoding: 8bit",
	"",
	"Grüße,   ",
	"From here on: naïve.",
	"--outer",
	"Content-Type: application/octet-stream; name=\"blöb.bin\"",
	"Content-Transfer-Encoding: binary",
	"Content-Disposition: attachment; filename=\"blöb.bin\"",
	"Content-Description: Grüße   ",
	"",
	"\x00\x01\xfe\xffbinary",
	"--outer",
	"Content-Type: text/plain; charset=us-ascii",
	"Content-Transfer-Encoding: base64",
	"",
	"c2FmZSBhbHJlYWR5Cg==",
	"--outer",
	"Content-Type: message/rfc822",
	"",
	"From: Bob <bob@example.org>",
	"Subject: earlier",
	"Content-Type: text/plain; charset=utf-8",
	"Content-Transfer-Encoding: 8bit",
	"",
	"Antwort: schön.",
	"--outer--",
	"",
}, "\n")

func TestPrepare(t *testing.T) {
	m, err := compose.Prepare([]byte(eightBit))
	require.NoError(t, err)
	checkEntity(t, m.Entity)
	if m.Header.Get("Content-Type") != "" || m.Header.Get("Subject") != "=?utf-8?q?Gr=C3=BC=C3=9Fe?=" || m.Header.Get("From") == "" {
		t.Fatalf("outer header: %v", m.Header.Map())
	}
	e, err := mime.Parse(m.Entity, mime.DefaultLimits)
	require.NoError(t, err)
	if e.MediaType != "multipart/mixed" || len(e.Children) != 4 || e.Header.Get("Content-Transfer-Encoding") != "" {
		t.Fatalf("entity: %s, %d parts, CTE %q", e.MediaType, len(e.Children), e.Header.Get("Content-Transfer-Encoding"))
	}
	text, _ := e.Children[0].Decoded()
	if string(text) != "Grüße,   \r\nFrom here on: naïve." || e.Children[0].Header.Get("Content-Transfer-Encoding") != "quoted-printable" {
		t.Fatalf("text: %q", text)
	}
	blob, _ := e.Children[1].Decoded()
	if string(blob) != "\x00\x01\xfe\xffbinary" || e.Children[1].Header.Get("Content-Transfer-Encoding") != "base64" {
		t.Fatalf("binary: %q", blob)
	}
	// 8-bit header fields of the signed entity come out as RFC 2047 encoded words
	// (in quoted parameters, as go-message writes them and Outlook and Gmail read them).
	if cd := e.Children[1].Header.Get("Content-Disposition"); cd != `attachment; filename="=?utf-8?q?bl=C3=B6b.bin?="` {
		t.Fatalf("Content-Disposition %q", cd)
	}
	if d := e.Children[1].Header.Get("Content-Description"); d != "=?utf-8?q?Gr=C3=BC=C3=9Fe?=" {
		t.Fatalf("Content-Description %q", d)
	}
	if string(e.Children[2].Body) != "c2FmZSBhbHJlYWR5Cg==" {
		t.Fatalf("a safe part must be kept byte for byte, got %q", e.Children[2].Body)
	}
	attached, err := mime.Parse(e.Children[3].Body, mime.DefaultLimits)
	require.NoError(t, err)
	if inner, _ := attached.Decoded(); string(inner) != "Antwort: schön." || attached.Header.Get("Subject") != "earlier" {
		t.Fatalf("attached message: %q", inner)
	}

	id, pki := identity(t, testpki.RSA2048, "zoe@example.com")
	signed, err := compose.SignDetached(m, id, at)
	require.NoError(t, err)
	if r := verify(t, signed, pki); r.Status != smime.StatusValid {
		t.Fatalf("verify: %s %v", r.Status, r.Reasons)
	}
}

func TestPrepareSimple(t *testing.T) {
	for name, c := range map[string]struct{ in, ct string }{
		"no MIME at all": {"From: a@example.com\nSubject: hi\n\nplain text\n", "text/plain; charset=us-ascii"},
		"UTF-8 no MIME":  {"From: a@example.com\n\nschön\n", "text/plain; charset=utf-8"},
		"mbox separator": {"From a@example.com Tue Jun  2 12:00:00 2026\nFrom: a@example.com\nContent-Type: text/plain\n\nhi\n", "text/plain"},
	} {
		m, err := compose.Prepare([]byte(c.in))
		require.NoError(t, err)
		e, _ := mime.Parse(m.Entity, mime.DefaultLimits)
		if got := e.Header.Get("Content-Type"); got != c.ct {
			t.Errorf("%s: Content-Type %q, want %q", name, got, c.ct)
		}
		checkEntity(t, m.Entity)
		if !bytes.HasSuffix(m.Entity, []byte("\r\n")) {
			t.Errorf("%s: entity %q", name, m.Entity)
		}
	}
	for _, bad := range []string{"", "no header at all", "Content-Type: multipart/mixed\n\nno boundary"} {
		if _, err := compose.Prepare([]byte(bad)); err == nil {
			t.Errorf("%q: prepared", bad)
		}
	}
}
