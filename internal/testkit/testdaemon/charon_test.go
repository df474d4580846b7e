package testdaemon

import (
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// charonPid returns the pid of the daemon the loop started last.
func charonPid(t *testing.T, c *Charon) int {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(c.Dir, "pid"))
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil {
		t.Fatalf("pid file: %v", err)
	}
	return pid
}

// waitAnswer waits for the VICI socket to accept a connection.
func waitAnswer(t *testing.T, c *Charon) {
	t.Helper()
	for deadline := time.Now().Add(charonStartTimeout); ; {
		if conn, err := net.Dial("unix", c.Socket); err == nil {
			conn.Close()
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("charon did not answer on %s again\n%s", c.Socket, c.tails())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Restart must replace the daemon, as apply's VICI client expects of a
// service manager, and the cleanup must stop whichever daemon runs then
// and remove its directory.
func TestStartCharonRestartAndStop(t *testing.T) {
	var dir string
	var last int
	t.Run("restart", func(t *testing.T) {
		c := StartCharon(t)
		dir = c.Dir
		if !strings.Contains(c.Swanctl(t, "--stats"), "uptime") {
			t.Error("swanctl --stats does not show an uptime")
		}
		first := charonPid(t, c)
		if out, err := exec.Command("/bin/sh", "-c", c.Restart).CombinedOutput(); err != nil {
			t.Fatalf("restart: %v\n%s", err, out)
		}
		if err := syscall.Kill(first, 0); !errors.Is(err, syscall.ESRCH) {
			t.Errorf("the first charon (pid %d) still runs after Restart returned: %v", first, err)
		}
		waitAnswer(t, c)
		last = charonPid(t, c)
		if last == first {
			t.Fatalf("Restart left pid %d in place", first)
		}
		c.Swanctl(t, "--stats")
	})
	if t.Failed() || last == 0 {
		return
	}
	if err := syscall.Kill(last, 0); !errors.Is(err, syscall.ESRCH) {
		t.Errorf("charon pid %d outlived its test: %v", last, err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s outlived its test: %v", dir, err)
	}
}
