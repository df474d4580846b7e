package testdaemon

import (
	"os"
	"os/exec"
	"testing"
)

// Require skips the test unless it runs as root with the named programs
// installed; with CI=true it fails instead, so that a CI machine missing a
// package cannot turn the real-daemon tests into silent skips.
func Require(t testing.TB, programs ...string) {
	t.Helper()
	why := ""
	if os.Geteuid() != 0 {
		why = "needs root (network and mount namespaces)"
	}
	for _, p := range programs {
		if _, err := exec.LookPath(p); err != nil && why == "" {
			why = p + " is not installed"
		}
	}
	if why == "" {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s (CI=true: failing instead of skipping)", why)
	}
	t.Skipf("%s (set CI=true to make this a failure)", why)
}

// prefixed returns prefix followed by args, in a new slice.
func prefixed(prefix []string, args ...string) []string {
	return append(append([]string{}, prefix...), args...)
}
