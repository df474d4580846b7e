package testdaemon

import (
	"os/exec"
	"strconv"
	"syscall"
	"testing"
)

// NetNS creates a network namespace that lives as long as the test and
// returns the prefix that runs a program in it.
func NetNS(t testing.TB) []string {
	t.Helper()
	Require(t, "unshare", "nsenter")
	ns := exec.Command("unshare", "--net", "--", "sleep", "3600")
	ns.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := ns.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ns.Process.Kill(); ns.Wait() })
	return []string{"nsenter", "-t", strconv.Itoa(ns.Process.Pid), "-n"}
}

// IPTables returns the iptables and iptables-restore commands of a
// namespace made by NetNS.
func IPTables(t testing.TB) (iptables, restore []string) {
	t.Helper()
	Require(t, "iptables", "iptables-restore")
	p := NetNS(t)
	return prefixed(p, "iptables"), prefixed(p, "iptables-restore")
}
