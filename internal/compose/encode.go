package compose

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"mime/quotedprintable"
	"strings"
)

// Transfer encodings that survive any transport: mail relays may rewrap long
// lines, strip trailing white space, turn "From " at a line start into ">From "
// (mbox) and pass only 7-bit data. Each of these would break a signature, so a
// signed entity contains none of them.

const maxLine = 76 // RFC 2045 §6.7 and §6.8

// splitLines cuts text at CRLF or bare LF. The last element holds what follows
// the last line break (empty when text ends with one).
func splitLines(text []byte) [][]byte {
	lines := bytes.Split(text, []byte("\n"))
	for i := range lines[:len(lines)-1] {
		lines[i] = bytes.TrimSuffix(lines[i], []byte("\r"))
	}
	return lines
}

// sevenBitSafe reports whether text can go unencoded: printable ASCII, tab and
// space only, lines of at most limit octets with no trailing white space, no
// line starting with "From ", line breaks CRLF or LF.
func sevenBitSafe(text []byte, limit int) bool {
	for _, line := range splitLines(text) {
		if len(line) > limit || bytes.HasPrefix(line, []byte("From ")) {
			return false
		}
		if n := len(line); n > 0 && (line[n-1] == ' ' || line[n-1] == '\t') {
			return false
		}
		for _, c := range line {
			if (c < 32 && c != '\t') || c > 126 {
				return false
			}
		}
	}
	return true
}

// crlf returns text with every line break as CRLF.
func crlf(text []byte) []byte {
	return bytes.Join(splitLines(text), []byte("\r\n"))
}

// encodeQuotedPrintable encodes text (line breaks CRLF or LF) as RFC 2045 §6.7
// quoted-printable with CRLF line breaks, lines of at most 76 octets, white space
// before a line break encoded, and "From " or "." at the start of a line encoded
// too, so no relay has a reason to touch it.
func encodeQuotedPrintable(text []byte) []byte {
	var out bytes.Buffer
	out.Grow(len(text) + len(text)/8)
	lines := splitLines(text)
	for i, line := range lines {
		col := 0
		for j := 0; j < len(line); j++ {
			last := j == len(line)-1
			tok, n := qpToken(line, j, col == 0, last)
			// Leave room for the soft break "=" unless this is the line's last token.
			limit := maxLine - 1
			if last {
				limit = maxLine
			}
			if col+n > limit {
				out.WriteString("=\r\n")
				col = 0
				tok, n = qpToken(line, j, true, last)
			}
			out.Write(tok[:n])
			col += n
		}
		if i < len(lines)-1 {
			out.WriteString("\r\n")
		}
	}
	return out.Bytes()
}

// qpToken returns the encoding of line[j]: the octet itself or "=XX".
func qpToken(line []byte, j int, lineStart, last bool) (tok [3]byte, n int) {
	const hex = "0123456789ABCDEF"
	c := line[j]
	switch {
	case lineStart && (c == '.' || c == 'F' && bytes.HasPrefix(line[j:], []byte("From "))):
	case (c == ' ' || c == '\t') && !last:
		return [3]byte{c}, 1
	case c >= 33 && c <= 126 && c != '=':
		return [3]byte{c}, 1
	}
	return [3]byte{'=', hex[c>>4], hex[c&15]}, 3
}

// encodeBase64 encodes data in lines of 76 characters, each ending in CRLF.
func encodeBase64(data []byte) []byte {
	enc := base64.StdEncoding.EncodeToString(data)
	var out strings.Builder
	out.Grow(len(enc) + len(enc)/maxLine*2 + 2)
	for len(enc) > maxLine {
		out.WriteString(enc[:maxLine])
		out.WriteString("\r\n")
		enc = enc[maxLine:]
	}
	if enc != "" {
		out.WriteString(enc)
		out.WriteString("\r\n")
	}
	return []byte(out.String())
}

// decodeBody undoes a Content-Transfer-Encoding; 7bit, 8bit, binary and none
// return body as it is.
func decodeBody(cte string, body []byte) ([]byte, error) {
	switch strings.ToLower(strings.TrimSpace(cte)) {
	case "quoted-printable":
		return io.ReadAll(quotedprintable.NewReader(bytes.NewReader(body)))
	case "base64":
		clean := bytes.Map(func(r rune) rune {
			if r == ' ' || r == '\t' || r == '\r' || r == '\n' {
				return -1
			}
			return r
		}, body)
		return base64.StdEncoding.DecodeString(string(clean))
	case "", "7bit", "8bit", "binary":
		return body, nil
	default:
		return nil, fmt.Errorf("compose: unknown Content-Transfer-Encoding %q", cte)
	}
}
