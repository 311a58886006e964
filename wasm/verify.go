//go:build js && wasm

package main

import (
	"syscall/js"
	"time"

	"github.com/mailseal/mailseal/internal/smime"
	"github.com/mailseal/mailseal/wasm/internal/errcode"
)

// verifyCall is mailseal.verify(raw, options?).
func verifyCall(args []js.Value) (func() (js.Value, error), error) {
	if len(args) < 1 {
		return nil, badArgument("verify needs the raw message")
	}
	raw, err := argBytes(args[0], "the message", smime.DefaultMaxSize)
	if err != nil {
		return nil, err
	}
	var opt js.Value
	if len(args) > 1 {
		opt = args[1]
	}
	opts, content, err := verifyOptions(opt)
	if err != nil {
		return nil, err
	}
	var mem *memoryOptions
	if opt.Type() == js.TypeObject {
		if mem, err = argMemoryOptions(opt.Get("memory")); err != nil {
			return nil, err
		}
	}
	return func() (js.Value, error) {
		opts.Intermediates = mem.intermediates()
		report, err := smime.Verify(raw, opts)
		if err != nil {
			return js.Undefined(), verifyError(err)
		}
		v, err := plain(report)
		if err != nil {
			return js.Undefined(), err
		}
		if content && report.SignedEntity != nil {
			v.Set("signedEntity", bytesToJS(report.SignedEntity))
		}
		now := opts.Now
		if now.IsZero() {
			now = time.Now()
		}
		if err := mem.consult(report, v, now); err != nil {
			return js.Undefined(), err
		}
		return v, nil
	}, nil
}

// verifyOptions reads the options of verify into smime.Options, with the
// WebCrypto backend, and says whether the caller wants the signed entity.
func verifyOptions(v js.Value) (opts smime.Options, content bool, err error) {
	opts.Backend = webCryptoBackend
	fields, err := optionsObject(v, "now", "deliveryTime", "roots", "userRoots", "crls", "requireRevocation", "content", "text", "memory")
	if err != nil {
		return opts, false, err
	}
	if f, ok := fields["now"]; ok && !f.IsUndefined() {
		if opts.Now, err = argTime(f, "options.now"); err != nil {
			return opts, false, err
		}
	}
	if f, ok := fields["deliveryTime"]; ok && !f.IsUndefined() && !f.IsNull() {
		if opts.DeliveryTime, err = argTime(f, "options.deliveryTime"); err != nil {
			return opts, false, err
		}
	}
	if f, ok := fields["roots"]; ok && !f.IsUndefined() {
		if opts.Roots, err = argCertificates(f, "options.roots"); err != nil {
			return opts, false, err
		}
	}
	if f, ok := fields["userRoots"]; ok && !f.IsUndefined() {
		if opts.UserRoots, err = argCertificates(f, "options.userRoots"); err != nil {
			return opts, false, err
		}
	}
	if f, ok := fields["crls"]; ok && !f.IsUndefined() {
		if opts.CRLs, err = argCRLs(f, "options.crls"); err != nil {
			return opts, false, err
		}
	}
	if opts.RequireRevocation, err = argBool(fields["requireRevocation"], "options.requireRevocation"); err != nil {
		return opts, false, err
	}
	if opts.Text, err = argBool(fields["text"], "options.text"); err != nil {
		return opts, false, err
	}
	opts.Charset = textDecoderCharset
	content, err = argBool(fields["content"], "options.content")
	return opts, content, err
}

// textDecoderCharset decodes with the browser's TextDecoder, which knows every label of the
// Encoding Standard, so that the module carries no charset tables of its own.
func textDecoderCharset(label string, body []byte) (text string, ok bool) {
	defer func() {
		if recover() != nil { // TextDecoder throws a RangeError for a label it does not know
			text, ok = "", false
		}
	}()
	decoder := js.Global().Get("TextDecoder").New(label)
	bytes := js.Global().Get("Uint8Array").New(len(body))
	js.CopyBytesToJS(bytes, body)
	return decoder.Call("decode", bytes).String(), true
}

// verifyError gives an error of smime.Verify its code. Every verdict on a
// message, malformed ones included, is a Report; Verify fails only for input
// it cannot use at all. (Size is checked before the copy, in verifyCall.)
func verifyError(err error) error {
	return &codedError{code: errcode.Malformed, err: err}
}
