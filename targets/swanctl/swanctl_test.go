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
			if h.UsesLibreswan() {
				continue // no files: see TestNothingForLibreswan
			}
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
						if !tn.Pubkey {
							wantSecrets = append(wantSecrets, "ike-"+tn.Name)
						}
					}
				}
				checkCredsLoaded(t, h, loaded.Output)
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
				hasKey, pskTunnels := false, false
				for _, tn := range h.Tunnels {
					if tn.Pubkey {
						continue
					}
					pskTunnels = true
					if strings.Contains(string(f.Data), string(tn.PSK.Value)) {
						t.Errorf("%s/%s %s holds a key in clear text", ex.Name, h.Name, f.Path)
					}
					hasKey = hasKey || strings.Contains(string(f.Data), "secret = 0x")
				}
				if hasKey != (f.Path == swanctl.SecretsPath && pskTunnels) {
					t.Errorf("%s: hex key present = %v", f.Path, hasKey)
				}
				if f.Path == swanctl.SecretsPath && (f.Mode != 0o600 || !f.Secret) {
					t.Errorf("secrets file mode %o secret %v, want 0600 and secret", f.Mode, f.Secret)
				}
			}
		}
	}
}

// The responder end of a tunnel between routers waits and lets the SA go;
// the initiator starts it, keeps a trap and restarts it; a tunnel to a
// peer is started and restarted as before.
func TestActionsByRole(t *testing.T) {
	seen := map[string]bool{}
	for _, ex := range targettest.Examples(t) {
		for _, h := range ex.Plan.Hosts {
			if h.UsesLibreswan() {
				continue
			}
			conns := swanctl.Connections(h)
			for _, tn := range h.Tunnels {
				if !tn.Enabled {
					continue
				}
				child := conns.Sub(tn.Name).Sub("children").Sub(tn.Name)
				var got []string
				for _, k := range []string{"start_action", "dpd_action", "close_action"} {
					v, _ := child.Value(k)
					got = append(got, v)
				}
				role, want := "peer", []string{"start", "restart", "start"}
				switch {
				case tn.Responder:
					role, want = "responder", []string{"none", "clear", "none"}
				case tn.RemoteIsRouter:
					role, want = "initiator", []string{"trap|start", "restart", "start"}
				}
				seen[role] = true
				if d := cmp.Diff(want, got); d != "" {
					t.Errorf("%s/%s %s (%s): start, dpd and close actions (-want +got):\n%s", ex.Name, h.Name, tn.Name, role, d)
				}
			}
		}
	}
	if len(seen) != 3 {
		t.Errorf("the examples cover only %v", seen)
	}
}

// A router that runs libreswan gets no strongSwan files.
func TestNothingForLibreswan(t *testing.T) {
	n := 0
	for _, ex := range targettest.Examples(t) {
		for _, h := range ex.Plan.Hosts {
			files, err := swanctl.Renderer{}.Render(h)
			if err != nil {
				t.Fatal(err)
			}
			if h.UsesLibreswan() {
				n++
				if len(files) != 0 {
					t.Errorf("%s/%s runs libreswan and gets %d strongSwan files", ex.Name, h.Name, len(files))
				}
			} else if len(files) == 0 {
				t.Errorf("%s/%s runs strongSwan and gets no files", ex.Name, h.Name)
			}
		}
	}
	if n == 0 {
		t.Fatal("no example has a libreswan router")
	}
}
