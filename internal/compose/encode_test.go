package compose

import (
	"bytes"
	"encoding/base64"
	"io"
	"math/rand/v2"
	"mime/quotedprintable"
	"testing"
)

// checkTransportSafe fails unless b is what no relay changes: ASCII, CRLF only,
// lines of at most max octets, no white space before a line break, no line
// starting with "From ".
func checkTransportSafe(t *testing.T, b []byte, max int) {
	t.Helper()
	if bytes.Contains(bytes.ReplaceAll(b, []byte("\r\n"), nil), []byte("\n")) ||
		bytes.Contains(bytes.ReplaceAll(b, []byte("\r\n"), nil), []byte("\r")) {
		t.Fatalf("bare CR or LF in %q", b)
	}
	for i, line := range bytes.Split(b, []byte("\r\n")) {
		if len(line) > max {
			t.Fatalf("line %d is %d octets: %q", i, len(line), line)
		}
		if n := len(line); n > 0 && (line[n-1] == ' ' || line[n-1] == '\t') {
			t.Fatalf("line %d ends in white space: %q", i, line)
		}
		if bytes.HasPrefix(line, []byte("From ")) {
			t.Fatalf("line %d starts with From: %q", i, line)
		}
		for _, c := range line {
			if c > 126 || (c < 32 && c != '\t') {
				t.Fatalf("line %d has octet %#x: %q", i, c, line)
			}
		}
	}
}

func TestQuotedPrintable(t *testing.T) {
	pieces := []string{"a", "é", "日本", " ", "\t", "=", "From ", ".", "\n", "\r\n", "x", "\x00", "\r", strings80}
	r := rand.New(rand.NewPCG(1, 2))
	for n := 0; n < 3000; n++ {
		var in []byte
		for k := r.IntN(40); k > 0; k-- {
			in = append(in, pieces[r.IntN(len(pieces))]...)
		}
		enc := encodeQuotedPrintable(in)
		checkTransportSafe(t, enc, 76)
		for _, line := range bytes.Split(enc, []byte("\r\n")) {
			if bytes.HasPrefix(line, []byte(".")) {
				t.Fatalf("line starts with a dot: %q", line)
			}
		}
		dec, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(enc)))
		if err != nil {
			t.Fatalf("%q: %v", in, err)
		}
		// A lone CR is not a line break: it travels as =0D. Everything else is CRLF.
		if want := crlf(in); !bytes.Equal(dec, want) {
			t.Fatalf("round trip of %q:\n got %q\nwant %q\n enc %q", in, dec, want, enc)
		}
	}
}

const strings80 = "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567"

func TestSevenBitSafe(t *testing.T) {
	for in, want := range map[string]bool{
		"Hello\r\nworld\r\n": true, "Hello\nworld": true, "": true,
		"trailing \n": false, "tab\t": false, "From me\n": false, ">From me\n": true,
		"caf\xc3\xa9": false, strings80: false, "nul\x00": false, "cr\ronly": false,
	} {
		if got := sevenBitSafe([]byte(in), 76); got != want {
			t.Errorf("%q: got %v", in, got)
		}
	}
}

func TestBase64(t *testing.T) {
	for _, n := range []int{0, 1, 56, 57, 58, 1000} {
		data := bytes.Repeat([]byte{0xff, 0x00, 'a'}, n)
		enc := encodeBase64(data)
		checkTransportSafe(t, enc, 76)
		dec, err := base64.StdEncoding.DecodeString(string(bytes.ReplaceAll(enc, []byte("\r\n"), nil)))
		if err != nil || !bytes.Equal(dec, data) {
			t.Fatalf("%d: %v", n, err)
		}
	}
}
