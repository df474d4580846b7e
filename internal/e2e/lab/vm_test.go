package lab

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vtic/vtic/internal/testkit/require"
)

// TestVMExitCode proves the plumbing a scenario relies on: the script
// runs inside the host's file system, modules autoload, its output and exit
// code come back, files it writes appear in the share, and a non-zero exit
// is an ExitError.
func TestVMExitCode(t *testing.T) {
	require.Lab(t, Available)
	share := t.TempDir()
	console := filepath.Join(t.TempDir(), "console.log")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	res, err := Run(ctx, Config{
		// dummy is not loaded by init: creating one proves that the kernel's
		// module autoloading reaches the real root through lab-modprobe.
		Script: "echo hello from $(uname -r)\n" +
			"lsmod | grep -q '^ip_vti ' && echo vti-loaded\n" +
			"ip link add lab0 type dummy && echo dummy-autoloaded\n" +
			"echo done > /share/marker\n" +
			"exit 3\n",
		ShareDir:   share,
		ConsoleLog: console,
	})
	t.Logf("boot %s, run %s", res.BootTime.Round(time.Millisecond), res.Duration.Round(time.Millisecond))
	var exitErr *ExitError
	if !errors.As(err, &exitErr) || exitErr.Code != 3 {
		t.Fatalf("Run error = %v, want an ExitError with code 3", err)
	}
	if res.ExitCode != 3 {
		t.Errorf("ExitCode = %d, want 3", res.ExitCode)
	}
	k, _ := FindKernel()
	if want := "hello from " + k.Version; !strings.Contains(res.Output, want) {
		t.Errorf("output %q lacks %q", res.Output, want)
	}
	for _, want := range []string{"vti-loaded", "dummy-autoloaded"} {
		if !strings.Contains(res.Output, want) {
			t.Errorf("guest output lacks %q:\n%s", want, res.Output)
		}
	}
	if b, err := os.ReadFile(filepath.Join(share, "marker")); err != nil || string(b) != "done\n" {
		t.Errorf("file written by the guest: %q, %v", b, err)
	}
	if b, err := os.ReadFile(console); err != nil || !strings.Contains(string(b), startMarker) {
		t.Errorf("console log lacks %q: %v\n%s", startMarker, err, b)
	}
	if res.BootTime <= 0 || res.BootTime >= res.Duration {
		t.Errorf("BootTime %s not within Duration %s", res.BootTime, res.Duration)
	}
}

// TestVMTimeout proves that a hung guest ends in an error naming the
// timeout, and that qemu is gone afterwards.
func TestVMTimeout(t *testing.T) {
	require.Lab(t, Available)
	share := t.TempDir()
	start := time.Now()
	res, err := Run(context.Background(), Config{Script: "sleep 600\n", ShareDir: share, Timeout: 20 * time.Second})
	elapsed := time.Since(start)
	if err == nil || !strings.Contains(err.Error(), "timed out") {
		t.Fatalf("Run error = %v, want a timeout", err)
	}
	if res.ExitCode != -1 {
		t.Errorf("ExitCode = %d, want -1", res.ExitCode)
	}
	if elapsed > 40*time.Second {
		t.Errorf("Run took %s after a 20s timeout", elapsed)
	}
	if !strings.Contains(err.Error(), "--- console") {
		t.Errorf("timeout error does not quote the console:\n%v", err)
	}
	// Only this test's VM exports this share directory.
	if out, _ := exec.Command("pgrep", "-f", "path="+share+",").Output(); len(out) > 0 {
		t.Errorf("qemu still running after the timeout: pids %s", out)
	}
}

// TestVMCancel proves that canceling the caller's context kills the VM and
// says so, as distinct from the run's own timeout.
func TestVMCancel(t *testing.T) {
	require.Lab(t, Available)
	share := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	start := time.Now()
	_, err := Run(ctx, Config{Script: "sleep 600\n", ShareDir: share})
	if err == nil || !strings.Contains(err.Error(), "canceled") || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Run error = %v, want a cancellation wrapping context.DeadlineExceeded", err)
	}
	if elapsed := time.Since(start); elapsed > 35*time.Second {
		t.Errorf("Run returned %s after the context ended at 15s", elapsed)
	}
	if out, _ := exec.Command("pgrep", "-f", "path="+share+",").Output(); len(out) > 0 {
		t.Errorf("qemu still running after cancel: pids %s", out)
	}
}
