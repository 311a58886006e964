//go:build !unix

package fuzzlimit

import "time"

var start = time.Now()

// cpuTime falls back to wall time where the process's CPU time cannot be read.
func cpuTime() time.Duration { return time.Since(start) }
