package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// vticPath returns a vtic binary to run as a separate process: the copy of
// this test binary that testscript.Main (see TestMain) put in $PATH, or,
// when there is none, one built with go build.
func vticPath(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("vtic"); err == nil && strings.Contains(p, "testscript-main") {
		return p
	}
	bin := filepath.Join(t.TempDir(), "vtic")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// result is what one run of vtic did.
type result struct {
	stdout, stderr string
	code           int
}

// runVtic runs bin in dir with exactly the environment env, so that no
// variable of the developer's (a PSK in env(), NO_COLOR) changes the output.
func runVtic(t *testing.T, bin, dir string, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	code := 0
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		t.Fatalf("run vtic %s: %v", strings.Join(args, " "), err)
	}
	return result{stdout.String(), stderr.String(), code}
}

// baseEnv is a minimal environment: PATH (for git and the vtic copy) and a
// HOME of the test's own.
func baseEnv(t *testing.T) []string {
	t.Helper()
	return []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + t.TempDir(),
		"LC_ALL=C",
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_CONFIG_GLOBAL=" + os.DevNull,
	}
}
