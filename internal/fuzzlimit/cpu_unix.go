//go:build unix

package fuzzlimit

import (
	"syscall"
	"time"
)

// cpuTime is the CPU the process has used: a fuzz worker runs one input at a time, so the
// difference over an input is that input's (with the garbage collection it caused).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
