//go:build js && wasm

package main

import (
	"encoding"
	"encoding/base64"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"syscall/js"
)

// plain converts a result (smime.Report, a classification) into plain
// JavaScript data with exactly the shape of its encoding/json encoding, which
// is what `mailseal verify --json` prints: one Go type, one shape, on both
// sides. It follows encoding/json's rules for what our result types use:
// field names and omitempty from the json tag, "-" left out, nil slices and
// pointers as null, time.Time (any encoding.TextMarshaler) as its text, []byte
// as base64, map keys sorted. TestPlainMatchesJSON holds it to encoding/json.
//
// Not github.com/norunners/vert, which the result types' js tags were written
// for, because vert cannot carry a Report faithfully (checked against the
// version in go.mod, v0.0.0-20221203075838):
//   - time.Time has only unexported fields, so vert turns every time into {};
//   - vert does not know the "-" tag: SignedEntity would become a property
//     named "-" holding the signed content as an Array of numbers, one JS
//     value per byte (millions for a large message);
//   - vert ignores omitempty, so absent fields would be null, "" or false
//     where the CLI leaves them out, and Go and JS would disagree in shape.
//
// Not encoding/json plus JSON.parse either, though that is the obvious way to
// get the same shape: encoding/json adds 75 KB (gzip) to the module, this
// walk a few.
func plain(v any) (js.Value, error) {
	return plainValue(reflect.ValueOf(v))
}

var textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()

func plainValue(v reflect.Value) (js.Value, error) {
	if !v.IsValid() {
		return js.Null(), nil
	}
	if v.Type().Implements(textMarshaler) && (v.Kind() != reflect.Pointer || !v.IsNil()) {
		text, err := v.Interface().(encoding.TextMarshaler).MarshalText()
		if err != nil {
			return js.Undefined(), fmt.Errorf("mailseal: encoding %s: %w", v.Type(), err)
		}
		return js.ValueOf(string(text)), nil
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return js.Null(), nil
		}
		return plainValue(v.Elem())
	case reflect.String:
		return js.ValueOf(v.String()), nil
	case reflect.Bool:
		return js.ValueOf(v.Bool()), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return js.ValueOf(v.Int()), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return js.ValueOf(v.Uint()), nil
	case reflect.Float32, reflect.Float64:
		return js.ValueOf(v.Float()), nil
	case reflect.Slice:
		if v.IsNil() {
			return js.Null(), nil
		}
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return js.ValueOf(base64.StdEncoding.EncodeToString(v.Bytes())), nil
		}
		return plainArray(v)
	case reflect.Array:
		return plainArray(v)
	case reflect.Map:
		if v.IsNil() {
			return js.Null(), nil
		}
		return plainMap(v)
	case reflect.Struct:
		return plainStruct(v)
	}
	return js.Undefined(), fmt.Errorf("mailseal: cannot encode a %s", v.Type())
}

func plainArray(v reflect.Value) (js.Value, error) {
	a := arrayClass.New(v.Len())
	for i := range v.Len() {
		e, err := plainValue(v.Index(i))
		if err != nil {
			return js.Undefined(), err
		}
		a.SetIndex(i, e)
	}
	return a, nil
}

func plainMap(v reflect.Value) (js.Value, error) {
	if v.Type().Key().Kind() != reflect.String {
		return js.Undefined(), fmt.Errorf("mailseal: cannot encode a %s", v.Type())
	}
	keys := v.MapKeys()
	sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
	o := objectClass.New()
	for _, k := range keys {
		e, err := plainValue(v.MapIndex(k))
		if err != nil {
			return js.Undefined(), err
		}
		o.Set(k.String(), e)
	}
	return o, nil
}

func plainStruct(v reflect.Value) (js.Value, error) {
	o := objectClass.New()
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		if f.Anonymous {
			// encoding/json's rules for embedded structs are intricate; no result type embeds.
			return js.Undefined(), fmt.Errorf("mailseal: cannot encode embedded field %s.%s", t, f.Name)
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
		e, err := plainValue(fv)
		if err != nil {
			return js.Undefined(), err
		}
		o.Set(name, e)
	}
	return o, nil
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
