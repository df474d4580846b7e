package frr_test

import (
	"net/netip"
	"os"
	"path/filepath"
	"testing"

	"github.com/vtic/vtic/compile"
	"github.com/vtic/vtic/internal/testkit/realcheck"
	"github.com/vtic/vtic/internal/testkit/require"
	"github.com/vtic/vtic/internal/testkit/targettest"
	"github.com/vtic/vtic/targets/frr"
)

// policyHost has what examples/routing does not: a session over IPv6
// inside addresses (ipv6 prefix lists, match ipv6), an accept list written
// empty (accept nothing), a backup toward a peer that does not compare MEDs
// (prepend only), and an IPv6 route into a tunnel.
func policyHost() *compile.Host {
	p := netip.MustParsePrefix
	a := netip.MustParseAddr
	return &compile.Host{
		Name: "gw6", ASN: 65006, RouterID: a("10.6.0.1"), Outside: a("192.0.2.6"),
		Announce: []netip.Prefix{p("2001:db8:6::/48")},
		Tunnels: []*compile.Tunnel{{
			Name: "far6", Enabled: true, Interface: "vti6", Mark: 60, MTU: 1400,
			Local: a("192.0.2.6"), Remote: a("198.51.100.6"),
			Inside: p("fd00::1/127"), RemoteInside: a("fd00::"), RemoteName: "far6",
			BGP: &compile.BGP{LocalASN: 65006, RemoteASN: 65106, Neighbor: a("fd00::"), Keepalive: 10, Hold: 30,
				Accept:     []compile.PrefixMatch{},
				Announce:   []compile.PrefixMatch{{Prefix: p("2001:db8:6::/48")}, {Prefix: p("2001:db8:100::/40"), GE: 44, LE: 48}},
				Preference: "backup"},
			Routes: []compile.StaticRoute{{Dst: p("2001:db8:99::/48")}, {Dst: p("2001:db8:98::/48"), Metric: 100}},
		}},
	}
}

func TestGoldenPolicy(t *testing.T) {
	files, err := frr.Renderer{}.Render(policyHost())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range files {
		targettest.CompareGolden(t, filepath.Join("testdata", "policy", f.Path), f.Data)
		again, _ := frr.Renderer{}.Render(policyHost())
		for _, g := range again {
			if g.Path == f.Path && string(g.Data) != string(f.Data) {
				t.Errorf("%s: a second render differs", f.Path)
			}
		}
		path := filepath.Join(dir, filepath.Base(f.Path))
		if err := os.WriteFile(path, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	require.Root(t, "vtysh")
	for _, f := range files {
		t.Run(f.Path, func(t *testing.T) { realcheck.Vtysh(t, filepath.Join(dir, filepath.Base(f.Path))) })
	}
}
