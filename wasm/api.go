//go:build js && wasm

package main

import (
	"fmt"
	"runtime/debug"
	"syscall/js"

	"github.com/mailseal/mailseal/wasm/internal/errcode"
)

// A call reads its arguments while JavaScript waits (so the caller may reuse
// its buffers as soon as the method returns) and gives back the work that
// settles the Promise, which runs in a goroutine.
type call func(args []js.Value) (work func() (js.Value, error), err error)

// calls are the asynchronous methods of globalThis.mailseal, the whole table.
// To add one: write its call (arguments read and checked, then the work) in a
// file of its own, add its row here, list it in main.go's package doc and type
// it in extension/types/. Its errors get their codes from errcode's table.
var calls = map[string]call{
	"verify":   verifyCall,   // verify.go
	"classify": classifyCall, // classify.go

	"importIdentity":   importIdentityCall,   // identity.go
	"sealIdentity":     sealIdentityCall,     // identity.go
	"describeIdentity": describeIdentityCall, // identity.go
	"unlockIdentity":   unlockIdentityCall,   // identity.go
	"exportIdentity":   exportIdentityCall,   // identity.go
	"sign":             signCall,             // sign.go

	"decrypt": decryptCall, // envelope.go
	"encrypt": encryptCall, // envelope.go

	"recipientCertificates": recipientCertificatesCall, // recipients.go

	"memoryLoad":   memoryLoadCall,   // memory.go
	"memoryExport": memoryExportCall, // memory.go
	"memoryList":   memoryListCall,   // memory.go
	"memoryEdit":   memoryEditCall,   // memory.go
}

// newAPI builds the object installed as globalThis.mailseal.
func newAPI() js.Value {
	api := js.Global().Get("Object").New()
	api.Set("version", js.FuncOf(func(js.Value, []js.Value) any { return version }))
	for name, c := range calls {
		api.Set(name, js.FuncOf(func(_ js.Value, args []js.Value) any { return promise(c, args) }))
	}
	return api
}

// promise runs c and returns a Promise for its result. Nothing c does can
// throw into the caller or stop the program: errors reject, panics reject
// with ERR_INTERNAL.
func promise(c call, args []js.Value) js.Value {
	var resolve, reject js.Value
	executor := js.FuncOf(func(_ js.Value, fns []js.Value) any {
		resolve, reject = fns[0], fns[1]
		return nil
	})
	p := js.Global().Get("Promise").New(executor)
	executor.Release()

	settle := func(v js.Value, err error) {
		if err != nil {
			reject.Invoke(jsError(err))
			return
		}
		resolve.Invoke(v)
	}
	var work func() (js.Value, error)
	err := recovered(func() (err error) {
		work, err = c(args)
		return err
	})
	if err != nil {
		settle(js.Undefined(), err)
		return p
	}
	go func() {
		var v js.Value
		err := recovered(func() (err error) {
			v, err = work()
			return err
		})
		settle(v, err)
	}()
	return p
}

// recovered runs f and turns a panic into an ERR_INTERNAL error. The stack
// goes to the console, where a developer can find it; the caller gets a short
// message. It calls console.error itself: writing to os.Stderr waits for a
// callback under Node, which never comes while a js.FuncOf callback runs.
func recovered(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			js.Global().Get("console").Call("error", fmt.Sprintf("mailseal: recovered from panic: %v\n%s", r, debug.Stack()))
			err = &codedError{code: errcode.Internal, err: fmt.Errorf("mailseal: internal error: %v", r)}
		}
	}()
	return f()
}
