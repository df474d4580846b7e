package iptables_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/vtic/vtic/internal/testkit/realcheck"
	"github.com/vtic/vtic/internal/testkit/require"
	"github.com/vtic/vtic/internal/testkit/targettest"
	"github.com/vtic/vtic/targets/iptables"
)

func TestGolden(t *testing.T) {
	targettest.Golden(t, iptables.Renderer{})
}

// TestRestoreAccepts loads every rules file with iptables-restore in a
// throwaway namespace and checks that each enabled tunnel got its rules.
func TestRestoreAccepts(t *testing.T) {
	require.Root(t, "iptables-restore")
	for _, ex := range targettest.Examples(t) {
		for _, h := range ex.Plan.Hosts {
			t.Run(ex.Name+"/"+h.Name, func(t *testing.T) {
				files, _ := iptables.Renderer{}.Render(h)
				dir := t.TempDir()
				targettest.WriteTree(t, dir, files)
				path := filepath.Join(dir, filepath.FromSlash(iptables.Path))
				realcheck.IptablesRestore(t, path, true)
				saved := realcheck.IptablesApply(t, path)
				for _, tn := range h.Tunnels {
					if !tn.Enabled {
						continue
					}
					for _, want := range []string{
						"-A VTIC-INPUT -s " + tn.Remote.String() + "/32 -d " + tn.Local.String() + "/32 -p esp",
						"-A VTIC-FORWARD -i " + tn.Interface,
						"-A VTIC-MSS -o " + tn.Interface,
					} {
						if !strings.Contains(saved, want) {
							t.Errorf("iptables-save lacks %q:\n%s", want, saved)
						}
					}
				}
			})
		}
	}
}
