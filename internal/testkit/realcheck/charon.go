package realcheck

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
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

// CharonConf returns the whole strongswan.conf of a charon private to one
// test, with its VICI socket at socket and its log at log. The host's
// plugin snippets are included so the same plugins load as on a router; the
// settings after them win. bypass-lan is off as on vtic's routers (see
// LAB-NOTES); stroke, resolve and updown are off because they would write
// under /etc or run scripts, which a test has no business doing. It is
// exported for apply's testdaemon, whose charon restarts in a loop as under
// a service manager but must be set up the same way.
func CharonConf(socket, log string) []byte {
	return fmt.Appendf(nil, strongswanConf, socket, log)
}

const strongswanConf = `# written by vtic's realcheck for one test
charon {
	load_modular = yes
	install_routes = no
	plugins {
		include /etc/strongswan.d/charon/*.conf
		vici {
			socket = unix://%[1]s
		}
		bypass-lan {
			load = no
		}
		stroke {
			load = no
		}
		resolve {
			load = no
		}
		updown {
			load = no
		}
	}
	filelog {
		realcheck {
			path = %[2]s
			default = 1
			flush_line = yes
		}
	}
}
`

// charon is one running IKE daemon in its own network and mount namespaces.
type charon struct {
	socket string // path of its VICI socket, on the host's filesystem
	conf   string // its strongswan.conf, for swanctl too
	log    string // its log file
}

// uri is the VICI address for swanctl --uri.
func (c *charon) uri() string { return "unix://" + c.socket }

// logTail returns the end of the daemon's log for failure messages.
func (c *charon) logTail() string {
	data, err := os.ReadFile(c.log)
	if err != nil {
		return fmt.Sprintf("(no charon log: %v)", err)
	}
	lines := strings.SplitAfter(string(data), "\n")
	if len(lines) > 40 {
		lines = lines[len(lines)-40:]
	}
	return strings.Join(lines, "")
}

// findCharon returns the first installed daemon of charonPaths.
func findCharon() (string, bool) {
	for _, p := range charonPaths {
		if isExecutable(p) {
			return p, true
		}
	}
	return "", false
}

// startCharon starts a daemon whose files live in dir and registers its
// shutdown with t.Cleanup. unshare(1) gives it a new network namespace (only
// a down loopback, so IKE packets from start_action=start go nowhere) and a
// new mount namespace with private propagation, where a fresh tmpfs on /run
// keeps its pid file from clashing with the host's or another test's charon.
// Both namespaces die with the process.
func startCharon(t testing.TB, bin, dir string) *charon {
	t.Helper()
	c := &charon{
		socket: filepath.Join(dir, "charon.vici"),
		conf:   filepath.Join(dir, "strongswan.conf"),
		log:    filepath.Join(dir, "charon.log"),
	}
	// The kernel limits a unix socket path to 107 bytes; past that charon
	// would fail with a message far from the cause.
	if len(c.socket) > 100 {
		t.Fatalf("realcheck: vici socket path %s is too long for a unix socket; use a shorter TMPDIR", c.socket)
	}
	if err := os.WriteFile(c.conf, CharonConf(c.socket, c.log), 0o644); err != nil {
		t.Fatalf("realcheck: write strongswan.conf: %v", err)
	}
	out, err := os.Create(filepath.Join(dir, "charon.out"))
	if err != nil {
		t.Fatalf("realcheck: create charon output file: %v", err)
	}
	defer out.Close()

	cmd := exec.Command(mustTool(t, "unshare"), "--net", "--mount", "--propagation", "private", "--",
		"/bin/sh", "-c", `mount -t tmpfs -o mode=0755 realcheck-run /run && exec "$0"`, bin)
	cmd.Env = append(append([]string{}, baseEnv...), "STRONGSWAN_CONF="+c.conf)
	cmd.Stdout = out
	cmd.Stderr = out
	// If the test binary dies without running its cleanups, the kernel
	// still takes the daemon (and so its namespaces) down with it.
	cmd.SysProcAttr = dieWithParent()
	if err := cmd.Start(); err != nil {
		t.Fatalf("realcheck: start %s: %v", bin, err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() { stopCharon(t, cmd, exited) })

	deadline := time.Now().Add(charonStartTimeout)
	for {
		if conn, err := net.Dial("unix", c.socket); err == nil {
			conn.Close()
			return c
		}
		select {
		case err := <-exited:
			exited <- err // for stopCharon
			output, _ := os.ReadFile(out.Name())
			t.Fatalf("realcheck: %s exited before opening %s: %v\n%s\n%s", bin, c.socket, err, output, c.logTail())
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("realcheck: %s did not open %s within %v\n%s", bin, c.socket, charonStartTimeout, c.logTail())
		}
	}
}

// stopCharon asks the daemon to stop and kills it if it does not.
func stopCharon(t testing.TB, cmd *exec.Cmd, exited chan error) {
	select {
	case <-exited:
		return
	default:
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-exited:
	case <-time.After(charonStopTimeout):
		t.Logf("realcheck: charon pid %d ignored SIGTERM for %v, killing it", cmd.Process.Pid, charonStopTimeout)
		_ = cmd.Process.Kill()
		<-exited
	}
}
