package cms

import (
	"errors"
	"fmt"
)

// maxBERDepth bounds the nesting normalizeBER follows, against stack exhaustion.
const maxBERDepth = 64

// normalizeBER rewrites BER the way S/MIME producers use it (indefinite lengths,
// constructed OCTET STRINGs, as OpenSSL and NSS stream opaque messages) into DER
// lengths. Content octets of primitive values are copied unchanged and SET
// elements keep their order, so signed attributes that arrive in DER, sorted or
// not, keep their exact bytes. Input that is already DER comes back unchanged.
func normalizeBER(in []byte) ([]byte, error) {
	if !hasIndefiniteOrConstructedString(in, 0) {
		return in, nil
	}
	out, rest, err := berValue(in, 0)
	if err != nil {
		return nil, err
	}
	if len(rest) != 0 {
		return nil, errors.New("cms: trailing data after the ContentInfo")
	}
	return out, nil
}

// hasIndefiniteOrConstructedString reports whether in needs rewriting (a cheap scan that
// stops at the first reason). Malformed input returns true so berValue reports the error.
func hasIndefiniteOrConstructedString(in []byte, depth int) bool {
	for len(in) > 0 {
		if depth > maxBERDepth {
			return true
		}
		tag, constructed, hdr, length, indefinite, err := berHeader(in)
		if err != nil || indefinite {
			return true
		}
		if constructed && tag == 0x24 {
			return true
		}
		if hdr+length > len(in) {
			return true
		}
		if constructed && hasIndefiniteOrConstructedString(in[hdr:hdr+length], depth+1) {
			return true
		}
		in = in[hdr+length:]
	}
	return false
}

// berHeader reads an identifier and length. tag is the first identifier octet
// (high tag numbers are rejected: CMS does not use them).
func berHeader(in []byte) (tag byte, constructed bool, hdr, length int, indefinite bool, err error) {
	if len(in) < 2 {
		return 0, false, 0, 0, false, errors.New("cms: truncated ASN.1 value")
	}
	tag = in[0]
	if tag&0x1f == 0x1f {
		return 0, false, 0, 0, false, errors.New("cms: high-tag-number form not supported")
	}
	constructed = tag&0x20 != 0
	l := in[1]
	switch {
	case l < 0x80:
		return tag, constructed, 2, int(l), false, nil
	case l == 0x80:
		if !constructed {
			return 0, false, 0, 0, false, errors.New("cms: indefinite length on a primitive value")
		}
		return tag, constructed, 2, 0, true, nil
	}
	n := int(l & 0x7f)
	if n > 4 || len(in) < 2+n {
		return 0, false, 0, 0, false, errors.New("cms: ASN.1 length too large or truncated")
	}
	for _, b := range in[2 : 2+n] {
		length = length<<8 | int(b)
	}
	if length < 0 || length > len(in) {
		return 0, false, 0, 0, false, fmt.Errorf("cms: ASN.1 length %d exceeds the input", length)
	}
	return tag, constructed, 2 + n, length, false, nil
}

// berValue converts one value and returns it with the input that follows it.
func berValue(in []byte, depth int) (out, rest []byte, err error) {
	if depth > maxBERDepth {
		return nil, nil, errors.New("cms: ASN.1 nested too deeply")
	}
	tag, constructed, hdr, length, indefinite, err := berHeader(in)
	if err != nil {
		return nil, nil, err
	}
	if !constructed {
		if hdr+length > len(in) {
			return nil, nil, errors.New("cms: truncated ASN.1 value")
		}
		return in[:hdr+length], in[hdr+length:], nil
	}
	var children [][]byte
	var body []byte
	if indefinite {
		body = in[hdr:]
		for {
			if len(body) >= 2 && body[0] == 0 && body[1] == 0 {
				rest = body[2:]
				break
			}
			if len(body) == 0 {
				return nil, nil, errors.New("cms: indefinite-length value without end-of-contents")
			}
			child, r, err := berValue(body, depth+1)
			if err != nil {
				return nil, nil, err
			}
			children = append(children, child)
			body = r
		}
	} else {
		if hdr+length > len(in) {
			return nil, nil, errors.New("cms: truncated ASN.1 value")
		}
		body = in[hdr : hdr+length]
		rest = in[hdr+length:]
		for len(body) > 0 {
			child, r, err := berValue(body, depth+1)
			if err != nil {
				return nil, nil, err
			}
			children = append(children, child)
			body = r
		}
	}
	if tag == 0x24 { // constructed OCTET STRING: join the segments into one primitive string
		var joined []byte
		for _, c := range children {
			_, cc, h, l, _, err := berHeader(c)
			if err != nil || cc || c[0] != 0x04 {
				return nil, nil, errors.New("cms: constructed OCTET STRING with a non-OCTET STRING segment")
			}
			joined = append(joined, c[h:h+l]...)
		}
		return derTLV(0x04, joined), rest, nil
	}
	var content []byte
	for _, c := range children {
		content = append(content, c...)
	}
	return derTLV(tag, content), rest, nil
}

func derTLV(tag byte, content []byte) []byte {
	n := len(content)
	var out []byte
	switch {
	case n < 0x80:
		out = append(make([]byte, 0, 2+n), tag, byte(n))
	case n < 1<<8:
		out = append(make([]byte, 0, 3+n), tag, 0x81, byte(n))
	case n < 1<<16:
		out = append(make([]byte, 0, 4+n), tag, 0x82, byte(n>>8), byte(n))
	case n < 1<<24:
		out = append(make([]byte, 0, 5+n), tag, 0x83, byte(n>>16), byte(n>>8), byte(n))
	default:
		out = append(make([]byte, 0, 6+n), tag, 0x84, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	}
	return append(out, content...)
}
