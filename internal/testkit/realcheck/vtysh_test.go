package realcheck

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vtic/vtic/internal/testkit/require"
)

// TestVtysh checks every testdata/frr file: a file with a "! want:" line
// must be rejected with that text in the message, any other must pass.
func TestVtysh(t *testing.T) {
	for _, file := range testFiles(t, "frr", ".conf") {
		t.Run(filepath.Base(file), func(t *testing.T) {
			require.Programs(t, "vtysh")
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			want := wantLine(t, data)
			if want == "" {
				Vtysh(t, file)
				return
			}
			msg := mustFail(t, func(tb testing.TB) { Vtysh(tb, file) })
			if !strings.Contains(msg, want) {
				t.Errorf("failure message lacks %q:\n%s", want, msg)
			}
		})
	}
}

func TestVtyshMissingFile(t *testing.T) {
	require.Programs(t, "vtysh")
	msg := mustFail(t, func(tb testing.TB) { Vtysh(tb, filepath.Join(t.TempDir(), "absent.conf")) })
	if !strings.Contains(msg, "file could not be read") {
		t.Errorf("failure message lacks the reason:\n%s", msg)
	}
}
