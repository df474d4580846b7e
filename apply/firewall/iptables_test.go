package firewall

import (
	"context"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// counting counts the restores of a real Firewall.
type counting struct {
	Firewall
	n int
}

func (c *counting) Restore(ctx context.Context, input []byte) error {
	c.n++
	return c.Firewall.Restore(ctx, input)
}

// TestConvergeIPTables runs the fake's sequence against the real iptables
// in a throwaway network namespace; it proves Normalize matches what
// iptables -S prints, without which every apply would rewrite the rules.
func TestConvergeIPTables(t *testing.T) {
	why := ""
	if os.Geteuid() != 0 {
		why = "needs root (network namespaces)"
	}
	for _, p := range []string{"unshare", "nsenter", "iptables", "iptables-restore"} {
		if _, err := exec.LookPath(p); err != nil && why == "" {
			why = p + " is not installed"
		}
	}
	if why != "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s (CI=true: failing instead of skipping)", why)
		}
		t.Skipf("%s (set CI=true to make this a failure)", why)
	}
	ns := exec.Command("unshare", "--net", "--", "sleep", "600")
	ns.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := ns.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ns.Process.Kill(); ns.Wait() })
	prefix := []string{"nsenter", "-t", strconv.Itoa(ns.Process.Pid), "-n"}
	fw := &counting{Firewall: &IPTables{
		Iptables:        append(append([]string{}, prefix...), "iptables"),
		IptablesRestore: append(append([]string{}, prefix...), "iptables-restore"),
	}}
	dump := func() string {
		var b strings.Builder
		for _, table := range []string{"filter", "mangle"} {
			lines, err := fw.Rules(context.Background(), table)
			if err != nil {
				t.Fatal(err)
			}
			b.WriteString("*" + table + "\n" + strings.Join(lines, "\n") + "\n")
		}
		return b.String()
	}
	exercise(t, fw, dump, func() int { return fw.n })
}
