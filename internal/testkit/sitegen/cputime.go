//go:build unix

package sitegen

import (
	"syscall"
	"time"
)

// CPUTime returns the CPU time (user and system) this process has used so
// far. The scale benchmarks report it per operation next to the wall time,
// because on a shared machine the wall time also counts waiting for a CPU.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
