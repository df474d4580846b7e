package frr_test

import (
	"path/filepath"
	"testing"

	"github.com/vtic/vtic/internal/testkit/realcheck"
	"github.com/vtic/vtic/internal/testkit/require"
	"github.com/vtic/vtic/internal/testkit/targettest"
	"github.com/vtic/vtic/targets/frr"
)

func TestGolden(t *testing.T) {
	targettest.Golden(t, frr.Renderer{})
}

// TestVtyshAccepts checks every rendered FRR file with vtysh -C.
func TestVtyshAccepts(t *testing.T) {
	require.Root(t, "vtysh")
	for ex, hosts := range targettest.Golden(t, frr.Renderer{}) {
		for host, files := range hosts {
			dir := t.TempDir()
			targettest.WriteTree(t, dir, files)
			for _, f := range files {
				t.Run(ex+"/"+host+"/"+f.Path, func(t *testing.T) {
					realcheck.Vtysh(t, filepath.Join(dir, filepath.FromSlash(f.Path)))
				})
			}
		}
	}
}
