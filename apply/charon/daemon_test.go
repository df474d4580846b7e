package charon

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

// require skips the test unless it runs as root with the named programs
// installed; with CI=true it fails instead, so a CI machine missing a
// package cannot turn the real-daemon tests into silent skips.
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

const charonBin = "/usr/lib/ipsec/charon"

// testConf is charon's whole configuration: its own VICI socket and log,
// and none of the plugins that would write outside the test's directory.
const testConf = `charon {
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
		test {
			path = %[2]s
			default = 1
			flush_line = yes
		}
	}
}
`

// testCharon is a charon in its own network and mount namespaces, kept
// running by a shell loop so that RestartCommand can stop it and a new one
// comes up, as under a service manager.
type testCharon struct {
	socket, conf, dir string
	restart           string
}

func startCharon(t *testing.T) *testCharon {
	t.Helper()
	require(t, charonBin, "unshare", "swanctl")
	dir, err := os.MkdirTemp("", "vtic-charon-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	c := &testCharon{dir: dir, socket: filepath.Join(dir, "charon.vici"), conf: filepath.Join(dir, "strongswan.conf")}
	if err := os.WriteFile(c.conf, fmt.Appendf(nil, testConf, c.socket, filepath.Join(dir, "charon.log")), 0o644); err != nil {
		t.Fatal(err)
	}
	pidfile := filepath.Join(dir, "pid")
	loop := fmt.Sprintf(`mount -t tmpfs -o mode=0755 vtic-test-run /run || exit 1
while [ ! -e %[1]s/stop ]; do
	%[2]s >>%[1]s/charon.out 2>&1 &
	echo $! >%[3]s
	wait $!
done`, dir, charonBin, pidfile)
	cmd := exec.Command("unshare", "--net", "--mount", "--propagation", "private", "--", "/bin/sh", "-c", loop)
	cmd.Env = []string{"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "STRONGSWAN_CONF=" + c.conf}
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		os.WriteFile(filepath.Join(dir, "stop"), nil, 0o644)
		if data, err := os.ReadFile(pidfile); err == nil {
			exec.Command("kill", strings.TrimSpace(string(data))).Run()
		}
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	// Stop the current daemon and wait until it is gone; the loop then
	// starts the next one.
	c.restart = fmt.Sprintf(`pid=$(cat %[1]s) && kill $pid && while kill -0 $pid 2>/dev/null; do sleep 0.05; done`, pidfile)
	deadline := time.Now().Add(15 * time.Second)
	for {
		if conn, err := net.Dial("unix", c.socket); err == nil {
			conn.Close()
			return c
		}
		if time.Now().After(deadline) {
			out, _ := os.ReadFile(filepath.Join(dir, "charon.out"))
			t.Fatalf("charon did not open %s:\n%s", c.socket, out)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// swanctl runs swanctl against the test's charon.
func (c *testCharon) swanctl(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command("swanctl", append(args, "--uri", "unix://"+c.socket)...)
	cmd.Env = []string{"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "STRONGSWAN_CONF=" + c.conf, "LC_ALL=C"}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("swanctl %s: %v\n%s%s", strings.Join(args, " "), err, out, stderr.String())
	}
	return string(out)
}
