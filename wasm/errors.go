//go:build js && wasm

package main

import (
	"errors"
	"fmt"
	"syscall/js"

	"github.com/mailseal/mailseal/wasm/internal/errcode"
)

// codedError is an error with the code its rejection carries. The codes are
// errcode's table, the only place they are written.
type codedError struct {
	code errcode.Code
	err  error
}

func (e *codedError) Error() string { return e.err.Error() }
func (e *codedError) Unwrap() error { return e.err }

func badArgument(format string, a ...any) error {
	return &codedError{code: errcode.BadArgument, err: fmt.Errorf("mailseal: "+format, a...)}
}

// jsError makes the Error a Promise rejects with. An error without a code of
// its own takes the code errcode gives its kind; one nobody anticipated is
// ERR_INTERNAL.
func jsError(err error) js.Value {
	code := errcode.Of(err)
	var ce *codedError
	if errors.As(err, &ce) {
		code = ce.code
	}
	if code == "" {
		code = errcode.Internal
	}
	e := js.Global().Get("Error").New(err.Error())
	e.Set("code", string(code))
	return e
}
