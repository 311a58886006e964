//go:build js && wasm

package main

import (
	"errors"
	"fmt"
	"syscall/js"
)

// await blocks the calling goroutine until the JavaScript promise p settles.
// It must never run on the goroutine of a js.FuncOf callback: that goroutine
// is the event loop's turn, and p cannot settle while it is blocked. Every
// call in calls runs its work in a goroutine of its own, which makes this safe.
func await(p js.Value) (js.Value, error) {
	type outcome struct {
		v   js.Value
		err error
	}
	done := make(chan outcome, 1)
	onValue := js.FuncOf(func(_ js.Value, args []js.Value) any {
		done <- outcome{v: args[0]}
		return nil
	})
	onError := js.FuncOf(func(_ js.Value, args []js.Value) any {
		done <- outcome{err: fromJSError(args[0])}
		return nil
	})
	defer onValue.Release()
	defer onError.Release()
	p.Call("then", onValue, onError)
	o := <-done
	return o.v, o.err
}

// callJS calls a JavaScript method, turning an exception it throws into an
// error (syscall/js panics with it).
func callJS(v js.Value, method string, args ...any) (res js.Value, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%s threw: %v", method, r)
		}
	}()
	return v.Call(method, args...), nil
}

// fromJSError describes a rejection reason, usually a DOMException.
func fromJSError(v js.Value) error {
	if v.Type() == js.TypeObject {
		name, msg := v.Get("name"), v.Get("message")
		if name.Type() == js.TypeString && msg.Type() == js.TypeString {
			return fmt.Errorf("%s: %s", name.String(), msg.String())
		}
	}
	if v.Type() == js.TypeString {
		return errors.New(v.String())
	}
	return fmt.Errorf("rejected with %s", v.Type())
}
