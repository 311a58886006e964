//go:build js && wasm && mailseal_testhooks

package main

import (
	"syscall/js"
)

// Test hooks, compiled only with -tags mailseal_testhooks (test/wasm builds
// dist/wasm/test/core.wasm with them): they break the core on purpose so the
// tests can watch the recovery and the loader's restart. Never shipped.
func init() {
	// panic panics inside a call: the Promise must reject with ERR_INTERNAL.
	calls["panic"] = func([]js.Value) (func() (js.Value, error), error) {
		return func() (js.Value, error) { panic("test hook: panic in a call") }, nil
	}
	// crash panics in a goroutine nobody recovers, which ends the Go program
	// while the call is pending, as a fatal runtime error would.
	calls["crash"] = func([]js.Value) (func() (js.Value, error), error) {
		return func() (js.Value, error) {
			go func() { panic("test hook: unrecovered panic") }()
			select {}
		}, nil
	}
}
