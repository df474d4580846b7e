package testdaemon

import (
	"bufio"
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vtic/vtic/internal/testkit/require"
)

// FRRInitScript is FRR's own init script, which Debian's frr.service runs.
const FRRInitScript = "/usr/lib/frr/frrinit.sh"

// FRRInit is FRR run the way a fresh Debian install runs it: FRR's init
// script starts watchfrr, which starts the daemons the daemons file
// enables and loads their configuration, all in new network, mount, PID
// and UTS namespaces with their own /etc/frr, /run and /var/tmp. The namespaces'
// PID 1 is a shell that reaps what the init leaves behind; when it dies
// every FRR process dies with it.
type FRRInit struct {
	FRR
	// Root is the router's root directory on the host, the --root to
	// hand to apply: Root/etc/frr is the router's /etc/frr.
	Root string
}

// FRRInitOptions say how the router's FRR is set up before it starts.
type FRRInitOptions struct {
	// PerDaemon sets FRR up to read one file per daemon: vtysh.conf says
	// "no service integrated-vtysh-config" and there is no frr.conf.
	// Otherwise the files are the frr package's, as installed:
	// integrated, with only zebra and staticd enabled.
	PerDaemon bool
	// Hostname, when set, is the kernel's hostname in the namespaces (a
	// UTS namespace of their own), which FRR's daemons take for theirs
	// unless a configuration sets one. "(none)" is what a machine that
	// nothing named has.
	Hostname string
}

// Etc is the router's /etc/frr on the host.
func (f *FRRInit) Etc() string { return filepath.Join(f.Root, "etc", "frr") }

// Init is the command that runs FRR's init script in the namespaces with
// action: "start", "stop" or "restart".
func (f *FRRInit) Init(action string) []string { return prefixed(f.Prefix, FRRInitScript, action) }

// frrInitTimeout bounds FRR's init: its stop waits up to 120 s for a
// daemon; starting takes seconds.
const frrInitTimeout = 60 * time.Second

// StartFRRInit starts FRR through its init script, with /etc/frr a copy of
// the files the frr package installs, checked against the package's
// checksums so that the test starts from what a fresh install has. It
// registers a cleanup that stops FRR through its init and kills the
// namespaces. It needs root, unshare, nsenter, FRR and frr-pythontools.
func StartFRRInit(t testing.TB, opts FRRInitOptions) *FRRInit {
	t.Helper()
	require.Root(t, "unshare", "nsenter", "bash", "mount", "install", "ip", "vtysh", "dpkg-query",
		FRRInitScript, "/usr/lib/frr/watchfrr", "/usr/lib/frr/zebra", "/usr/lib/frr/bgpd", "/usr/lib/frr/staticd", FRRReload)
	dir := t.TempDir()
	f := &FRRInit{Root: filepath.Join(dir, "root")}
	copyPackageEtc(t, f.Etc())
	if opts.PerDaemon {
		if err := os.WriteFile(filepath.Join(f.Etc(), "vtysh.conf"), []byte("no service integrated-vtysh-config\n"), 0o640); err != nil {
			t.Fatal(err)
		}
		if err := os.Remove(filepath.Join(f.Etc(), "frr.conf")); err != nil {
			t.Fatal(err)
		}
	}
	if out, err := exec.Command("chown", "-R", "frr:frr", f.Etc()).CombinedOutput(); err != nil {
		t.Fatalf("chown %s: %v\n%s", f.Etc(), err, out)
	}
	// bash as PID 1: it reaps every child, including the daemons'
	// orphaned helpers. Without a reaper a stopped daemon would stay a
	// zombie, which FRR's init takes for a daemon that does not stop.
	script := `set -e
[ -z "$3" ] || printf '%s\n' "$3" >/proc/sys/kernel/hostname
mount -t tmpfs -o mode=0755 vtic-test-run /run
mount -t tmpfs -o mode=1777 vtic-test-vartmp /var/tmp
install -d -o frr -g frr -m 0755 /var/tmp/frr
mount --bind "$1" /etc/frr
ip link set lo up
` + FRRInitScript + ` start >"$2/init.out" 2>&1 || { cat "$2/init.out"; exit 1; }
touch "$2/ready"
set +e
while :; do sleep 1 & wait $!; done`
	cmd := exec.Command("unshare", "--net", "--mount", "--propagation", "private", "--pid", "--fork", "--mount-proc",
		"--uts", "--kill-child", "--", "bash", "-c", script, "frrinit", f.Etc(), dir, opts.Hostname)
	cmd.Env = daemonEnv
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.SysProcAttr = dieWithParent()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	ready := filepath.Join(dir, "ready")
	deadline := time.Now().Add(frrInitTimeout)
	for {
		if _, err := os.Stat(ready); err == nil {
			break
		}
		select {
		case err := <-exited:
			t.Fatalf("FRR's init did not start: %v\n%s", err, out.String())
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("FRR's init did not start within %v:\n%s", frrInitTimeout, out.String())
		}
	}
	init, err := pidNamespaceInit(cmd.Process.Pid)
	if err != nil {
		cmd.Process.Kill()
		t.Fatal(err)
	}
	f.Prefix = []string{"nsenter", "-t", strconv.Itoa(init), "-n", "-m", "-p", "-u"}
	t.Cleanup(func() {
		stop := exec.Command(f.Prefix[0], f.Init("stop")[1:]...)
		if b, err := stop.CombinedOutput(); err != nil {
			t.Logf("stop FRR: %v\n%s", err, b)
		}
		cmd.Process.Kill()
		<-exited
	})
	f.WaitSettled(t)
	return f
}

// WaitSettled waits until watchfrr is idle: every daemon up and no job of
// its (which loads a started daemon's configuration) running.
func (f *FRRInit) WaitSettled(t testing.TB) {
	t.Helper()
	var last string
	for deadline := time.Now().Add(frrInitTimeout); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		b, err := exec.Command(f.Prefix[0], prefixed(f.Prefix[1:], "vtysh", "-c", "show watchfrr")...).CombinedOutput()
		last = string(b)
		if err == nil && strings.HasPrefix(last, "watchfrr global phase: Idle\n") &&
			!strings.Contains(last, "running, pid") && !strings.Contains(last, " Down") {
			return
		}
	}
	t.Fatalf("watchfrr did not settle within %v:\n%s", frrInitTimeout, last)
}

// pidNamespaceInit returns the PID, as this process sees it, of the child
// unshare --fork started, which is PID 1 of the new namespace.
func pidNamespaceInit(unshare int) (int, error) {
	p := fmt.Sprintf("/proc/%d/task/%d/children", unshare, unshare)
	data, err := os.ReadFile(p)
	if err != nil {
		return 0, fmt.Errorf("find unshare's child: %w", err)
	}
	fields := strings.Fields(string(data))
	if len(fields) != 1 {
		return 0, fmt.Errorf("find unshare's child: %s lists %q", p, fields)
	}
	return strconv.Atoi(fields[0])
}

// copyPackageEtc copies the frr package's files under /etc/frr to etc,
// failing (or skipping by hand) when one differs from what the package
// installed: a test of a fresh install needs the package's bgpd=no and
// service integrated-vtysh-config.
func copyPackageEtc(t testing.TB, etc string) {
	t.Helper()
	out, err := exec.Command("dpkg-query", "-W", "-f=${Conffiles}\n", "frr").Output()
	if err != nil {
		require.SkipOrFail(t, "needs Debian's frr package: dpkg-query: %v", err)
	}
	if err := os.MkdirAll(etc, 0o750); err != nil {
		t.Fatal(err)
	}
	n := 0
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		// " /etc/frr/daemons 7595bf34d8e42c9228e1ca3a7e471294"
		f := strings.Fields(sc.Text())
		if len(f) < 2 || filepath.Dir(f[0]) != "/etc/frr" {
			continue
		}
		data, err := os.ReadFile(f[0])
		if err != nil {
			require.SkipOrFail(t, "needs the frr package's %s: %v", f[0], err)
		}
		if sum := md5.Sum(data); hex.EncodeToString(sum[:]) != f[1] {
			require.SkipOrFail(t, "%s is not as the frr package installed it (md5 %x, the package's %s); a fresh install needs it unchanged", f[0], sum, f[1])
		}
		if err := os.WriteFile(filepath.Join(etc, filepath.Base(f[0])), data, 0o640); err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n == 0 {
		require.SkipOrFail(t, "dpkg-query lists no file of the frr package under /etc/frr")
	}
}
