package mime

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const signedCRLF = "From: a@example.com\r\n" +
	"Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256;\r\n" +
	" boundary=\"b1\"\r\n" +
	"\r\n" +
	"preamble\r\n" +
	"--b1\r\n" +
	"Content-Type: text/plain\r\n" +
	"\r\n" +
	"hello\r\n" +
	"--b1 \t\r\n" + // transport padding after the delimiter
	"Content-Type: application/pkcs7-signature\r\n" +
	"Content-Transfer-Encoding: base64\r\n" +
	"\r\n" +
	"AQID\r\n" +
	"--b1--\r\n" +
	"epilogue\r\n"

func TestParseKeepsRawBytes(t *testing.T) {
	e, err := Parse([]byte(signedCRLF), DefaultLimits)
	require.NoError(t, err)
	if e.MediaType != "multipart/signed" || len(e.Children) != 2 {
		t.Fatalf("got %s with %d parts", e.MediaType, len(e.Children))
	}
	// The first part is exactly the bytes between the delimiter lines, without the CRLF before "--b1".
	if got, want := string(e.Children[0].Raw), "Content-Type: text/plain\r\n\r\nhello"; got != want {
		t.Errorf("part 1 raw = %q, want %q", got, want)
	}
	sig, err := e.Children[1].Decoded()
	if err != nil || string(sig) != "\x01\x02\x03" {
		t.Errorf("signature = %q, %v", sig, err)
	}
	if e.Children[1].Path != "2" {
		t.Errorf("path %q", e.Children[1].Path)
	}
	if got := e.Header.Get("content-type"); !strings.Contains(got, `boundary="b1"`) {
		t.Errorf("folded header not unfolded: %q", got)
	}
}

func TestParseLFLineEnds(t *testing.T) {
	lf := strings.ReplaceAll(signedCRLF, "\r\n", "\n")
	e, err := Parse([]byte(lf), DefaultLimits)
	require.NoError(t, err)
	part := e.Children[0].Raw
	if string(part) != "Content-Type: text/plain\n\nhello" {
		t.Fatalf("part 1 raw = %q", part)
	}
	if got := string(CRLF(part)); got != "Content-Type: text/plain\r\n\r\nhello" {
		t.Errorf("CRLF = %q", got)
	}
}

func TestCRLFLeavesCanonicalInputAlone(t *testing.T) {
	in := []byte("a\r\nb\r\n")
	if out := CRLF(in); &out[0] != &in[0] {
		t.Error("CRLF copied input that was already canonical")
	}
	if got := string(CRLF([]byte("\na\r\nb\nc"))); got != "\r\na\r\nb\r\nc" {
		t.Errorf("CRLF = %q", got)
	}
}

// TestCRLFMatchesByteByByte checks the IndexByte-hopping CRLF against the plain
// byte-by-byte definition on every string of CR, LF and 'x' up to six bytes long.
func TestCRLFMatchesByteByByte(t *testing.T) {
	reference := func(b []byte) string {
		var out []byte
		for i, c := range b {
			if c == '\n' && (i == 0 || b[i-1] != '\r') {
				out = append(out, '\r')
			}
			out = append(out, c)
		}
		return string(out)
	}
	alphabet := []byte{'\r', '\n', 'x'}
	var walk func(prefix []byte)
	walk = func(prefix []byte) {
		if got, want := string(CRLF(append([]byte(nil), prefix...))), reference(prefix); got != want {
			t.Fatalf("CRLF(%q) = %q, want %q", prefix, got, want)
		}
		if len(prefix) == 6 {
			return
		}
		for _, c := range alphabet {
			walk(append(prefix, c))
		}
	}
	walk(nil)
}

func BenchmarkCRLF(b *testing.B) {
	line := bytes.Repeat([]byte("x"), 76)
	lf := bytes.Repeat(append(line, '\n'), 65536) // about 5 MB
	crlf := bytes.Repeat(append(line, '\r', '\n'), 65536)
	b.Run("LF", func(b *testing.B) {
		b.SetBytes(int64(len(lf)))
		for b.Loop() {
			CRLF(lf)
		}
	})
	b.Run("CRLF", func(b *testing.B) {
		b.SetBytes(int64(len(crlf)))
		for b.Loop() {
			CRLF(crlf)
		}
	})
}

func TestBoundaryPrefixIsNotADelimiter(t *testing.T) {
	msg := "Content-Type: multipart/mixed; boundary=ab\r\n\r\n--ab\r\n\r\n--abc is text\r\n--ab--\r\n"
	e, err := Parse([]byte(msg), DefaultLimits)
	require.NoError(t, err)
	if len(e.Children) != 1 || string(e.Children[0].Body) != "--abc is text" {
		t.Fatalf("children %d, body %q", len(e.Children), e.Children[0].Body)
	}
}

func TestLimits(t *testing.T) {
	deep := ""
	for i := 0; i < 40; i++ {
		deep += fmt.Sprintf("Content-Type: multipart/mixed; boundary=b%d\r\n\r\n--b%d\r\n", i, i)
	}
	if _, err := Parse([]byte(deep), DefaultLimits); !errors.Is(err, ErrLimit) {
		t.Errorf("deep nesting: %v", err)
	}
	many := "Content-Type: multipart/mixed; boundary=x\r\n\r\n" + strings.Repeat("--x\r\n\r\nhi\r\n", 3000) + "--x--\r\n"
	if _, err := Parse([]byte(many), DefaultLimits); !errors.Is(err, ErrLimit) {
		t.Errorf("many parts: %v", err)
	}
	fields := strings.Repeat("X-A: b\r\n", 3000) + "\r\nbody"
	if _, err := Parse([]byte(fields), DefaultLimits); !errors.Is(err, ErrLimit) {
		t.Errorf("many fields: %v", err)
	}
}

func TestMalformedInputIsAnError(t *testing.T) {
	for _, in := range []string{
		" continuation first\r\n\r\n",
		"no colon here\r\n\r\n",
		"Content-Type: multipart/mixed\r\n\r\nno boundary",
		"Content-Type: multipart/mixed; boundary=q\r\n\r\nnothing matches",
	} {
		if _, err := Parse([]byte(in), DefaultLimits); err == nil {
			t.Errorf("Parse(%q) succeeded", in)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(signedCRLF))
	f.Add([]byte(strings.ReplaceAll(signedCRLF, "\r\n", "\n")))
	f.Add([]byte("Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: message/rfc822\r\n\r\nFrom: a\r\n\r\nb\r\n--x--"))
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := Parse(data, DefaultLimits)
		if err != nil {
			return
		}
		walkAll(e, func(p *Entity) {
			_, _ = p.Decoded()
			_ = p.Filename()
		})
	})
}

func walkAll(e *Entity, f func(*Entity)) {
	f(e)
	for _, c := range e.Children {
		walkAll(c, f)
	}
}

func TestMboxSeparatorOnlyWhenItIsOne(t *testing.T) {
	e, err := Parse([]byte("From alice@example.com Sat Nov 28 12:00:00 2026\r\nSubject: x\r\n\r\nbody"), DefaultLimits)
	if err != nil || len(e.Header.Fields) != 1 || e.Header.Get("Subject") != "x" {
		t.Fatalf("mbox line: %v %+v", err, e.Header.Fields)
	}
	e, err = Parse([]byte("From : boss@bank.example\r\nSubject: x\r\n\r\nbody"), DefaultLimits)
	if err != nil || e.Header.Get("From") != "boss@bank.example" {
		t.Fatalf("obsolete From field dropped: %v %+v", err, e.Header.Fields)
	}
}

// TestDuplicateSingletonFields: two Content-Type, Content-Transfer-Encoding or MIME-Version
// fields in one entity, at the top or in a part, make the message unreadable.
func TestDuplicateSingletonFields(t *testing.T) {
	for _, in := range []string{
		"Content-Type: text/plain\r\nContent-Type: text/html\r\n\r\nx",
		"MIME-Version: 1.0\r\nmime-version: 1.0\r\n\r\nx",
		"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Transfer-Encoding: base64\r\nContent-Transfer-Encoding: 7bit\r\n\r\nx\r\n--b--\r\n",
	} {
		if _, err := Parse([]byte(in), DefaultLimits); !errors.Is(err, ErrDuplicateField) {
			t.Errorf("%q: %v", in, err)
		}
	}
	if _, err := Parse([]byte("Content-Type: text/plain\r\nReceived: a\r\nReceived: b\r\n\r\nx"), DefaultLimits); err != nil {
		t.Errorf("repeated Received: %v", err)
	}
}
