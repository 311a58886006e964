//go:build js && wasm

package main

import (
	"bytes"
	"errors"
	"strings"
	"syscall/js"
	"testing"

	"github.com/mailseal/mailseal/wasm/internal/errcode"
)

// callAPI calls a method of a fresh globalThis.mailseal object the way
// JavaScript does and waits for its Promise.
func callAPI(t *testing.T, name string, args ...any) (js.Value, error) {
	t.Helper()
	p := newAPI().Call(name, args...)
	if !p.InstanceOf(js.Global().Get("Promise")) {
		t.Fatalf("%s returned %s, not a Promise", name, p.Type())
	}
	return await(p)
}

// rejection is what await gives for a rejected call: the JavaScript Error, kept whole.
type rejection struct {
	code    errcode.Code
	message string
}

// callAPIError calls like callAPI and returns the code of the Error the call rejects with.
func callAPIError(t *testing.T, name string, args ...any) rejection {
	t.Helper()
	p := newAPI().Call(name, args...)
	done := make(chan rejection, 1)
	onValue := js.FuncOf(func(js.Value, []js.Value) any { done <- rejection{code: "(resolved)"}; return nil })
	onError := js.FuncOf(func(_ js.Value, a []js.Value) any {
		e := a[0]
		if !e.InstanceOf(js.Global().Get("Error")) {
			done <- rejection{code: "(not an Error)"}
			return nil
		}
		done <- rejection{code: errcode.Code(e.Get("code").String()), message: e.Get("message").String()}
		return nil
	})
	defer onValue.Release()
	defer onError.Release()
	p.Call("then", onValue, onError)
	return <-done
}

func TestPromiseSettles(t *testing.T) {
	cases := []struct {
		name string
		c    call
		want errcode.Code // rejection code, "" for a resolved Promise
	}{
		{"result", func([]js.Value) (func() (js.Value, error), error) {
			return func() (js.Value, error) { return js.ValueOf(42), nil }, nil
		}, ""},
		{"bad argument", func([]js.Value) (func() (js.Value, error), error) {
			return nil, badArgument("no")
		}, errcode.BadArgument},
		{"work fails with a code", func([]js.Value) (func() (js.Value, error), error) {
			return func() (js.Value, error) { return js.Undefined(), &codedError{errcode.Malformed, errors.New("x")} }, nil
		}, errcode.Malformed},
		{"work fails without a code", func([]js.Value) (func() (js.Value, error), error) {
			return func() (js.Value, error) { return js.Undefined(), errors.New("unexpected") }, nil
		}, errcode.Internal},
		{"panic while reading arguments", func(args []js.Value) (func() (js.Value, error), error) {
			_ = args[5]
			return nil, nil
		}, errcode.Internal},
		{"panic in the work", func([]js.Value) (func() (js.Value, error), error) {
			return func() (js.Value, error) { var m map[string]int; m["x"] = 1; return js.Undefined(), nil }, nil
		}, errcode.Internal},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			calls["test"] = c.c
			defer delete(calls, "test")
			if c.want == "" {
				v, err := callAPI(t, "test")
				if err != nil || v.Int() != 42 {
					t.Fatalf("got %v, %v", v, err)
				}
				return
			}
			if r := callAPIError(t, "test"); r.code != c.want {
				t.Fatalf("rejected with %q (%s), want %q", r.code, r.message, c.want)
			}
		})
	}
}

func TestVerifyRefusesBadArguments(t *testing.T) {
	msg := bytesToJS([]byte("From: a@example.com\r\n\r\nhello\r\n"))
	cases := []struct {
		name string
		args []any
		want errcode.Code
	}{
		{"no message", nil, errcode.BadArgument},
		{"a string message", []any{"From: a@example.com\r\n\r\n"}, errcode.BadArgument},
		{"an ArrayBuffer message", []any{msg.Get("buffer")}, errcode.BadArgument},
		{"options not an object", []any{msg, "now"}, errcode.BadArgument},
		{"an unknown option", []any{msg, map[string]any{"userroots": "x"}}, errcode.BadArgument},
		{"now not a time", []any{msg, map[string]any{"now": "yesterday"}}, errcode.BadArgument},
		{"now an invalid Date", []any{msg, map[string]any{"now": js.Global().Get("Date").New("nonsense")}}, errcode.BadArgument},
		{"now a number", []any{msg, map[string]any{"now": 1700000000}}, errcode.BadArgument},
		{"roots without a certificate", []any{msg, map[string]any{"roots": "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"}}, errcode.BadArgument},
		{"roots not PEM", []any{msg, map[string]any{"roots": "hello"}}, errcode.BadArgument},
		{"roots not DER", []any{msg, map[string]any{"roots": bytesToJS([]byte{0x30, 0x03, 1, 2, 3})}}, errcode.BadArgument},
		{"userRoots with a bad element", []any{msg, map[string]any{"userRoots": []any{42}}}, errcode.BadArgument},
		{"content not a boolean", []any{msg, map[string]any{"content": "yes"}}, errcode.BadArgument},
		{"too large", []any{js.Global().Get("Uint8Array").New(64<<20 + 1)}, errcode.TooLarge},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := callAPIError(t, "verify", c.args...)
			if r.code != c.want {
				t.Fatalf("rejected with %q (%s), want %q", r.code, r.message, c.want)
			}
			if strings.Contains(r.message, "a@example.com") {
				t.Errorf("the error repeats the message: %s", r.message)
			}
		})
	}
}

func TestClassifyRefusesWhatIsNotACertificate(t *testing.T) {
	for _, c := range []struct {
		name string
		arg  any
		want errcode.Code
	}{
		{"not bytes", "MIIB", errcode.BadArgument},
		{"not DER", bytesToJS([]byte("-----BEGIN CERTIFICATE-----")), errcode.Malformed},
		{"too large", js.Global().Get("Uint8Array").New(maxCertificateSize + 1), errcode.TooLarge},
	} {
		if r := callAPIError(t, "classify", c.arg); r.code != c.want {
			t.Errorf("%s: rejected with %q (%s), want %q", c.name, r.code, r.message, c.want)
		}
	}
}

func TestVersion(t *testing.T) {
	if v := newAPI().Call("version"); v.Type() != js.TypeString || v.String() == "" {
		t.Fatalf("version() = %v", v)
	}
}

// Every method of the table is documented in main.go's list and typed in extension/types.
func TestCallsAreDocumentedAndTyped(t *testing.T) {
	doc := read(t, "main.go")
	var types []byte
	for _, f := range []string{"mailseal.d.ts", "signing.d.ts"} {
		types = append(types, read(t, "../extension/types/"+f)...)
	}
	for name := range calls {
		if !bytes.Contains(doc, []byte("mailseal."+name+"(")) {
			t.Errorf("main.go does not list mailseal.%s", name)
		}
		if !bytes.Contains(types, []byte("\n  "+name+"(")) {
			t.Errorf("extension/types does not type %s", name)
		}
	}
}
