//go:build js && wasm

package main

import (
	"errors"
	"fmt"
	"syscall/js"
)

// Codes of rejected Promises. They are part of the API: the extension decides
// what to show by code, never by message.
const (
	errMalformed   = "ERR_MALFORMED"
	errTooLarge    = "ERR_TOO_LARGE"
	errBadArgument = "ERR_BAD_ARGUMENT"
	errInternal    = "ERR_INTERNAL"
)

// codedError is an error with the code its rejection carries.
type codedError struct {
	code string
	err  error
}

func (e *codedError) Error() string { return e.err.Error() }
func (e *codedError) Unwrap() error { return e.err }

func badArgument(format string, a ...any) error {
	return &codedError{code: errBadArgument, err: fmt.Errorf("mailseal: "+format, a...)}
}

// jsError makes the Error a Promise rejects with. An error without a code is
// one nobody anticipated: ERR_INTERNAL.
func jsError(err error) js.Value {
	code := errInternal
	var ce *codedError
	if errors.As(err, &ce) {
		code = ce.code
	}
	e := js.Global().Get("Error").New(err.Error())
	e.Set("code", code)
	return e
}
