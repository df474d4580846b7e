package frrreload

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// require skips the test unless it runs as root with the named programs
// installed; with CI=true it fails instead.
func require(t *testing.T, programs ...string) {
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

// startFRR runs zebra, bgpd and staticd in new network and mount
// namespaces, with a copy of /etc/frr and a private /run, and returns the
// command prefix that runs a program inside them.
func startFRR(t *testing.T) []string {
	t.Helper()
	require(t, "unshare", "nsenter", "vtysh", "/usr/lib/frr/bgpd", "/usr/lib/frr/zebra", "/usr/lib/frr/staticd", DefaultReload[0])
	dir := t.TempDir()
	etc := filepath.Join(dir, "etc")
	if out, err := exec.Command("cp", "-a", "/etc/frr", etc).CombinedOutput(); err != nil {
		t.Fatalf("copy /etc/frr: %v\n%s", err, out)
	}
	os.Remove(filepath.Join(etc, "frr.conf"))
	os.Remove(filepath.Join(etc, "bgpd.conf"))
	os.Remove(filepath.Join(etc, "staticd.conf"))
	if out, err := exec.Command("chown", "-R", "frr:frr", etc).CombinedOutput(); err != nil {
		t.Fatalf("chown: %v\n%s", err, out)
	}
	ready := filepath.Join(dir, "ready")
	script := `set -e
mount -t tmpfs -o mode=0755 vtic-test-run /run
install -d -o frr -g frr /run/frr
mount --bind "$1" /etc/frr
ip link set lo up
for d in zebra bgpd staticd; do
	/usr/lib/frr/$d -d -F traditional -P 0 -u frr -g frr -i /run/frr/$d.pid --log file:/run/frr/$d.log
done
touch "$2"
exec sleep 3600`
	cmd := exec.Command("unshare", "--net", "--mount", "--propagation", "private", "--", "/bin/sh", "-c", script, "frr", etc, ready)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	prefix := []string{"nsenter", "-t", strconv.Itoa(cmd.Process.Pid), "-n", "-m"}
	t.Cleanup(func() {
		// The daemons live in the namespaces, not under the shell:
		// stop them through their pid files before the shell.
		exec.Command(prefix[0], append(prefix[1:], "/bin/sh", "-c", `for p in /run/frr/*.pid; do kill $(cat $p); done`)...).Run()
		cmd.Process.Kill()
		cmd.Wait()
	})
	deadline := time.Now().Add(20 * time.Second)
	for {
		if _, err := os.Stat(ready); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("FRR did not start:\n%s", out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	// vtysh answers once every daemon's vty socket is up.
	for {
		if err := exec.Command(prefix[0], append(prefix[1:], "vtysh", "-c", "show version")...).Run(); err == nil {
			return prefix
		}
		if time.Now().After(deadline) {
			t.Fatalf("vtysh cannot reach FRR:\n%s", out.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func vtysh(t *testing.T, prefix []string, args ...string) {
	t.Helper()
	all := append(append(append([]string{}, prefix[1:]...), "vtysh"), args...)
	if out, err := exec.Command(prefix[0], all...).CombinedOutput(); err != nil {
		t.Fatalf("vtysh %v: %v\n%s", args, err, out)
	}
}

func withContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}
