package address

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/mail"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-message"
)

var (
	// ErrNoFrom means the header has no From field, or one with no mailbox.
	ErrNoFrom = errors.New("address: no From mailbox")
	// ErrSeveralFrom means several From fields, or several mailboxes in one:
	// there is no single author to bind the certificate to.
	ErrSeveralFrom = errors.New("address: several From mailboxes")
	// ErrSeveralSender means several Sender fields or mailboxes.
	ErrSeveralSender = errors.New("address: several Sender mailboxes")
	// ErrMalformed means the header block or the field cannot be parsed.
	ErrMalformed = errors.New("address: malformed header")
)

// Mailbox is one parsed mailbox: the display name with RFC 2047 encoded
// words decoded, and the address as written (a quoted local part stays
// quoted, nothing is case-folded or IDNA-converted).
type Mailbox struct {
	Name    string
	Address string
}

// FromHeader returns the single mailbox of the single From field of a raw
// header block (the bytes up to the blank line, as received; anything after
// a blank line is ignored).
func FromHeader(header []byte) (Mailbox, error) {
	m, ok, err := single(header, "From", ErrSeveralFrom)
	if err == nil && !ok {
		err = ErrNoFrom
	}
	return m, err
}

// SenderHeader returns the mailbox of the Sender field, and false when there
// is none.
func SenderHeader(header []byte) (Mailbox, bool, error) {
	return single(header, "Sender", ErrSeveralSender)
}

// single finds the one mailbox of the field called name. Fields are counted
// in the raw header, so a second From that a parser merging duplicates would
// hide still counts.
func single(header []byte, name string, several error) (Mailbox, bool, error) {
	values, err := fieldValues(header, name)
	if err != nil {
		return Mailbox{}, false, err
	}
	switch len(values) {
	case 0:
		return Mailbox{}, false, nil
	case 1:
	default:
		return Mailbox{}, false, fmt.Errorf("%w: %d %s fields", several, len(values), name)
	}
	if strings.TrimSpace(values[0]) == "" {
		return Mailbox{}, false, nil
	}
	list, repaired, err := parseList(name, values[0])
	if err != nil {
		return Mailbox{}, false, err
	}
	switch len(list) {
	case 0: // an empty group, "undisclosed-recipients:;"
		return Mailbox{}, false, nil
	case 1:
		if repaired && strings.ContainsRune(list[0].Address, utf8.RuneError) {
			return Mailbox{}, false, fmt.Errorf("%w: %s: the address is not valid UTF-8", ErrMalformed, name)
		}
		return list[0], true, nil
	default:
		return Mailbox{}, false, fmt.Errorf("%w: %d mailboxes in %s", several, len(list), name)
	}
}

// parseList parses one value of the field called name as a list of mailboxes. repaired says
// that the value was not UTF-8 and its bad bytes became U+FFFD.
func parseList(name, value string) (list []Mailbox, repaired bool, err error) {
	if !utf8.ValidString(value) {
		// Raw 8-bit display names ("Armin H\xe4berling" in Latin-1) are common in old mail.
		// Marking the bytes keeps the name readable; an address with such bytes is refused.
		value, repaired = strings.ToValidUTF8(value, "\uFFFD"), true
	}
	parsed, err := (&mail.AddressParser{WordDecoder: wordDecoder}).ParseList(skipComments(value))
	if err != nil {
		return nil, repaired, fmt.Errorf("%w: %s: %v", ErrMalformed, name, err)
	}
	for _, a := range parsed {
		list = append(list, Mailbox{Name: a.Name, Address: addrSpec(a.Address)})
	}
	return list, repaired, nil
}

// Mailboxes returns the mailboxes of every field called name (To, Cc, Reply-To), in order, at
// most max of them. A field that does not parse, and an address that is not valid UTF-8, is
// left out: these lists are for display and for replying, never for binding a certificate.
func Mailboxes(header []byte, name string, max int) ([]Mailbox, error) {
	values, err := fieldValues(header, name)
	if err != nil {
		return nil, err
	}
	var out []Mailbox
	for _, v := range values {
		list, repaired, err := parseList(name, v)
		if err != nil {
			continue
		}
		for _, m := range list {
			if len(out) == max {
				return out, nil
			}
			if !repaired || !strings.ContainsRune(m.Address, utf8.RuneError) {
				out = append(out, m)
			}
		}
	}
	return out, nil
}

// DecodeText decodes the RFC 2047 encoded words of an unstructured field (Subject), leaving a
// word it cannot decode as written.
func DecodeText(value string) string {
	if s, err := wordDecoder.DecodeHeader(value); err == nil {
		return s
	}
	return value
}

// fieldValues returns the unfolded values of every field called name
// (case-insensitive), in order. It reads the whole block, so a malformed
// line anywhere is an error, as it is for the MIME parser.
func fieldValues(header []byte, name string) ([]string, error) {
	if i := blankLine(header); i >= 0 {
		header = header[:i]
	}
	var values []string
	var cur []byte
	flush := func() error {
		if cur == nil {
			return nil
		}
		colon := bytes.IndexByte(cur, ':')
		if colon < 0 {
			return fmt.Errorf("%w: line without a field name: %.40q", ErrMalformed, cur)
		}
		field := string(bytes.TrimRight(cur[:colon], " \t"))
		if !validFieldName(field) {
			return fmt.Errorf("%w: invalid field name %.40q", ErrMalformed, field)
		}
		if strings.EqualFold(field, name) {
			values = append(values, unfold(cur[colon+1:]))
		}
		cur = nil
		return nil
	}
	for n, line := range bytes.SplitAfter(header, []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		if n == 0 && isMboxSeparator(line) {
			continue
		}
		if line[0] == ' ' || line[0] == '\t' {
			if cur == nil {
				return nil, fmt.Errorf("%w: header starts with a continuation line", ErrMalformed)
			}
			cur = append(cur, line...)
			continue
		}
		if err := flush(); err != nil {
			return nil, err
		}
		cur = append([]byte(nil), line...)
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return values, nil
}

// skipComments drops the comments that open a field value, "(work) Eve
// <eve@example.com>": RFC 5322 allows them wherever CFWS may be, and
// net/mail, which reads later comments, refuses them there. An unbalanced
// comment is left for net/mail to refuse.
func skipComments(v string) string {
	for {
		v = strings.TrimLeft(v, " \t")
		if !strings.HasPrefix(v, "(") {
			return v
		}
		depth, end := 0, -1
	scan:
		for i := 0; i < len(v); i++ {
			switch v[i] {
			case '\\':
				i++
			case '(':
				depth++
			case ')':
				if depth--; depth == 0 {
					end = i
					break scan
				}
			}
		}
		if end < 0 {
			return v
		}
		v = v[end+1:]
	}
}

// blankLine returns the offset of the empty line that ends the header, or -1.
func blankLine(b []byte) int {
	for i := 0; i < len(b); {
		if b[i] == '\n' || bytes.HasPrefix(b[i:], []byte("\r\n")) {
			return i
		}
		j := bytes.IndexByte(b[i:], '\n')
		if j < 0 {
			return -1
		}
		i += j + 1
	}
	return -1
}

// isMboxSeparator recognises the "From sender date" line mbox files start
// with. "From : x" (white space before the colon, RFC 5322 §4.5 obsolete
// syntax) is a From field, not a separator: skipping it would hide a From.
func isMboxSeparator(line []byte) bool {
	if !bytes.HasPrefix(line, []byte("From ")) {
		return false
	}
	colon := bytes.IndexByte(line, ':')
	return colon < 0 || len(bytes.TrimRight(line[:colon], " \t")) != len("From")
}

// validFieldName reports whether s is an RFC 5322 field name: printable
// ASCII, no space or colon.
func validFieldName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

// unfold removes the line breaks of a folded value (RFC 5322 §2.2.3).
func unfold(v []byte) string {
	v = bytes.ReplaceAll(v, []byte("\r\n"), nil)
	v = bytes.ReplaceAll(v, []byte("\n"), nil)
	return strings.TrimSpace(string(v))
}

// wordDecoder decodes RFC 2047 display names. Charsets beyond UTF-8,
// US-ASCII and ISO-8859-1 are those go-message knows (when a caller imports
// go-message/charset); an unknown one still decodes, with U+FFFD for what is
// not UTF-8, because only the address is bound to the certificate and
// failing the whole From over a display name would hide it.
var wordDecoder = &mime.WordDecoder{CharsetReader: func(charset string, r io.Reader) (io.Reader, error) {
	if message.CharsetReader != nil {
		if cr, err := message.CharsetReader(charset, r); err == nil {
			return cr, nil
		}
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return strings.NewReader(strings.ToValidUTF8(string(b), "\uFFFD")), nil
}}
