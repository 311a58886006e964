// Package charset decodes text in any charset a browser's TextDecoder knows (the WHATWG
// Encoding Standard's labels), for the native build. The WebAssembly build decodes with the
// browser's own TextDecoder instead and does not link this package, whose tables would add
// about half a megabyte (gzip) to the module.
package charset

import "golang.org/x/text/encoding/htmlindex"

// Decode turns body, text in the charset labelled label, into UTF-8. ok is false when the label
// is not one of the Encoding Standard's. Bytes that do not decode become U+FFFD.
func Decode(label string, body []byte) (text string, ok bool) {
	enc, err := htmlindex.Get(label)
	if err != nil {
		return "", false
	}
	b, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return "", false
	}
	return string(b), true
}
