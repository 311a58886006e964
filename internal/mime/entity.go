// Package mime finds the structure of a MIME message without re-encoding it.
//
// Every Entity keeps the exact bytes it was cut from (Raw), because a detached
// S/MIME signature covers the raw bytes of the first part of multipart/signed,
// not a re-serialised version of it. Header fields are parsed for reading only.
// Parsing is bounded: depth, part count and header field count are limited so
// hostile input gives an error, never a hang.
package mime

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	stdmime "mime"
	"mime/quotedprintable"
	"strconv"
	"strings"
)

// Limits bound the work Parse does.
type Limits struct {
	MaxDepth        int // nesting of multiparts
	MaxParts        int // entities in the whole tree
	MaxHeaderFields int // fields in one header block
}

// DefaultLimits are generous for real mail and small enough to stop abuse.
var DefaultLimits = Limits{MaxDepth: 32, MaxParts: 2000, MaxHeaderFields: 2000}

// ErrLimit is wrapped by errors about input that exceeds Limits.
var ErrLimit = errors.New("mime: limit exceeded")

// Entity is a message or one of its MIME parts.
type Entity struct {
	// Path names the part as IMAP does: "" for the message itself, "1", "1.2", ...
	Path   string
	Header Header
	Raw    []byte // header, blank line and body exactly as in the input
	Body   []byte // the body as in the input, still transfer-encoded

	MediaType string            // lower case, "text/plain" when absent
	Params    map[string]string // Content-Type parameters, names in lower case
	Children  []*Entity         // the parts of a multipart
}

// Parse reads the structure of raw. Only the tree is built; message/rfc822
// parts are left as leaves (parse their decoded body separately).
func Parse(raw []byte, lim Limits) (*Entity, error) {
	budget := lim.MaxParts
	return parseEntity(raw, "", 0, lim, &budget)
}

func parseEntity(raw []byte, path string, depth int, lim Limits, budget *int) (*Entity, error) {
	if *budget <= 0 {
		return nil, fmt.Errorf("%w: more than %d MIME parts", ErrLimit, lim.MaxParts)
	}
	*budget--
	headerBytes, body := splitHeader(raw)
	h, err := parseHeader(headerBytes, lim.MaxHeaderFields)
	if err != nil {
		if strings.Contains(err.Error(), "more than") {
			return nil, fmt.Errorf("%w: %v", ErrLimit, err)
		}
		return nil, fmt.Errorf("part %s: %w", displayPath(path), err)
	}
	if err := h.checkSingletons(); err != nil {
		return nil, fmt.Errorf("part %s: %w", displayPath(path), err)
	}
	e := &Entity{Path: path, Header: h, Raw: raw, Body: body, MediaType: "text/plain", Params: map[string]string{}}
	if ct := h.Get("Content-Type"); ct != "" {
		mt, params, err := stdmime.ParseMediaType(ct)
		if err != nil && mt == "" {
			// A Content-Type that cannot be read is treated as the default, as RFC 2045 §5.2 says.
			mt = "text/plain"
		}
		e.MediaType = strings.ToLower(mt)
		if params != nil {
			e.Params = params
		}
	}
	if !strings.HasPrefix(e.MediaType, "multipart/") {
		return e, nil
	}
	if depth >= lim.MaxDepth {
		return nil, fmt.Errorf("%w: multiparts nested more than %d deep", ErrLimit, lim.MaxDepth)
	}
	boundary := e.Params["boundary"]
	if boundary == "" {
		return nil, fmt.Errorf("mime: part %s is %s without a boundary", displayPath(path), e.MediaType)
	}
	parts, err := splitMultipart(body, boundary)
	if err != nil {
		return nil, fmt.Errorf("mime: part %s: %w", displayPath(path), err)
	}
	for i, p := range parts {
		childPath := strconv.Itoa(i + 1)
		if path != "" {
			childPath = path + "." + childPath
		}
		child, err := parseEntity(p, childPath, depth+1, lim, budget)
		if err != nil {
			return nil, err
		}
		e.Children = append(e.Children, child)
	}
	return e, nil
}

func displayPath(path string) string {
	if path == "" {
		return "(message)"
	}
	return path
}

// splitMultipart returns the raw bytes of each body part (RFC 2046 §5.1.1). The line
// break before a delimiter belongs to the delimiter, so it is not part of the body part.
func splitMultipart(body []byte, boundary string) ([][]byte, error) {
	delim := []byte("--" + boundary)
	var parts [][]byte
	start := -1 // where the current part begins; -1 while in the preamble
	closed := false
	// Jump from one occurrence of the delimiter to the next rather than walk the lines:
	// a 5 MB body has 70 000 lines and one or two delimiters.
	for pos := 0; pos < len(body); {
		i := bytes.Index(body[pos:], delim)
		if i < 0 {
			break
		}
		lineStart := pos + i
		lineEnd := len(body)
		if end := bytes.IndexByte(body[lineStart:], '\n'); end >= 0 {
			lineEnd = lineStart + end + 1
		}
		pos = lineEnd
		if lineStart > 0 && body[lineStart-1] != '\n' {
			continue // not at the start of a line
		}
		rest := bytes.TrimRight(body[lineStart+len(delim):lineEnd], " \t\r\n")
		isClose := bytes.Equal(rest, []byte("--"))
		if len(rest) == 0 || isClose {
			if start >= 0 {
				parts = append(parts, trimLineBreak(body[start:lineStart]))
			}
			if isClose {
				closed = true
				break
			}
			start = lineEnd
		}
	}
	if !closed {
		// A missing close delimiter is common in truncated mail; keep what was found.
		if start >= 0 && start <= len(body) {
			parts = append(parts, body[start:])
		}
	}
	if len(parts) == 0 {
		return nil, errors.New("no body parts found for the boundary")
	}
	return parts, nil
}

// trimLineBreak drops the CRLF or LF that precedes a delimiter line.
func trimLineBreak(b []byte) []byte {
	if bytes.HasSuffix(b, []byte("\r\n")) {
		return b[:len(b)-2]
	}
	if bytes.HasSuffix(b, []byte("\n")) {
		return b[:len(b)-1]
	}
	return b
}

// Decoded returns the body with its Content-Transfer-Encoding undone.
func (e *Entity) Decoded() ([]byte, error) {
	switch cte := strings.ToLower(strings.TrimSpace(e.Header.Get("Content-Transfer-Encoding"))); cte {
	case "", "7bit", "8bit", "binary":
		return e.Body, nil
	case "base64":
		return decodeBase64(e.Body)
	case "quoted-printable":
		out, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(e.Body)))
		if err != nil {
			return nil, fmt.Errorf("mime: part %s: quoted-printable: %w", displayPath(e.Path), err)
		}
		return out, nil
	default:
		return nil, fmt.Errorf("mime: part %s: unknown transfer encoding %q", displayPath(e.Path), cte)
	}
}

func decodeBase64(b []byte) ([]byte, error) {
	clean := make([]byte, 0, len(b))
	for _, c := range b {
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		}
		clean = append(clean, c)
	}
	out := make([]byte, base64.StdEncoding.DecodedLen(len(clean)))
	n, err := base64.StdEncoding.Decode(out, clean)
	if err != nil {
		// Some senders leave out the padding.
		raw := bytes.TrimRight(clean, "=")
		out = make([]byte, base64.RawStdEncoding.DecodedLen(len(raw)))
		n, err = base64.RawStdEncoding.Decode(out, raw)
		if err != nil {
			return nil, fmt.Errorf("mime: base64: %w", err)
		}
	}
	return out[:n], nil
}

// Filename returns the name the part gives itself (Content-Disposition filename,
// else the Content-Type name parameter), or "".
func (e *Entity) Filename() string {
	if cd := e.Header.Get("Content-Disposition"); cd != "" {
		if _, params, err := stdmime.ParseMediaType(cd); err == nil && params["filename"] != "" {
			return params["filename"]
		}
	}
	return e.Params["name"]
}

// Disposition returns "attachment", "inline" or "".
func (e *Entity) Disposition() string {
	cd := e.Header.Get("Content-Disposition")
	if cd == "" {
		return ""
	}
	d, _, _ := stdmime.ParseMediaType(cd)
	return strings.ToLower(d)
}

// CRLF returns b with every bare LF turned into CRLF, as S/MIME canonical form
// requires (RFC 8551 §3.1.1). When b already uses CRLF it is returned as is.
func CRLF(b []byte) []byte {
	bare := 0
	for i := bytes.IndexByte(b, '\n'); i >= 0; {
		if i == 0 || b[i-1] != '\r' {
			bare++
		}
		next := bytes.IndexByte(b[i+1:], '\n')
		if next < 0 {
			break
		}
		i += 1 + next
	}
	if bare == 0 {
		return b
	}
	out := make([]byte, 0, len(b)+bare)
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			out = append(out, b...)
			break
		}
		out = append(out, b[:i]...)
		if i == 0 || b[i-1] != '\r' {
			out = append(out, '\r')
		}
		out = append(out, '\n')
		b = b[i+1:]
	}
	return out
}
