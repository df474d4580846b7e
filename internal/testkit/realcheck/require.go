package realcheck

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// sbinDirs are searched after PATH because a test run by a non-login shell
// or by an IDE often lacks the sbin directories where iptables-restore,
// swanctl and ip live on Debian.
var sbinDirs = []string{"/usr/local/sbin", "/usr/sbin", "/sbin", "/usr/bin", "/bin"}

// lookTool returns the absolute path of an executable: name itself when it
// is a path, else the first hit in PATH or in sbinDirs.
func lookTool(name string) (string, bool) {
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

// Require skips the test unless every tool is installed and the test runs as
// root. When the environment variable CI is "true" it fails the test instead,
// so that a CI machine missing a package cannot turn the real-program checks
// into silent skips.
func Require(t testing.TB, tools ...string) {
	t.Helper()
	if os.Geteuid() != 0 {
		unavailable(t, "needs root (network and mount namespaces), running as uid %d", os.Geteuid())
	}
	requireTools(t, tools...)
}

// requireTools is Require without the root check, for programs such as
// vtysh -C and /bin/sh that any user may run.
func requireTools(t testing.TB, tools ...string) {
	t.Helper()
	for _, name := range tools {
		if _, ok := lookTool(name); !ok {
			unavailable(t, "%s is not installed", name)
		}
	}
}

// mustTool resolves a tool that requireTools has already vouched for.
func mustTool(t testing.TB, name string) string {
	t.Helper()
	p, ok := lookTool(name)
	if !ok {
		unavailable(t, "%s is not installed", name)
	}
	return p
}

// unavailable applies the skip rule: skip locally, fail under CI=true.
func unavailable(t testing.TB, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("realcheck: "+format+" (CI=true: failing instead of skipping)", args...)
	}
	t.Skipf("realcheck: "+format+" (set CI=true to make this a failure)", args...)
}
