package mime

import (
	"strings"
	"testing"
)

func readable(t *testing.T, raw string, max int, charset Charset) (Text, bool) {
	t.Helper()
	e, err := Parse([]byte(raw), DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	return ReadableText(e, max, charset)
}

func TestReadableText(t *testing.T) {
	const alternative = "Content-Type: multipart/mixed; boundary=o\r\n\r\n" +
		"--o\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename=a.txt\r\n\r\nattached\r\n" +
		"--o\r\nContent-Type: multipart/alternative; boundary=i\r\n\r\n" +
		"--i\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>html</p>\r\n" +
		"--i\r\nContent-Type: text/plain; charset=\"iso-8859-1\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nGr=FC=DFe\r\n" +
		"--i--\r\n--o--\r\n"
	for _, tc := range []struct {
		name, raw string
		want      Text
	}{
		{"plain after html, attachment skipped, QP in Latin-1", alternative, Text{Type: "text/plain", Text: "Grüße"}},
		{"html when there is no plain part", "Content-Type: multipart/mixed; boundary=o\r\n\r\n--o\r\nContent-Type: image/png\r\n\r\nPNG\r\n--o\r\n" +
			"Content-Type: text/html\r\nContent-Transfer-Encoding: base64\r\n\r\nPGI+aGk8L2I+\r\n--o--\r\n", Text{Type: "text/html", Text: "<b>hi</b>"}},
		{"no Content-Type is text/plain", "Subject: x\r\n\r\nbody\r\n", Text{Type: "text/plain", Text: "body\r\n"}},
		{"bytes that are not UTF-8", "Content-Type: text/plain; charset=utf-8\r\n\r\na\xffb", Text{Type: "text/plain", Text: "a\uFFFDb"}},
	} {
		got, ok := readable(t, tc.raw, 1000, nil)
		if !ok || got != tc.want {
			t.Errorf("%s: got %+v, %v; want %+v", tc.name, got, ok, tc.want)
		}
	}
	for name, raw := range map[string]string{
		"only an image":                 "Content-Type: image/png\r\n\r\nPNG",
		"an attached message":           "Content-Type: message/rfc822\r\n\r\nSubject: inner\r\n\r\ninner text",
		"a transfer encoding unknown":   "Content-Type: text/plain\r\nContent-Transfer-Encoding: x-uuencode\r\n\r\nbody",
		"an opaque signature's wrapper": "Content-Type: application/pkcs7-mime; smime-type=signed-data\r\nContent-Transfer-Encoding: base64\r\n\r\nAQID",
	} {
		if got, ok := readable(t, raw, 1000, nil); ok {
			t.Errorf("%s: got %+v, want no text", name, got)
		}
	}
}

func TestReadableTextCharset(t *testing.T) {
	raw := "Content-Type: text/plain; charset=gbk\r\n\r\n\xc4\xe3\xba\xc3"
	var asked string
	gbk := func(label string, body []byte) (string, bool) {
		asked = label
		return "你好", string(body) == "\xc4\xe3\xba\xc3"
	}
	if got, _ := readable(t, raw, 100, gbk); got.Text != "你好" || asked != "gbk" {
		t.Errorf("with a decoder: %q (asked for %q), want 你好", got.Text, asked)
	}
	unknown := func(string, []byte) (string, bool) { return "", false }
	if got, _ := readable(t, raw, 100, unknown); got.Text != "\uFFFD" {
		t.Errorf("a label the decoder does not know: %q, want it read as UTF-8 (one U+FFFD for the run)", got.Text)
	}
}

func TestReadableTextIsCutOnACharacter(t *testing.T) {
	raw := "Content-Type: text/plain; charset=utf-8\r\n\r\n" + strings.Repeat("é", 3000)
	got, _ := readable(t, raw, 1001, nil)
	if !got.Truncated || got.Text != strings.Repeat("é", 500) {
		t.Errorf("cut at 1001 bytes: %d bytes, truncated %v; want 1000 bytes (500 é), truncated", len(got.Text), got.Truncated)
	}
	if got, _ := readable(t, raw, 6000, nil); got.Truncated || len(got.Text) != 6000 {
		t.Errorf("at the limit: %d bytes, truncated %v", len(got.Text), got.Truncated)
	}
}
