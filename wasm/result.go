//go:build js && wasm

package main

import (
	"encoding"
	"encoding/base64"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"syscall/js"
	"unicode/utf8"
)

// plain converts a result (smime.Report, a classification) into plain
// JavaScript data with exactly the shape of its encoding/json encoding, which
// is what `mailseal verify --json` prints: one Go type, one shape, on both
// sides. It writes JSON text following encoding/json's rules for what our
// result types use (field names and omitempty from the json tag, "-" left
// out, nil slices and pointers as null, time.Time and any other
// encoding.TextMarshaler as its text, []byte as base64, map keys sorted) and
// hands it to JSON.parse: one call across the boundary instead of one per
// field. TestPlainMatchesJSON holds it to encoding/json.
//
// Not github.com/norunners/vert, which the result types' js tags were written
// for, because vert cannot carry a Report faithfully (checked against
// v0.0.0-20221203075838-106a353d42dd, which is therefore not in go.mod):
//   - time.Time has only unexported fields, so vert turns every time into {};
//   - vert does not know the "-" tag: SignedEntity would become a property
//     named "-" holding the signed content as an Array of numbers, one JS
//     value per byte (millions for a large message);
//   - vert ignores omitempty, so absent fields would be null, "" or false
//     where the CLI leaves them out, and Go and JS would disagree in shape;
//   - it sets every field with its own call into JavaScript.
//
// Not encoding/json itself either: it adds 75 KB (gzip) to the module, this
// writer a few.
func plain(v any) (js.Value, error) {
	text, err := appendJSON(nil, reflect.ValueOf(v))
	if err != nil {
		return js.Undefined(), err
	}
	return js.Global().Get("JSON").Call("parse", string(text)), nil
}

var textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()

func appendJSON(b []byte, v reflect.Value) ([]byte, error) {
	if !v.IsValid() {
		return append(b, "null"...), nil
	}
	if v.Type().Implements(textMarshaler) && (v.Kind() != reflect.Pointer || !v.IsNil()) {
		text, err := v.Interface().(encoding.TextMarshaler).MarshalText()
		if err != nil {
			return nil, fmt.Errorf("mailseal: encoding %s: %w", v.Type(), err)
		}
		return appendString(b, string(text)), nil
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return append(b, "null"...), nil
		}
		return appendJSON(b, v.Elem())
	case reflect.String:
		return appendString(b, v.String()), nil
	case reflect.Bool:
		return strconv.AppendBool(b, v.Bool()), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.AppendInt(b, v.Int(), 10), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.AppendUint(b, v.Uint(), 10), nil
	case reflect.Float32, reflect.Float64:
		f := v.Float()
		if math.IsInf(f, 0) || math.IsNaN(f) {
			return nil, fmt.Errorf("mailseal: cannot encode %v", f)
		}
		return strconv.AppendFloat(b, f, 'g', -1, v.Type().Bits()), nil
	case reflect.Slice:
		if v.IsNil() {
			return append(b, "null"...), nil
		}
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return appendString(b, base64.StdEncoding.EncodeToString(v.Bytes())), nil
		}
		return appendArray(b, v)
	case reflect.Array:
		return appendArray(b, v)
	case reflect.Map:
		if v.IsNil() {
			return append(b, "null"...), nil
		}
		return appendMap(b, v)
	case reflect.Struct:
		return appendStruct(b, v)
	}
	return nil, fmt.Errorf("mailseal: cannot encode a %s", v.Type())
}

func appendArray(b []byte, v reflect.Value) ([]byte, error) {
	b = append(b, '[')
	for i := range v.Len() {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = appendJSON(b, v.Index(i)); err != nil {
			return nil, err
		}
	}
	return append(b, ']'), nil
}

func appendMap(b []byte, v reflect.Value) ([]byte, error) {
	if v.Type().Key().Kind() != reflect.String {
		return nil, fmt.Errorf("mailseal: cannot encode a %s", v.Type())
	}
	keys := v.MapKeys()
	sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(appendString(b, k.String()), ':')
		var err error
		if b, err = appendJSON(b, v.MapIndex(k)); err != nil {
			return nil, err
		}
	}
	return append(b, '}'), nil
}

func appendStruct(b []byte, v reflect.Value) ([]byte, error) {
	t := v.Type()
	b = append(b, '{')
	first := true
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		if f.Anonymous {
			// encoding/json's rules for embedded structs are intricate; no result type embeds.
			return nil, fmt.Errorf("mailseal: cannot encode embedded field %s.%s", t, f.Name)
		}
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = f.Name
		}
		fv := v.Field(i)
		if hasOption(opts, "omitempty") && isEmpty(fv) {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(appendString(b, name), ':')
		var err error
		if b, err = appendJSON(b, fv); err != nil {
			return nil, err
		}
	}
	return append(b, '}'), nil
}

// appendString writes s as a JSON string, each byte of invalid UTF-8 as
// U+FFFD, as encoding/json does (a UTF-8 decoder on the JavaScript side would
// merge some of them).
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				b = append(append(b, s[start:i]...), "\\ufffd"...)
				start = i + 1
			}
			i += size
			continue
		}
		if c >= 0x20 && c != '"' && c != '\\' {
			i++
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		}
		i++
		start = i
	}
	return append(append(b, s[start:]...), '"')
}

func hasOption(opts, want string) bool {
	for opts != "" {
		var o string
		o, opts, _ = strings.Cut(opts, ",")
		if o == want {
			return true
		}
	}
	return false
}

// isEmpty is encoding/json's notion of empty for omitempty.
func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64, reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}

// bytesToJS copies b into a new Uint8Array: the one copy across the boundary.
func bytesToJS(b []byte) js.Value {
	a := uint8ArrayClass.New(len(b))
	js.CopyBytesToJS(a, b)
	return a
}
