package compose

import (
	"bytes"
	"fmt"
	"io"

	"github.com/emersion/go-message"
	"github.com/emersion/go-message/textproto"
)

// part is a MIME entity being written: a leaf with its body already
// transfer-encoded, or a multipart with children.
type part struct {
	header   textproto.Header
	body     []byte
	children []*part
	boundary string // kept from an existing message; empty makes a random one
}

func multipart(mediaType string, children []*part) *part {
	return &part{header: headerOf("Content-Type", mediaType), children: children}
}

// setText stores text (any line breaks) 7bit when it is already safe, quoted-printable otherwise.
func (p *part) setText(text []byte) {
	p.header.Del("Content-Transfer-Encoding")
	if sevenBitSafe(text, maxLine) {
		p.header = withBottom(p.header, "Content-Transfer-Encoding", "7bit")
		p.body = crlf(text)
	} else {
		p.header = withBottom(p.header, "Content-Transfer-Encoding", "quoted-printable")
		p.body = encodeQuotedPrintable(text)
	}
}

// bytes writes the entity: header fields, blank line, body.
func (p *part) bytes() ([]byte, error) {
	if err := p.setBoundaries(); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := textproto.WriteHeader(&b, p.header); err != nil {
		return nil, fmt.Errorf("compose: header: %w", err)
	}
	if err := p.writeBody(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// setBoundaries gives every multipart without one a random boundary, in its Content-Type too.
func (p *part) setBoundaries() error {
	if p.children == nil {
		return nil
	}
	if p.boundary == "" {
		p.boundary = textproto.NewMultipartWriter(nil).Boundary()
		mh := message.Header{Header: p.header}
		mediaType, params, err := mh.ContentType()
		if err != nil {
			return fmt.Errorf("compose: Content-Type: %w", err)
		}
		if params == nil {
			params = map[string]string{}
		}
		params["boundary"] = p.boundary
		mh.SetContentType(mediaType, params)
		// SetContentType put the field on top; the others keep their places below it.
		p.header = mh.Header
	}
	for _, c := range p.children {
		if err := c.setBoundaries(); err != nil {
			return err
		}
	}
	return nil
}

func (p *part) writeBody(w io.Writer) error {
	if p.children == nil {
		_, err := w.Write(p.body)
		return err
	}
	mw := textproto.NewMultipartWriter(w)
	if err := mw.SetBoundary(p.boundary); err != nil {
		return fmt.Errorf("compose: boundary %q: %w", p.boundary, err)
	}
	for _, c := range p.children {
		cw, err := mw.CreatePart(c.header)
		if err != nil {
			return err
		}
		if err := c.writeBody(cw); err != nil {
			return err
		}
	}
	return mw.Close()
}
