package testdaemon

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/vtic/vtic/internal/testkit/require"
)

// FRRReload is where Debian's frr-pythontools installs the script.
const FRRReload = "/usr/lib/frr/frr-reload.py"

// FRR is FRR's daemons running in their own namespaces: zebra, bgpd and
// staticd started by hand (StartFRR), or what FRR's init starts
// (StartFRRInit).
type FRR struct {
	// Prefix runs a program inside the namespaces ("nsenter -t PID -n
	// -m"), where /etc/frr is a copy of the host's and /run is private.
	Prefix []string
}

// Vtysh is the vtysh command for this FRR.
func (f *FRR) Vtysh() []string { return prefixed(f.Prefix, "vtysh") }

// Reload is the frr-reload.py command for this FRR.
func (f *FRR) Reload() []string { return prefixed(f.Prefix, FRRReload) }

// StartFRR starts zebra, bgpd and staticd in new network and mount
// namespaces with a copy of /etc/frr (without any configuration of its
// own) and a private /run.
func StartFRR(t testing.TB) *FRR {
	t.Helper()
	require.Root(t, "unshare", "nsenter", "vtysh", "/usr/lib/frr/bgpd", "/usr/lib/frr/zebra", "/usr/lib/frr/staticd", FRRReload)
	dir := t.TempDir()
	etc := filepath.Join(dir, "etc")
	if out, err := exec.Command("cp", "-a", "/etc/frr", etc).CombinedOutput(); err != nil {
		t.Fatalf("copy /etc/frr: %v\n%s", err, out)
	}
	for _, f := range []string{"frr.conf", "bgpd.conf", "staticd.conf", "zebra.conf"} {
		os.Remove(filepath.Join(etc, f))
	}
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
	cmd.SysProcAttr = dieWithParent()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	f := &FRR{Prefix: []string{"nsenter", "-t", strconv.Itoa(cmd.Process.Pid), "-n", "-m"}}
	t.Cleanup(func() {
		// The daemons detached from the shell: stop them through their
		// pid files, then the shell, which takes the namespaces along.
		exec.Command(f.Prefix[0], prefixed(f.Prefix[1:], "/bin/sh", "-c", `for p in /run/frr/*.pid; do kill $(cat $p); done`)...).Run()
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
	for {
		if err := exec.Command(f.Prefix[0], prefixed(f.Prefix[1:], "vtysh", "-c", "show version")...).Run(); err == nil {
			return f
		}
		if time.Now().After(deadline) {
			t.Fatalf("vtysh cannot reach FRR:\n%s", out.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Run runs a program in the namespaces and fails the test on error.
func (f *FRR) Run(t testing.TB, args ...string) string {
	t.Helper()
	out, err := exec.Command(f.Prefix[0], prefixed(f.Prefix[1:], args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("%v: %v\n%s", args, err, out)
	}
	return string(out)
}
