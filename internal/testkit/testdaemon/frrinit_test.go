package testdaemon

import (
	"errors"
	"os"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// StartFRRInit must start FRR as the package's init does on a fresh
// install (zebra and staticd, not bgpd; frr.conf loaded), restart it
// cleanly (no zombie is left for the init to wait on), and leave nothing
// running after the test.
func TestStartFRRInit(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and restarts FRR; about 15 s")
	}
	var init int
	t.Run("fresh install", func(t *testing.T) {
		f := StartFRRInit(t, FRRInitOptions{})
		init, _ = strconv.Atoi(f.Prefix[2])
		daemons := strings.Fields(f.Run(t, "vtysh", "-c", "show daemons"))
		slices.Sort(daemons)
		if !slices.Equal(daemons, []string{"staticd", "watchfrr", "zebra"}) {
			t.Errorf("daemons %v; a fresh install runs zebra and staticd under watchfrr", daemons)
		}
		if run := f.Run(t, "vtysh", "-c", "show running-config"); !strings.Contains(run, "log syslog informational") {
			t.Errorf("the package's frr.conf is not loaded:\n%s", run)
		}
		data, err := os.ReadFile(f.Etc() + "/daemons")
		if err != nil || !strings.Contains(string(data), "\nbgpd=no\n") {
			t.Errorf("daemons file: %v\n%s", err, data)
		}
		f.Run(t, f.Init("restart")[len(f.Prefix):]...)
		f.WaitSettled(t)
		if ps := f.Run(t, "ps", "-eo", "stat=,comm="); strings.Contains(ps, "Z ") || strings.Contains(ps, "Z+") {
			t.Errorf("zombies after a restart:\n%s", ps)
		}
	})
	if init == 0 {
		return
	}
	// The kernel kills the namespace's processes when its init dies;
	// that and the reaping take a moment.
	err := syscall.Kill(init, 0)
	for deadline := time.Now().Add(5 * time.Second); err == nil && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		err = syscall.Kill(init, 0)
	}
	if !errors.Is(err, syscall.ESRCH) {
		t.Errorf("the namespaces' init (pid %d) outlived its test: %v", init, err)
	}
}

func TestStartFRRInitPerDaemon(t *testing.T) {
	if testing.Short() {
		t.Skip("starts FRR; about 5 s")
	}
	f := StartFRRInit(t, FRRInitOptions{PerDaemon: true})
	if _, err := os.Stat(f.Etc() + "/frr.conf"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("frr.conf in per-daemon mode: %v", err)
	}
	if data, _ := os.ReadFile(f.Etc() + "/vtysh.conf"); string(data) != "no service integrated-vtysh-config\n" {
		t.Errorf("vtysh.conf: %q", data)
	}
	// FRR's init made an empty file for each daemon it started.
	for _, d := range []string{"zebra", "staticd"} {
		if _, err := os.Stat(f.Etc() + "/" + d + ".conf"); err != nil {
			t.Errorf("%s.conf: %v", d, err)
		}
	}
}
