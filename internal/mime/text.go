package mime

import (
	"strings"
	"unicode/utf8"
)

// Charset turns body, text in the charset labelled label, into UTF-8; ok is false when it
// does not know the label.
type Charset func(label string, body []byte) (text string, ok bool)

// Text is the readable text of a message or part: what a mail client shows as its body.
type Text struct {
	Type      string // "text/plain" or "text/html"
	Text      string // UTF-8
	Truncated bool   // Text was cut at the limit ReadableText was given
}

// ReadableText finds the text a mail client shows for e: the first text/plain part that is not
// an attachment, else the first such text/html part, in the order the parts appear. It does not
// look inside attached messages (message/rfc822). The body's transfer encoding is undone and its
// charset decoded by charset; without one, or for a label it does not know, only UTF-8,
// US-ASCII and ISO-8859-1 are known and anything else is read as UTF-8. A run of bytes that
// are not UTF-8 becomes one U+FFFD. The text is cut to at most max bytes, on a character
// boundary. ok is false when e has no such part or the part cannot be decoded.
func ReadableText(e *Entity, max int, charset Charset) (t Text, ok bool) {
	var plain, html *Entity
	var walk func(*Entity)
	walk = func(e *Entity) {
		if plain != nil {
			return
		}
		for _, c := range e.Children {
			walk(c)
		}
		if len(e.Children) > 0 || e.Disposition() == "attachment" {
			return
		}
		switch {
		case e.MediaType == "text/plain":
			plain = e
		case e.MediaType == "text/html" && html == nil:
			html = e
		}
	}
	walk(e)
	part := plain
	if part == nil {
		part = html
	}
	if part == nil {
		return Text{}, false
	}
	body, err := part.Decoded()
	if err != nil {
		return Text{}, false
	}
	text, truncated := decodeText(body, strings.TrimSpace(part.Params["charset"]), max, charset)
	return Text{Type: part.MediaType, Text: text, Truncated: truncated}, true
}

// decodeText turns body, in the charset labelled label, into UTF-8 of at most max bytes.
func decodeText(body []byte, label string, max int, charset Charset) (string, bool) {
	// No charset spends more than 4 bytes on a character, and every character gives at least
	// one byte of UTF-8: 4*max bytes of input give at least max bytes of text.
	cutInput := len(body) > 4*max
	if cutInput {
		body = body[:4*max]
	}
	text, ok := "", false
	if charset != nil && label != "" {
		text, ok = charset(label, body)
	}
	if !ok {
		text = builtinCharset(label, body)
	}
	text = strings.ToValidUTF8(text, "\uFFFD")
	if len(text) <= max {
		return text, cutInput
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(text[cut]) {
		cut--
	}
	return text[:cut], true
}

// builtinCharset reads ISO-8859-1 (and its aliases latin1 and l1) byte for byte and anything
// else as UTF-8, which US-ASCII is a part of.
func builtinCharset(label string, body []byte) string {
	switch strings.ToLower(label) {
	case "iso-8859-1", "iso8859-1", "latin1", "l1":
		var b strings.Builder
		b.Grow(len(body) * 2)
		for _, c := range body {
			b.WriteRune(rune(c))
		}
		return b.String()
	}
	return string(body)
}
