package smime

import (
	"strings"
	"testing"

	"github.com/mailseal/mailseal/internal/testpki"
)

func TestPartsListsBodiesAndAttachments(t *testing.T) {
	attachment := []byte("Content-Type: application/pdf; name=\"a.pdf\"\r\nContent-Transfer-Encoding: base64\r\n" +
		"Content-Disposition: attachment; filename=\"statement.pdf\"\r\n\r\nJVBERi0xLjQ=\r\n")
	named := []byte("Content-Type: text/plain; charset=utf-8; name=\"notes.txt\"\r\n\r\nnotes\r\n")
	html := []byte("Content-Type: text/html; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n<p>Gr=FC=DFe</p>\r\n")
	content := testpki.Mixed(testpki.Alternative(testpki.TextContent("hello\n"), html), attachment, named)
	parts, err := Parts(content)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		path, typ, charset, name string
		attachment               bool
		data                     string
	}{
		{"1.1", "text/plain", "utf-8", "", false, "hello\r\n"},
		{"1.2", "text/html", "iso-8859-1", "", false, "<p>Gr\xfc\xdfe</p>\r\n"},
		{"2", "application/pdf", "", "statement.pdf", true, "%PDF-1.4"},
		{"3", "text/plain", "utf-8", "notes.txt", true, "notes\r\n"},
	}
	if len(parts) != len(want) {
		t.Fatalf("%d parts: %+v", len(parts), parts)
	}
	for i, w := range want {
		p := parts[i]
		if p.Path != w.path || p.Type != w.typ || p.Charset != w.charset || p.Name != w.name || p.Attachment != w.attachment || string(p.Data) != w.data {
			t.Errorf("part %d: %+v %q, want %+v", i, p, p.Data, w)
		}
	}
}

func TestPartsRefusesDamagedAndEndlessContent(t *testing.T) {
	bad := []byte("Content-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!not base64!!!\r\n")
	if _, err := Parts(testpki.Mixed(testpki.TextContent("x\n"), bad)); err == nil {
		t.Error("a part that does not decode was listed")
	}
	many := make([][]byte, maxShownParts+1)
	for i := range many {
		many[i] = testpki.TextContent(strings.Repeat("x", i+1) + "\n")
	}
	if _, err := Parts(testpki.Mixed(many...)); err == nil || !strings.Contains(err.Error(), "more than") {
		t.Errorf("%d parts: %v", len(many), err)
	}
}
