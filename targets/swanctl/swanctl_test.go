package swanctl_test

import (
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/vtic/vtic/internal/testkit/realcheck"
	"github.com/vtic/vtic/internal/testkit/require"
	"github.com/vtic/vtic/internal/testkit/targettest"
	"github.com/vtic/vtic/targets/swanctl"
)

func TestGolden(t *testing.T) {
	targettest.Golden(t, swanctl.Renderer{})
}

// TestCharonLoads feeds every example router's files to a real charon and
// checks that exactly the enabled tunnels are loaded, each with its secret.
func TestCharonLoads(t *testing.T) {
	require.Root(t, "swanctl")
	for _, ex := range targettest.Examples(t) {
		for _, h := range ex.Plan.Hosts {
			t.Run(ex.Name+"/"+h.Name, func(t *testing.T) {
				files, err := swanctl.Renderer{}.Render(h)
				if err != nil {
					t.Fatal(err)
				}
				root := t.TempDir()
				targettest.WriteTree(t, root, files)
				loaded := realcheck.SwanctlLoad(t, filepath.Join(root, "etc", "swanctl"))
				var want, wantSecrets []string
				for _, tn := range h.Tunnels {
					if tn.Enabled {
						want = append(want, tn.Name)
						wantSecrets = append(wantSecrets, "ike-"+tn.Name)
					}
				}
				sort.Strings(want)
				sort.Strings(wantSecrets)
				if d := cmp.Diff(want, loaded.Conns); d != "" {
					t.Errorf("loaded connections (-want +got):\n%s", d)
				}
				if d := cmp.Diff(wantSecrets, loaded.Secrets); d != "" {
					t.Errorf("loaded secrets (-want +got):\n%s", d)
				}
			})
		}
	}
}

func TestSecretsAreHexAndPrivate(t *testing.T) {
	for _, ex := range targettest.Examples(t) {
		for _, h := range ex.Plan.Hosts {
			files, err := swanctl.Renderer{}.Render(h)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range files {
				hasKey := false
				for _, tn := range h.Tunnels {
					if strings.Contains(string(f.Data), string(tn.PSK.Value)) {
						t.Errorf("%s/%s %s holds a key in clear text", ex.Name, h.Name, f.Path)
					}
					hasKey = hasKey || strings.Contains(string(f.Data), "secret = 0x")
				}
				if hasKey != (f.Path == swanctl.SecretsPath) {
					t.Errorf("%s: hex key present = %v", f.Path, hasKey)
				}
				if f.Path == swanctl.SecretsPath && (f.Mode != 0o600 || !f.Secret) {
					t.Errorf("secrets file mode %o secret %v, want 0600 and secret", f.Mode, f.Secret)
				}
			}
		}
	}
}
