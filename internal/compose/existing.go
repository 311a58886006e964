package compose

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-message"
	"github.com/emersion/go-message/mail"
	"github.com/emersion/go-message/textproto"
)

// maxDepth bounds the nesting of multiparts and attached messages Prepare rewrites.
const maxDepth = 32

// Prepare splits a complete message (as `mailseal sign` reads it) for signing.
// The Content-* fields move into the signed entity and every other field stays
// outside; MIME-Version is written again when signing. The entity is then made
// to survive transport: line breaks become CRLF, 8bit and binary parts (and
// 7bit ones that are not safe: long lines, trailing white space, "From ") are
// re-encoded as quoted-printable (text) or base64 (anything else), nested
// multiparts and attached messages included. Parts that are already safe are
// kept byte for byte. Multipart preambles and epilogues are dropped, and so is
// a leading mbox "From " line.
func Prepare(raw []byte) (*Message, error) {
	if bytes.HasPrefix(raw, []byte("From ")) {
		// An mbox separator line, as some tools save single messages: not a header field.
		if _, rest, ok := bytes.Cut(raw, []byte("\n")); ok {
			raw = rest
		}
	}
	br := bufio.NewReader(bytes.NewReader(raw))
	header, err := textproto.ReadHeader(br)
	if err != nil {
		return nil, fmt.Errorf("compose: reading the header: %w", err)
	}
	body, _ := io.ReadAll(br)
	if header.Len() == 0 {
		return nil, errors.New("compose: the message has no header")
	}

	var outerKV, innerRaw [][]byte
	for f := header.Fields(); f.Next(); {
		rawField, err := f.Raw()
		if err != nil {
			return nil, fmt.Errorf("compose: header field %s: %w", f.Key(), err)
		}
		key := strings.ToLower(f.Key())
		switch {
		case key == "mime-version":
		case strings.HasPrefix(key, "content-"):
			innerRaw = append(innerRaw, cleanField(f.Key(), f.Value(), rawField))
		default:
			outerKV = append(outerKV, rawField)
		}
	}
	var outer, inner textproto.Header
	for i := len(outerKV) - 1; i >= 0; i-- {
		outer.AddRaw(outerKV[i])
	}
	for i := len(innerRaw) - 1; i >= 0; i-- {
		inner.AddRaw(innerRaw[i])
	}
	if !inner.Has("Content-Type") {
		// RFC 2045 §5.2: no Content-Type means text/plain; us-ascii. 8-bit text that is
		// valid UTF-8 is labelled so; anything else was never readable as ASCII either.
		charset := "us-ascii"
		if !isASCII(body) && utf8.Valid(body) {
			charset = "utf-8"
		}
		inner = withBottom(headerOf("Content-Type", "text/plain; charset="+charset), fieldsKV(inner)...)
	}
	p, err := rewrite(inner, body, 0)
	if err != nil {
		return nil, err
	}
	entity, err := p.bytes()
	if err != nil {
		return nil, err
	}
	return &Message{Header: mail.Header{Header: message.Header{Header: outer}}, Entity: entity}, nil
}

// rewrite returns the entity with header h and raw body as a part that is safe to sign.
func rewrite(h textproto.Header, body []byte, depth int) (*part, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("compose: MIME nesting deeper than %d", maxDepth)
	}
	mh := message.Header{Header: h}
	mediaType, params, err := mh.ContentType()
	if err != nil {
		mediaType, params = "text/plain", map[string]string{} // RFC 2045 §5.2: unreadable means the default
	}
	cte := strings.ToLower(strings.TrimSpace(h.Get("Content-Transfer-Encoding")))
	switch {
	case strings.HasPrefix(mediaType, "multipart/"):
		boundary := params["boundary"]
		if boundary == "" {
			return nil, fmt.Errorf("compose: %s without a boundary", mediaType)
		}
		// Its parts are rewritten to 7 bits; a multipart's own encoding label would only mislead.
		h = h.Copy()
		h.Del("Content-Transfer-Encoding")
		p := &part{header: h, boundary: boundary, children: []*part{}}
		mr := textproto.NewMultipartReader(bytes.NewReader(body), boundary)
		for {
			child, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				return nil, fmt.Errorf("compose: %s: %w", mediaType, err)
			}
			childBody, err := io.ReadAll(child)
			if err != nil {
				return nil, fmt.Errorf("compose: %s part: %w", mediaType, err)
			}
			cp, err := rewrite(cleanHeader(child.Header), childBody, depth+1)
			if err != nil {
				return nil, err
			}
			p.children = append(p.children, cp)
		}
		return p, nil
	case mediaType == "message/rfc822" && (cte == "" || cte == "7bit" || cte == "8bit" || cte == "binary"):
		// An attached message is itself rewritten: its parts become 7-bit, so it can stay a message.
		inner, err := Prepare(body)
		if err != nil {
			return &part{header: withCTE(h, "base64", "application/octet-stream"), body: encodeBase64(body)}, nil
		}
		innerBytes, err := inner.Bytes()
		if err != nil {
			return nil, err
		}
		return &part{header: withCTE(h, "7bit", ""), body: innerBytes}, nil
	}
	if (cte == "" || cte == "7bit" || cte == "quoted-printable" || cte == "base64") && sevenBitSafe(body, 998) {
		return &part{header: h, body: crlf(body)}, nil
	}
	decoded, err := decodeBody(cte, body)
	if err != nil {
		return nil, err
	}
	if strings.HasPrefix(mediaType, "text/") && bytes.IndexByte(decoded, 0) < 0 {
		p := &part{header: h}
		p.setText(decoded)
		return p, nil
	}
	return &part{header: withCTE(h, "base64", ""), body: encodeBase64(decoded)}, nil
}

// withCTE returns h with its Content-Transfer-Encoding (and, if given, Content-Type) replaced.
func withCTE(h textproto.Header, cte, contentType string) textproto.Header {
	h = h.Copy()
	h.Del("Content-Transfer-Encoding")
	if contentType != "" {
		h.Del("Content-Type")
		h = withBottom(headerOf("Content-Type", contentType), fieldsKV(h)...)
	}
	return withBottom(h, "Content-Transfer-Encoding", cte)
}

// fieldsKV lists h's fields as name-value pairs, top first.
func fieldsKV(h textproto.Header) []string {
	var kv []string
	for f := h.Fields(); f.Next(); {
		kv = append(kv, f.Key(), f.Value())
	}
	return kv
}

// cleanHeader returns h with white space at the end of its lines removed.
func cleanHeader(h textproto.Header) textproto.Header {
	var raws [][]byte
	for f := h.Fields(); f.Next(); {
		if raw, err := f.Raw(); err == nil {
			raws = append(raws, cleanField(f.Key(), f.Value(), raw))
		}
	}
	var out textproto.Header
	for i := len(raws) - 1; i >= 0; i-- {
		out.AddRaw(raws[i])
	}
	return out
}

// cleanField makes a raw field of a signed entity safe to relay: no white space
// before a line break (a relay may strip it), CRLF line ends, and no 8-bit octets
// (a 7-bit relay may mangle them): a non-ASCII filename or description is
// written again with RFC 2047 encoded words, as go-message formats them.
func cleanField(key, value string, raw []byte) []byte {
	if isASCII(raw) {
		lines := splitLines(bytes.TrimRight(raw, "\r\n"))
		for i := range lines {
			lines[i] = bytes.TrimRight(lines[i], " \t")
		}
		return append(bytes.Join(lines, []byte("\r\n")), '\r', '\n')
	}
	value = strings.ToValidUTF8(value, "\uFFFD")
	var h message.Header
	v, params, err := mime.ParseMediaType(value)
	switch {
	case strings.EqualFold(key, "Content-Type") && err == nil:
		h.SetContentType(v, params)
	case strings.EqualFold(key, "Content-Disposition") && err == nil:
		h.SetContentDisposition(v, params)
	default:
		// Unstructured (Content-Description) or unparsable: the whole value as encoded words.
		h.SetText(key, value)
	}
	out, err := h.Raw(key)
	if err != nil || !isASCII(out) {
		return []byte(key + ": " + mime.QEncoding.Encode("utf-8", value) + "\r\n")
	}
	return out
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}
