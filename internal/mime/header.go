package mime

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
)

// Field is one header field as received: its name and its value with folding removed.
type Field struct {
	Name  string // as written
	Value string // unfolded, with leading and trailing white space removed
}

// Header is the header block of a message or MIME part, fields in the order received.
type Header struct {
	Raw    []byte // the bytes of the block, without the blank line that ends it
	Fields []Field
}

// Values returns the values of every field called name (case-insensitive), top first.
func (h *Header) Values(name string) []string {
	var vs []string
	for _, f := range h.Fields {
		if strings.EqualFold(f.Name, name) {
			vs = append(vs, f.Value)
		}
	}
	return vs
}

// Get returns the first value of the field called name, or "".
func (h *Header) Get(name string) string {
	for _, f := range h.Fields {
		if strings.EqualFold(f.Name, name) {
			return f.Value
		}
	}
	return ""
}

// singletons are the fields that say how to read an entity. With two of one, this parser
// would take the first while a mail client may show the entity by the other, so the
// signature and the screen could speak of different content (RFC 2045 allows one of each).
var singletons = []string{"Content-Type", "Content-Transfer-Encoding", "MIME-Version"}

// ErrDuplicateField is wrapped by the error for an entity with two of a singleton field.
var ErrDuplicateField = errors.New("mime: duplicate header field")

func (h *Header) checkSingletons() error {
	for _, name := range singletons {
		if n := len(h.Values(name)); n > 1 {
			return fmt.Errorf("%w: %d %s fields, and a mail client may use either", ErrDuplicateField, n, name)
		}
	}
	return nil
}

// splitHeader cuts raw at the blank line that ends the header. body starts after it.
// A message with no blank line is all header and has an empty body.
func splitHeader(raw []byte) (header, body []byte) {
	// An entity may start with the blank line itself: no header fields at all.
	if bytes.HasPrefix(raw, []byte("\r\n")) {
		return nil, raw[2:]
	}
	if bytes.HasPrefix(raw, []byte("\n")) {
		return nil, raw[1:]
	}
	for i := 0; i < len(raw); {
		j := bytes.IndexByte(raw[i:], '\n')
		if j < 0 {
			return raw, nil
		}
		next := i + j + 1
		switch {
		case bytes.HasPrefix(raw[next:], []byte("\r\n")):
			return raw[:next], raw[next+2:]
		case bytes.HasPrefix(raw[next:], []byte("\n")):
			return raw[:next], raw[next+1:]
		}
		i = next
	}
	return raw, nil
}

// parseHeader reads the fields of a header block. It accepts CRLF and LF line ends.
func parseHeader(raw []byte, maxFields int) (Header, error) {
	h := Header{Raw: raw}
	lines := bytes.SplitAfter(raw, []byte("\n"))
	// An mbox "From " separator line is not a header field; "From : x" (obsolete syntax) is.
	if len(lines) > 0 && isMboxSeparator(lines[0]) {
		lines = lines[1:]
	}
	var cur []byte
	flush := func() error {
		if cur == nil {
			return nil
		}
		colon := bytes.IndexByte(cur, ':')
		if colon <= 0 {
			return fmt.Errorf("mime: header line without a field name: %q", clip(cur))
		}
		name := strings.TrimRight(string(cur[:colon]), " \t")
		for _, c := range []byte(name) {
			if c <= ' ' || c >= 0x7f {
				return fmt.Errorf("mime: invalid header field name %q", clip([]byte(name)))
			}
		}
		if len(h.Fields) >= maxFields {
			return fmt.Errorf("mime: more than %d header fields", maxFields)
		}
		h.Fields = append(h.Fields, Field{Name: name, Value: unfold(cur[colon+1:])})
		cur = nil
		return nil
	}
	for _, line := range lines {
		if len(bytes.TrimRight(line, "\r\n")) == 0 {
			continue
		}
		if line[0] == ' ' || line[0] == '\t' {
			if cur == nil {
				return h, fmt.Errorf("mime: header starts with a continuation line")
			}
			cur = append(cur, line...)
			continue
		}
		if err := flush(); err != nil {
			return h, err
		}
		cur = append([]byte(nil), line...)
	}
	return h, flush()
}

func isMboxSeparator(line []byte) bool {
	if !bytes.HasPrefix(line, []byte("From ")) {
		return false
	}
	name, _, found := bytes.Cut(line, []byte(":"))
	return !found || string(bytes.TrimRight(name, " \t")) != "From"
}

// unfold removes the line breaks of a folded value (RFC 5322 §2.2.3) and trims it.
func unfold(v []byte) string {
	var b strings.Builder
	b.Grow(len(v))
	for _, c := range v {
		if c == '\r' || c == '\n' {
			continue
		}
		b.WriteByte(c)
	}
	return strings.TrimSpace(b.String())
}

func clip(b []byte) string {
	if len(b) > 60 {
		return string(b[:60]) + "…"
	}
	return string(b)
}
