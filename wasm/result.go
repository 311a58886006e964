//go:build js && wasm

package main

import (
	"encoding/json"
	"fmt"
	"syscall/js"
)

// plain converts a result (smime.Report, classify.Classification) into plain
// JavaScript data with exactly the shape of its JSON encoding, the shape
// `mailseal verify --json` prints: one Go type, one shape, on both sides.
//
// It goes through encoding/json and JSON.parse rather than
// github.com/norunners/vert, which the result types' js tags were written for,
// because vert cannot carry a Report faithfully (checked against the vendored
// version, norunners/vert@v0.0.0-20221203075838):
//   - time.Time has only unexported fields, so vert turns every time into {};
//   - vert does not know the "-" tag: SignedEntity would become a property
//     named "-" holding the signed content as an Array of numbers, one JS
//     value per byte (millions for a large message);
//   - vert ignores omitempty, so absent fields would be null, "" or false
//     where the CLI leaves them out, and Go and JS would disagree in shape.
//
// The JSON step costs one string and one JSON.parse per result (tens of
// microseconds for a typical report); bytes never go through it.
func plain(v any) (js.Value, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return js.Undefined(), fmt.Errorf("mailseal: encoding the result: %w", err)
	}
	return js.Global().Get("JSON").Call("parse", string(b)), nil
}

// bytesToJS copies b into a new Uint8Array: the one copy across the boundary.
func bytesToJS(b []byte) js.Value {
	a := uint8ArrayClass.New(len(b))
	js.CopyBytesToJS(a, b)
	return a
}
