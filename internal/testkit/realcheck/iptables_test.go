package realcheck

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vtic/vtic/internal/testkit/require"
)

// TestIptablesRestore checks every testdata/iptables file, with and without
// --noflush: a file with a "# want:" line must be rejected with that text in
// the message, any other must pass.
func TestIptablesRestore(t *testing.T) {
	for _, file := range testFiles(t, "iptables", ".rules") {
		for _, noflush := range []bool{false, true} {
			name := filepath.Base(file)
			if noflush {
				name += "/noflush"
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				require.Root(t, "iptables-restore", "unshare")
				data, err := os.ReadFile(file)
				if err != nil {
					t.Fatal(err)
				}
				want := wantLine(t, data)
				if want == "" {
					IptablesRestore(t, file, noflush)
					return
				}
				msg := mustFail(t, func(tb testing.TB) { IptablesRestore(tb, file, noflush) })
				if !strings.Contains(msg, want) {
					t.Errorf("failure message lacks %q:\n%s", want, msg)
				}
			})
		}
	}
}

func TestIptablesApply(t *testing.T) {
	require.Root(t, "iptables-restore", "iptables-save", "unshare")
	got := IptablesApply(t, filepath.Join("testdata", "iptables", "valid.rules"))
	if strings.Contains(got, "# ") {
		t.Errorf("timestamp comments were not removed:\n%s", got)
	}
	counts := map[string]int{}
	for _, line := range strings.Split(got, "\n") {
		switch {
		case strings.HasPrefix(line, ":VTIC-"):
			counts["vtic chains"]++
		case strings.HasPrefix(line, "-A "):
			counts["rules"]++
		case line == "COMMIT":
			counts["tables"]++
		}
	}
	want := map[string]int{"vtic chains": 2, "rules": 6, "tables": 2}
	for k, n := range want {
		if counts[k] != n {
			t.Errorf("%s = %d, want %d; iptables-save printed:\n%s", k, counts[k], n, got)
		}
	}
	// The comment match must read back exactly, quotes included.
	if !strings.Contains(got, `--comment "vtic: aws-1 \"t1\""`) {
		t.Errorf("comment did not survive the round trip:\n%s", got)
	}
}

func TestIptablesApplyRejects(t *testing.T) {
	require.Root(t, "iptables-restore", "iptables-save", "unshare")
	file := filepath.Join("testdata", "iptables", "missing-chain.rules")
	msg := mustFail(t, func(tb testing.TB) { IptablesApply(tb, file) })
	if !strings.Contains(msg, "Chain 'VTIC-NOPE' does not exist") {
		t.Errorf("failure message lacks the cause:\n%s", msg)
	}
}
