package realcheck

import (
	"strings"
	"testing"
	"time"

	"github.com/vtic/vtic/internal/testkit/require"
)

// IptablesRestore checks an iptables-restore file, each step in a fresh,
// empty network namespace that vanishes with the command, so the host's
// rules are never read or touched. It first runs `iptables-restore --test`
// and then, because the nf_tables backend's --test accepts jumps to and
// appends on chains that do not exist, restores the file for real. With
// noflush both runs get --noflush, as vtic's apply step does. Any error
// fails the test with iptables-restore's output.
func IptablesRestore(t testing.TB, file string, noflush bool) {
	t.Helper()
	require.Root(t, "unshare", "iptables-restore")
	flags := []string{}
	if noflush {
		flags = append(flags, "--noflush")
	}
	start := time.Now()
	r := inNetns(t, "iptables-restore", append(append([]string{"--test"}, flags...), file)...)
	if r.err != nil || r.code != 0 {
		t.Fatalf("realcheck: iptables-restore --test rejected %s:\n%s", file, r.output())
	}
	r = inNetns(t, "iptables-restore", append(flags, file)...)
	if r.err != nil || r.code != 0 {
		t.Fatalf("realcheck: iptables-restore accepted %s with --test but failed to apply it in an empty namespace:\n%s", file, r.output())
	}
	t.Logf("realcheck: iptables-restore check of %s took %v", file, time.Since(start).Round(time.Millisecond))
}

// IptablesApply restores file with --noflush into a fresh, empty network
// namespace and returns what iptables-save prints there, minus the comment
// lines that carry a timestamp, so callers can count chains and rules or
// compare against a golden file.
func IptablesApply(t testing.TB, file string) string {
	t.Helper()
	require.Root(t, "unshare", "iptables-restore", "iptables-save")
	start := time.Now()
	// One shell inside one namespace: the rules must still be there when
	// iptables-save reads them.
	r := inNetns(t, "/bin/sh", "-c", `"$1" --noflush "$3" && "$2"`, "sh",
		require.Program(t, "iptables-restore"), require.Program(t, "iptables-save"), file)
	if r.err != nil || r.code != 0 {
		t.Fatalf("realcheck: iptables-restore --noflush failed to apply %s:\n%s", file, r.output())
	}
	t.Logf("realcheck: iptables apply of %s took %v", file, time.Since(start).Round(time.Millisecond))
	var kept []string
	for _, line := range strings.SplitAfter(r.stdout, "\n") {
		if !strings.HasPrefix(line, "#") && line != "" {
			kept = append(kept, line)
		}
	}
	return strings.Join(kept, "")
}

// inNetns runs prog in a new network namespace created by unshare(1). The
// namespace has only a down loopback and no rules, and it dies with the
// process, so there is nothing to name or delete afterwards.
func inNetns(t testing.TB, prog string, args ...string) result {
	t.Helper()
	if p, ok := require.Find(prog); ok {
		prog = p
	}
	return run(nil, require.Program(t, "unshare"), append([]string{"--net", "--", prog}, args...)...)
}
