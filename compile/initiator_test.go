package compile_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vtic/vtic/compile"
	"github.com/vtic/vtic/internal/testkit/targettest"
	"github.com/vtic/vtic/lang"
)

// Of every tunnel between two routers exactly one end is the responder,
// the end of the router whose name sorts second; a tunnel to a peer never
// has one.
func TestOneInitiatorPerTunnel(t *testing.T) {
	routerTunnels := 0
	for _, ex := range targettest.Examples(t) {
		ends := map[string][]string{} // tunnel -> responder router names
		for _, h := range ex.Plan.Hosts {
			for _, tn := range h.Tunnels {
				switch {
				case !tn.RemoteIsRouter && tn.Responder:
					t.Errorf("%s: %s's end of %s (to peer %s) is a responder", ex.Name, h.Name, tn.Name, tn.RemoteName)
				case tn.RemoteIsRouter:
					if tn.Responder != (tn.RemoteName < h.Name) {
						t.Errorf("%s: %s's end of %s (to %s): responder = %v", ex.Name, h.Name, tn.Name, tn.RemoteName, tn.Responder)
					}
					if tn.Responder {
						ends[tn.Name] = append(ends[tn.Name], h.Name)
					} else {
						ends[tn.Name] = append(ends[tn.Name], "")
					}
				}
			}
		}
		for name, e := range ends {
			routerTunnels++
			if len(e) != 2 || (e[0] == "") == (e[1] == "") {
				t.Errorf("%s: tunnel %s has responder ends %q; want exactly one of two", ex.Name, name, e)
			}
		}
	}
	if routerTunnels == 0 {
		t.Fatal("no example has a tunnel between two routers")
	}
}

// The rule follows the routers' names, not the order the tunnel lists its
// ends in.
func TestInitiatorIgnoresEndOrder(t *testing.T) {
	responders := func(firstEnd, secondEnd string) map[string]bool {
		dir := t.TempDir()
		end := func(name, addr string) string {
			return `  end "` + name + `" {
    interface = "vti1"
    inside    = "` + addr + `/30"
  }
`
		}
		site := `router "edge-b" {
  outside = "192.0.2.1"
}
router "edge-a" {
  outside = "198.51.100.1"
}
tunnel "t" {
  psk = "a-long-enough-key"
` + end(firstEnd, "169.254.1.1") + end(secondEnd, "169.254.1.2") + `}
`
		if err := os.WriteFile(filepath.Join(dir, "site.hcl"), []byte(site), 0o644); err != nil {
			t.Fatal(err)
		}
		st, diags := lang.LoadDir(dir, lang.Options{})
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		plan, err := compile.Compile(st)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]bool{}
		for _, h := range plan.Hosts {
			out[h.Name] = h.Tunnels[0].Responder
		}
		return out
	}
	for _, order := range [][2]string{{"edge-a", "edge-b"}, {"edge-b", "edge-a"}} {
		got := responders(order[0], order[1])
		if got["edge-a"] || !got["edge-b"] {
			t.Errorf("ends listed %v: responder by router %v; want edge-b only", order, got)
		}
	}
}

// A plan written before responder ends existed has no "responder" key and
// reads with both ends initiating, as it was applied; a responder end
// toward a peer is refused.
func TestPlanResponder(t *testing.T) {
	var h *compile.Host
	for _, ex := range targettest.Examples(t) {
		if ex.Name == "two-routers" {
			h = ex.Plan.Host("gw2")
		}
	}
	if h == nil || !h.Tunnels[0].Responder {
		t.Fatal("two-routers: gw2 is not the responder of its tunnel")
	}
	data := string(compile.EncodeHost(h))
	if !strings.Contains(data, `"responder": true,`) {
		t.Fatalf("the plan does not record the responder end:\n%s", data)
	}
	old, err := compile.DecodeHost([]byte(strings.Replace(data, `"responder": true,`, "", 1)))
	if err != nil {
		t.Fatal(err)
	}
	if old.Tunnels[0].Responder {
		t.Error("a plan without the key reads as a responder end")
	}
	bad := strings.Replace(data, `"remote_is_router": true,`, `"remote_is_router": false,`, 1)
	if _, err := compile.DecodeHost([]byte(bad)); err == nil || !strings.Contains(err.Error(), "only the end of a tunnel between routers can be the responder") {
		t.Errorf("a responder end toward a peer: err = %v", err)
	}
}
