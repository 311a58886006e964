//go:build js && wasm

package main

import (
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"math"
	"sync"
	"syscall/js"
	"time"

	"github.com/mailseal/mailseal/wasm/internal/errcode"
)

var (
	uint8ArrayClass = js.Global().Get("Uint8Array")
	dateClass       = js.Global().Get("Date")
	arrayClass      = js.Global().Get("Array")
	objectClass     = js.Global().Get("Object")
)

// argBytes copies a Uint8Array argument into Go. One longer than max is
// refused before it is copied: the copy would be the largest allocation.
func argBytes(v js.Value, what string, max int) ([]byte, error) {
	if !v.InstanceOf(uint8ArrayClass) {
		return nil, badArgument("%s must be a Uint8Array, not %s", what, describe(v))
	}
	n := v.Length()
	if n > max {
		return nil, &codedError{code: errcode.TooLarge, err: fmt.Errorf("mailseal: %s is %d bytes, more than the limit of %d", what, n, max)}
	}
	b := make([]byte, n)
	js.CopyBytesToGo(b, v)
	return b, nil
}

// optionsObject returns the keys of an options argument, refusing unknown ones:
// a misspelt option silently ignored would change a verdict unnoticed.
func optionsObject(v js.Value, known ...string) (map[string]js.Value, error) {
	if v.IsUndefined() || v.IsNull() {
		return nil, nil
	}
	if v.Type() != js.TypeObject || v.InstanceOf(arrayClass) || v.InstanceOf(uint8ArrayClass) {
		return nil, badArgument("options must be an object, not %s", describe(v))
	}
	keys := objectClass.Call("keys", v)
	opts := make(map[string]js.Value, keys.Length())
	for i := range keys.Length() {
		k := keys.Index(i).String()
		if !contains(known, k) {
			return nil, badArgument("unknown option %q (known: %v)", k, known)
		}
		opts[k] = v.Get(k)
	}
	return opts, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// argTime reads an RFC 3339 string or a Date.
func argTime(v js.Value, what string) (time.Time, error) {
	switch {
	case v.Type() == js.TypeString:
		t, err := time.Parse(time.RFC3339Nano, v.String())
		if err != nil {
			return time.Time{}, badArgument("%s: %q is not an RFC 3339 time", what, v.String())
		}
		return t, nil
	case v.InstanceOf(dateClass):
		ms := v.Call("getTime").Float()
		if math.IsNaN(ms) {
			return time.Time{}, badArgument("%s is an invalid Date", what)
		}
		return time.UnixMilli(int64(ms)).UTC(), nil
	}
	return time.Time{}, badArgument("%s must be an RFC 3339 string or a Date, not %s", what, describe(v))
}

// argCertificates reads certificates given as a PEM string (any number of
// CERTIFICATE blocks), a DER Uint8Array, or an array of those.
func argCertificates(v js.Value, what string) ([]*x509.Certificate, error) {
	if v.InstanceOf(arrayClass) {
		var certs []*x509.Certificate
		for i := range v.Length() {
			c, err := argCertificates(v.Index(i), what)
			if err != nil {
				return nil, err
			}
			certs = append(certs, c...)
		}
		return certs, nil
	}
	switch {
	case v.Type() == js.TypeString:
		return pemCertificates([]byte(v.String()), what)
	case v.InstanceOf(uint8ArrayClass):
		der := make([]byte, v.Length())
		js.CopyBytesToGo(der, v)
		c, err := parsedCertificate(der)
		if err != nil {
			return nil, badArgument("%s: %v", what, err)
		}
		return []*x509.Certificate{c}, nil
	}
	return nil, badArgument("%s must be a PEM string, a DER Uint8Array or an array of them, not %s", what, describe(v))
}

// parsedRoots keeps the anchors callers pass: the extension passes the same few
// with every message, and parsing them again costs more in WebAssembly than the
// rest of a warm verify's argument handling.
var parsedRoots = struct {
	sync.Mutex
	m map[string]*x509.Certificate
}{m: map[string]*x509.Certificate{}}

const maxParsedRoots = 256

func parsedCertificate(der []byte) (*x509.Certificate, error) {
	parsedRoots.Lock()
	c, ok := parsedRoots.m[string(der)]
	parsedRoots.Unlock()
	if ok {
		return c, nil
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	parsedRoots.Lock()
	if len(parsedRoots.m) >= maxParsedRoots {
		clear(parsedRoots.m)
	}
	parsedRoots.m[string(der)] = c
	parsedRoots.Unlock()
	return c, nil
}

func pemCertificates(data []byte, what string) ([]*x509.Certificate, error) {
	var certs []*x509.Certificate
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			return nil, badArgument("%s: PEM block %q is not a CERTIFICATE", what, block.Type)
		}
		c, err := parsedCertificate(block.Bytes)
		if err != nil {
			return nil, badArgument("%s: %v", what, err)
		}
		certs = append(certs, c)
	}
	if len(certs) == 0 {
		return nil, badArgument("%s: no PEM CERTIFICATE block found", what)
	}
	return certs, nil
}

// argCRLs reads revocation lists given as a PEM string (any number of X509 CRL
// blocks), a DER Uint8Array, or an array of those. They are parsed here so
// that a broken one is a bad argument, not a verdict.
func argCRLs(v js.Value, what string) ([][]byte, error) {
	if v.InstanceOf(arrayClass) {
		var crls [][]byte
		for i := range v.Length() {
			c, err := argCRLs(v.Index(i), what)
			if err != nil {
				return nil, err
			}
			crls = append(crls, c...)
		}
		return crls, nil
	}
	var ders [][]byte
	switch {
	case v.Type() == js.TypeString:
		data := []byte(v.String())
		for {
			var block *pem.Block
			if block, data = pem.Decode(data); block == nil {
				break
			}
			if block.Type != "X509 CRL" {
				return nil, badArgument("%s: PEM block %q is not an X509 CRL", what, block.Type)
			}
			ders = append(ders, block.Bytes)
		}
		if len(ders) == 0 {
			return nil, badArgument("%s: no PEM X509 CRL block found", what)
		}
	case v.InstanceOf(uint8ArrayClass):
		der := make([]byte, v.Length())
		js.CopyBytesToGo(der, v)
		ders = append(ders, der)
	default:
		return nil, badArgument("%s must be a PEM string, a DER Uint8Array or an array of them, not %s", what, describe(v))
	}
	for _, der := range ders {
		if _, err := x509.ParseRevocationList(der); err != nil {
			return nil, badArgument("%s: %v", what, err)
		}
	}
	return ders, nil
}

// argBool reads a boolean option; undefined is false.
func argBool(v js.Value, what string) (bool, error) {
	switch v.Type() {
	case js.TypeUndefined:
		return false, nil
	case js.TypeBoolean:
		return v.Bool(), nil
	}
	return false, badArgument("%s must be a boolean, not %s", what, describe(v))
}

// describe names a JavaScript value's type for an error message without
// echoing its content (which may be a whole message).
func describe(v js.Value) string {
	switch {
	case v.Type() != js.TypeObject:
		return v.Type().String()
	case v.InstanceOf(arrayClass):
		return "an array"
	}
	if c := v.Get("constructor"); c.Type() == js.TypeFunction {
		return "a " + c.Get("name").String()
	}
	return "an object"
}
