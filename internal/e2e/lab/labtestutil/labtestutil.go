// Package labtestutil holds the helpers that the tests booting the lab VM
// (internal/e2e/lab, internal/e2e/labtest, internal/e2e/healthlab, internal/e2e/scalelab) share. It is
// for tests only, hence its use of package testing. It does not import
// internal/e2e/lab, so that internal/e2e/lab's own tests can use it too. The
// tests check for the lab with require.Lab(t, lab.Available)
// (internal/testkit/require).
package labtestutil

import (
	"bufio"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// Time is one "LAB-TIME <milestone> <seconds>" line of a guest script's
// output: the milestone and the seconds since the script started.
type Time struct {
	Name string
	Secs float64
}

// Times collects the guest script's "LAB-TIME <milestone> <seconds>" lines
// (printed by mark of lab-lib.sh), in order.
func Times(output string) []Time {
	var out []Time
	sc := bufio.NewScanner(strings.NewReader(output))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 3 || f[0] != "LAB-TIME" {
			continue
		}
		if s, err := strconv.ParseFloat(f[2], 64); err == nil {
			out = append(out, Time{f[1], s})
		}
	}
	return out
}

// BuildVtic builds the vtic command into dst, statically linked
// (CGO_ENABLED=0) so that the guest runs it whatever its libraries.
func BuildVtic(t testing.TB, dst string) {
	t.Helper()
	cmd := exec.Command("go", "build", "-o", dst, "github.com/vtic/vtic/cmd/vtic")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build vtic: %v\n%s", err, out)
	}
}

// Tail returns the last n lines of s, for failure messages.
func Tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
