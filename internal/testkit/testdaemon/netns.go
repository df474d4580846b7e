package testdaemon

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/vtic/vtic/internal/testkit/require"
)

// NetNS creates a network namespace that lives as long as the test and
// returns the prefix that runs a program in it.
func NetNS(t testing.TB) []string {
	t.Helper()
	require.Root(t, "unshare", "nsenter")
	ns := exec.Command("unshare", "--net", "--", "sleep", "3600")
	ns.SysProcAttr = dieWithParent()
	if err := ns.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ns.Process.Kill(); ns.Wait() })
	// Start returns before unshare has left our namespace; entering the
	// process's namespace before then would enter the host's.
	self, err := os.Readlink("/proc/self/ns/net")
	if err != nil {
		t.Fatal(err)
	}
	nsPath := fmt.Sprintf("/proc/%d/ns/net", ns.Process.Pid)
	for deadline := time.Now().Add(10 * time.Second); ; {
		if cur, err := os.Readlink(nsPath); err == nil && cur != self {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("unshare did not create a network namespace")
		}
		time.Sleep(5 * time.Millisecond)
	}
	return []string{"nsenter", "-t", strconv.Itoa(ns.Process.Pid), "-n"}
}

// IPTables returns the iptables and iptables-restore commands of a
// namespace made by NetNS.
func IPTables(t testing.TB) (iptables, restore []string) {
	t.Helper()
	require.Root(t, "iptables", "iptables-restore")
	p := NetNS(t)
	return prefixed(p, "iptables"), prefixed(p, "iptables-restore")
}
