package require

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// SkipOrFail stops the test because something it needs is missing: it
// skips, unless the environment variable CI is "true", where it fails.
// The message is the reason, formatted, followed by what CI=true does.
func SkipOrFail(t testing.TB, format string, args ...any) {
	t.Helper()
	reason := fmt.Sprintf(format, args...)
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s (CI=true: failing instead of skipping)", reason)
	}
	t.Skipf("%s (skipped; CI=true makes this a failure)", reason)
}

// geteuid is os.Geteuid, replaced by tests.
var geteuid = os.Geteuid

// Root requires that the test run as root, as namespaces, mounts and
// netlink writes do, and that every program is installed (see Programs).
func Root(t testing.TB, programs ...string) {
	t.Helper()
	if uid := geteuid(); uid != 0 {
		SkipOrFail(t, "needs root, running as uid %d", uid)
	}
	Programs(t, programs...)
}

// Programs requires every named program to be installed; a name is a path
// or is looked up as Find does.
func Programs(t testing.TB, names ...string) {
	t.Helper()
	for _, name := range names {
		Program(t, name)
	}
}

// Program requires the named program and returns its absolute path.
func Program(t testing.TB, name string) string {
	t.Helper()
	p, ok := Find(name)
	if !ok {
		SkipOrFail(t, "needs %s, which is not installed", name)
	}
	return p
}

// sbinDirs are searched after PATH because a test run by a non-login shell
// or by an IDE often lacks the sbin directories where iptables-restore,
// swanctl and ip live on Debian.
var sbinDirs = []string{"/usr/local/sbin", "/usr/sbin", "/sbin", "/usr/bin", "/bin"}

// Find returns the absolute path of an executable: name itself when it is
// absolute, else the first hit in PATH or in the sbin directories.
func Find(name string) (string, bool) {
	if filepath.IsAbs(name) {
		return name, isExecutable(name)
	}
	if p, err := exec.LookPath(name); err == nil {
		if abs, err := filepath.Abs(p); err == nil {
			return abs, true
		}
	}
	for _, dir := range sbinDirs {
		p := filepath.Join(dir, name)
		if isExecutable(p) {
			return p, true
		}
	}
	return "", false
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
}

// Lab requires the lab VM: available (lab.Available, passed in so that
// this package need not import internal/e2e/lab) reports why this machine
// cannot boot it. `go test -short` skips the test without asking, even
// with CI=true: the VM tests are slow.
func Lab(t testing.TB, available func() error) {
	t.Helper()
	if testing.Short() {
		t.Skip("lab VM tests are slow; skipped with -short")
	}
	if err := available(); err != nil {
		SkipOrFail(t, "needs the lab VM: %v", err)
	}
}
