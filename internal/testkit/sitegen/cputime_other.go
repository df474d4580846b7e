//go:build !unix

package sitegen

import "time"

// CPUTime returns 0 where getrusage does not exist; the benchmarks then
// report a CPU time of zero.
func CPUTime() time.Duration { return 0 }
