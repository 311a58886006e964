// Package fuzzlimit bounds the work of one fuzz input. Go's fuzzer has no per-input time
// limit: a slow input just makes the run slow, and is never reported. A target whose code
// could be slow on hostile input runs each input through Run, which fails it when it uses
// more than a second of CPU or allocates more than 256 MB, so a slow input becomes a
// finding saved under testdata/fuzz like a crash.
package fuzzlimit

import (
	"fmt"
	"runtime/metrics"
	"testing"
	"time"
)

const (
	// CPU is the CPU time one input may take.
	CPU = time.Second
	// Alloc is the memory one input may allocate, in bytes.
	Alloc = 256 << 20
	// hang is the wall time after which an input is stopped: a loop that never ends must
	// end the worker, as a failed check after it would never run. It is far above CPU so
	// that a machine shared with other work does not stop a fair input.
	hang = 60 * time.Second
)

// Run runs fn, the work for one input, and fails t when it was too slow or too hungry.
func Run(t testing.TB, fn func()) {
	t.Helper()
	cpu0, alloc0 := cpuTime(), allocated()
	watchdog := time.AfterFunc(hang, func() {
		panic(fmt.Sprintf("fuzzlimit: the input ran for more than %v", hang))
	})
	fn()
	watchdog.Stop()
	if d := cpuTime() - cpu0; d > CPU {
		t.Fatalf("the input took %v of CPU, more than %v", d.Round(time.Millisecond), CPU)
	}
	if a := allocated() - alloc0; a > Alloc {
		t.Fatalf("the input allocated %d MB, more than %d", a>>20, Alloc>>20)
	}
}

var allocSample = []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}

// allocated is the bytes the process has allocated on the heap since it started.
func allocated() uint64 {
	metrics.Read(allocSample)
	return allocSample[0].Value.Uint64()
}

// CPUTime is the CPU time the process has used so far: tests that bound the work of hostile
// input compare two readings, which other processes on a busy machine do not move, as they
// move wall time.
func CPUTime() time.Duration { return cpuTime() }
