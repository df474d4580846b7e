package testdaemon

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vtic/vtic/internal/testkit/require"
)

// charonPaths lists where Debian and other distributions put the IKE
// daemon. The plain charon comes first: it runs in the foreground and logs
// where strongswan.conf says, while charon-systemd expects a journal (it does
// start in a namespace without systemd and serves as a fallback).
var charonPaths = []string{
	"/usr/lib/ipsec/charon",
	"/usr/libexec/ipsec/charon",
	"/usr/libexec/strongswan/charon",
	"/usr/sbin/charon-systemd",
}

// How long a charon may take to open its VICI socket and to exit on
// SIGTERM. Both take milliseconds on an idle machine.
const (
	charonStartTimeout = 15 * time.Second
	charonStopTimeout  = 5 * time.Second
)

// daemonEnv is the environment of the daemons and the programs run against
// them, so that the developer's shell (LANG, a stray STRONGSWAN_CONF)
// cannot change what they do.
var daemonEnv = []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C"}

// Charon is an IKE daemon private to one test.
type Charon struct {
	// Socket is the VICI socket's path on the host's filesystem; URI is
	// its address for swanctl --uri and VICI clients.
	Socket, URI string
	// Conf is its strongswan.conf, which swanctl must read too.
	Conf string
	// Log is its log file.
	Log string
	// Dir holds its files; a test may put its own there (a swanctl
	// directory, say). It is removed after the daemon stops.
	Dir string
	// Restart is a shell command that stops the daemon and returns once
	// it is gone; the loop that started it then starts a new one, as a
	// service manager would.
	Restart string
	// Stop is a shell command that stops the daemon and returns once it
	// is gone; no new one starts until Start, a shell command that
	// returns at once (the caller waits for the VICI socket), as
	// `systemctl start` of a unit with Type=simple would.
	Stop, Start string
}

// StartCharon starts charon in new network and mount namespaces and
// registers its shutdown with t.Cleanup. unshare(1) gives the daemon a
// network namespace with only a down loopback, so IKE packets from
// start_action=start go nowhere, and a mount namespace with private
// propagation, where a fresh tmpfs on /run keeps its pid file from clashing
// with the host's or another test's charon. Both namespaces die with it.
// Its strongswan.conf (see charonConf) puts the VICI socket and the log in
// Dir. It needs root, unshare, setpriv and swanctl; see require.Root.
func StartCharon(t testing.TB) *Charon {
	t.Helper()
	return startCharon(t, nil)
}

// StartCharonIn starts charon as StartCharon does, but in the network
// namespace of a NetNS prefix, so that a test can connect two daemons (a
// veth between two namespaces) and let them negotiate.
func StartCharonIn(t testing.TB, netns []string) *Charon {
	t.Helper()
	return startCharon(t, netns)
}

func startCharon(t testing.TB, netns []string) *Charon {
	t.Helper()
	require.Root(t, "unshare", "mount", "setpriv", "swanctl")
	bin, ok := findCharon()
	if !ok {
		require.SkipOrFail(t, "needs charon, which is in none of %s", strings.Join(charonPaths, ", "))
	}
	// os.MkdirTemp rather than t.TempDir: test names make paths too long
	// for the unix socket that lives here.
	dir, err := os.MkdirTemp("", "vtic-charon-")
	if err != nil {
		t.Fatalf("make charon directory: %v", err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) }) // after the daemon stops: cleanups run last first
	c := &Charon{
		Dir:    dir,
		Socket: filepath.Join(dir, "charon.vici"),
		Conf:   filepath.Join(dir, "strongswan.conf"),
		Log:    filepath.Join(dir, "charon.log"),
	}
	c.URI = "unix://" + c.Socket
	// The kernel limits a unix socket path to 107 bytes; past that charon
	// would fail with a message far from the cause.
	if len(c.Socket) > 100 {
		t.Fatalf("vici socket path %s is too long for a unix socket; use a shorter TMPDIR", c.Socket)
	}
	if err := os.WriteFile(c.Conf, charonConf(c.Socket, c.Log), 0o644); err != nil {
		t.Fatalf("write %s: %v", c.Conf, err)
	}
	pidFile := filepath.Join(dir, "pid")
	restartFile := filepath.Join(dir, "restart")
	holdFile := filepath.Join(dir, "hold")

	// The loop starts charon again only when Restart (or Stop) asked for
	// it, so a daemon that dies by itself ends the loop and fails the
	// start below at once; after Stop it waits for Start to remove the
	// hold file. setpriv makes the kernel kill each charon when the loop's
	// shell dies, which Pdeathsig below ensures when the test binary dies.
	const loop = `mount -t tmpfs -o mode=0755 vtic-test-run /run || exit 1
while :; do
	setpriv --pdeathsig KILL -- "$1" >>"$2/charon.out" 2>&1 &
	echo $! >"$2/pid"
	wait $!
	status=$?
	[ -e "$2/restart" ] || exit $status
	rm -f "$2/restart"
	while [ -e "$2/hold" ]; do sleep 0.05; done
done`
	args := []string{require.Program(t, "unshare"), "--net", "--mount", "--propagation", "private", "--",
		"/bin/sh", "-c", loop, "charon-loop", bin, dir}
	if netns != nil {
		args = append(slices.Clone(netns), slices.Delete(args, 1, 2)...) // no --net: netns's
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Env = append(append([]string{}, daemonEnv...), "STRONGSWAN_CONF="+c.Conf)
	cmd.SysProcAttr = dieWithParent()
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() { stopCharon(t, cmd, exited, pidFile, restartFile, holdFile) })
	c.Restart = fmt.Sprintf(`touch %[1]s && pid=$(cat %[2]s) && kill $pid && while kill -0 $pid 2>/dev/null; do sleep 0.05; done`,
		restartFile, pidFile)
	c.Stop = fmt.Sprintf(`touch %[1]s && %[2]s`, holdFile, c.Restart)
	c.Start = fmt.Sprintf(`rm -f %s`, holdFile)

	deadline := time.Now().Add(charonStartTimeout)
	for {
		if conn, err := net.Dial("unix", c.Socket); err == nil {
			conn.Close()
			return c
		}
		select {
		case err := <-exited:
			exited <- err // for stopCharon
			t.Fatalf("%s exited before opening %s: %v\n%s", bin, c.Socket, err, c.tails())
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not open %s within %v\n%s", bin, c.Socket, charonStartTimeout, c.tails())
		}
	}
}

// stopCharon stops the daemon, which ends the loop, and kills both if they
// do not stop in time. A loop that waits for Start is killed at once.
func stopCharon(t testing.TB, cmd *exec.Cmd, exited chan error, pidFile, restartFile, holdFile string) {
	os.Remove(restartFile)
	if _, err := os.Stat(holdFile); err == nil {
		_ = cmd.Process.Kill()
		<-exited
		return
	}
	signal := func(sig syscall.Signal) {
		data, err := os.ReadFile(pidFile)
		if err != nil {
			return
		}
		if pid, err := strconv.Atoi(strings.TrimSpace(string(data))); err == nil {
			_ = syscall.Kill(pid, sig)
		}
	}
	select {
	case <-exited:
		return
	default:
	}
	signal(syscall.SIGTERM)
	select {
	case <-exited:
	case <-time.After(charonStopTimeout):
		t.Logf("charon ignored SIGTERM for %v, killing it", charonStopTimeout)
		signal(syscall.SIGKILL)
		_ = cmd.Process.Kill()
		<-exited
	}
}

// findCharon returns the first installed daemon of charonPaths.
func findCharon() (string, bool) {
	for _, p := range charonPaths {
		if p, ok := require.Find(p); ok {
			return p, true
		}
	}
	return "", false
}

// Swanctl runs swanctl against the daemon and returns its standard output;
// it fails the test if swanctl fails.
func (c *Charon) Swanctl(t testing.TB, args ...string) string {
	t.Helper()
	cmd := exec.Command(require.Program(t, "swanctl"), append(args, "--uri", c.URI)...)
	cmd.Env = append(append([]string{}, daemonEnv...), "STRONGSWAN_CONF="+c.Conf)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("swanctl %s: %v\n%s%s", strings.Join(args, " "), err, out, stderr.String())
	}
	return string(out)
}

// LogTail returns the last lines of the daemon's log, for failure
// messages.
func (c *Charon) LogTail() string {
	data, err := os.ReadFile(c.Log)
	if err != nil {
		return fmt.Sprintf("(no charon log: %v)", err)
	}
	return tail(string(data), 40)
}

// tails is what the daemon printed and logged, for a failed start.
func (c *Charon) tails() string {
	out, err := os.ReadFile(filepath.Join(c.Dir, "charon.out"))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		out = fmt.Appendf(nil, "(no charon output: %v)", err)
	}
	return fmt.Sprintf("--- charon output\n%s--- charon log\n%s", tail(string(out), 20), c.LogTail())
}

// tail returns the last n lines of s.
func tail(s string, n int) string {
	lines := strings.SplitAfter(s, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "")
}

// CharonProgram prepares a charon for a program under test to start, as
// apply starts one that is not running: Program is an executable that
// takes no arguments and runs charon in the foreground, in new network
// and mount namespaces (as StartCharon's), reading the returned Charon's
// Conf, which the caller passes on as STRONGSWAN_CONF. Whatever Program
// started is killed when the test ends. Restart, Stop and Start are
// empty: nothing manages this daemon but the program under test.
func CharonProgram(t testing.TB) (c *Charon, program string) {
	t.Helper()
	require.Root(t, "unshare", "mount", "setpriv", "swanctl")
	bin, ok := require.Find("/usr/lib/ipsec/charon") // charon-systemd reads other settings
	if !ok {
		require.SkipOrFail(t, "needs /usr/lib/ipsec/charon")
	}
	dir, err := os.MkdirTemp("", "vtic-charon-")
	if err != nil {
		t.Fatalf("make charon directory: %v", err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	c = &Charon{
		Dir:    dir,
		Socket: filepath.Join(dir, "charon.vici"),
		Conf:   filepath.Join(dir, "strongswan.conf"),
		Log:    filepath.Join(dir, "charon.log"),
	}
	c.URI = "unix://" + c.Socket
	if err := os.WriteFile(c.Conf, charonConf(c.Socket, c.Log), 0o644); err != nil {
		t.Fatalf("write %s: %v", c.Conf, err)
	}
	// Every exec keeps the process id, so the one in pid is charon's.
	pidFile := filepath.Join(dir, "pid")
	program = filepath.Join(dir, "start-charon")
	script := fmt.Sprintf(`#!/bin/sh
echo $$ >%[1]s
exec unshare --net --mount --propagation private -- /bin/sh -c 'mount -t tmpfs -o mode=0755 vtic-test-run /run && exec setpriv --pdeathsig KILL -- %[2]s >>%[3]s/charon.out 2>&1'
`, pidFile, bin, dir)
	if err := os.WriteFile(program, []byte(script), 0o755); err != nil {
		t.Fatalf("write %s: %v", program, err)
	}
	t.Cleanup(func() {
		data, err := os.ReadFile(pidFile)
		if err != nil {
			return
		}
		if pid, err := strconv.Atoi(strings.TrimSpace(string(data))); err == nil {
			_ = syscall.Kill(pid, syscall.SIGKILL)
			for deadline := time.Now().Add(charonStopTimeout); syscall.Kill(pid, 0) == nil && time.Now().Before(deadline); {
				time.Sleep(10 * time.Millisecond)
			}
		}
	})
	return c, program
}
