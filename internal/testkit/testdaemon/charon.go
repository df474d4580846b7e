package testdaemon

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

	"github.com/vtic/vtic/internal/testkit/realcheck"
)

// CharonBin is Debian's IKE daemon.
const CharonBin = "/usr/lib/ipsec/charon"

// Charon is a running charon.
type Charon struct {
	// Socket is the VICI socket's path; URI is its address.
	Socket, URI string
	// Conf is its strongswan.conf, for swanctl.
	Conf string
	// Dir holds its files.
	Dir string
	// Restart is a shell command that stops the daemon and returns once
	// it is gone; a loop then starts a new one, as a service manager
	// would.
	Restart string
}

// StartCharon starts charon in new network and mount namespaces.
func StartCharon(t testing.TB) *Charon {
	t.Helper()
	Require(t, CharonBin, "unshare", "swanctl")
	// A unix socket path must fit in 107 bytes; t.TempDir can be longer.
	dir, err := os.MkdirTemp("", "vtic-charon-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	c := &Charon{Dir: dir, Socket: filepath.Join(dir, "charon.vici"), Conf: filepath.Join(dir, "strongswan.conf")}
	c.URI = "unix://" + c.Socket
	if err := os.WriteFile(c.Conf, realcheck.CharonConf(c.Socket, filepath.Join(dir, "charon.log")), 0o644); err != nil {
		t.Fatal(err)
	}
	pidfile := filepath.Join(dir, "pid")
	loop := fmt.Sprintf(`mount -t tmpfs -o mode=0755 vtic-test-run /run || exit 1
while [ ! -e %[1]s/stop ]; do
	%[2]s >>%[1]s/charon.out 2>&1 &
	echo $! >%[3]s
	wait $!
done`, dir, CharonBin, pidfile)
	cmd := exec.Command("unshare", "--net", "--mount", "--propagation", "private", "--", "/bin/sh", "-c", loop)
	cmd.Env = []string{"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "STRONGSWAN_CONF=" + c.Conf}
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
	c.Restart = fmt.Sprintf(`pid=$(cat %[1]s) && kill $pid && while kill -0 $pid 2>/dev/null; do sleep 0.05; done`, pidfile)
	deadline := time.Now().Add(15 * time.Second)
	for {
		if conn, err := net.Dial("unix", c.Socket); err == nil {
			conn.Close()
			return c
		}
		if time.Now().After(deadline) {
			out, _ := os.ReadFile(filepath.Join(dir, "charon.out"))
			t.Fatalf("charon did not open %s:\n%s", c.Socket, out)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Swanctl runs swanctl against the daemon and returns its standard output.
func (c *Charon) Swanctl(t testing.TB, args ...string) string {
	t.Helper()
	cmd := exec.Command("swanctl", append(args, "--uri", c.URI)...)
	cmd.Env = []string{"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "STRONGSWAN_CONF=" + c.Conf, "LC_ALL=C"}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("swanctl %s: %v\n%s%s", strings.Join(args, " "), err, out, stderr.String())
	}
	return string(out)
}
