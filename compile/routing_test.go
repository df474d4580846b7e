package compile_test

import (
	"net/netip"
	"testing"

	"github.com/vtic/vtic/compile"
)

// Routes and BGP policy per tunnel: routes sorted by prefix then metric,
// prefix lists in the order written, a list written empty kept apart from
// none, preference and MED only where the far end compares it.
func TestCompileRouting(t *testing.T) { runCompileCases(t, routingCases) }

var routingCases = []compileCase{
	{
		name: "routes and policy",
		site: `
router "gw1" {
  asn      = 65001
  outside  = "192.0.2.1"
  announce = ["10.1.0.0/16"]
}
router "gw2" {
  asn     = 65002
  outside = "203.0.113.1"
}
peer "aws" {
  provider = "aws"
  outside  = "52.25.31.90"
  asn      = 64512
}
peer "far" {
  outside = "198.51.100.7"
  asn     = 65100
}
tunnel "t-aws" {
  psk = env("PSK")
  end "gw1" {
    interface    = "vti1"
    inside       = "169.254.13.22/30"
    accept       = ["172.31.0.0/16 le 24", "10.200.0.0/16 ge 20 le 24"]
    max_prefixes = 100
    preference   = "backup"
    routes       = [{ prefix = "10.99.0.0/16", metric = 250 }, "10.9.0.0/16"]
  }
  end "aws" {
    inside = "169.254.13.21/30"
  }
}
tunnel "t-far" {
  psk = env("PSK")
  end "gw1" {
    interface  = "vti2"
    inside     = "169.254.14.1/30"
    accept     = []
    preference = "backup"
  }
  end "far" {
    inside = "169.254.14.2/30"
  }
}
tunnel "t-gw2" {
  psk = env("PSK")
  end "gw1" {
    interface  = "vti3"
    inside     = "169.254.15.1/30"
    announce   = ["10.1.0.0/16"]
    preference = "primary"
  }
  end "gw2" {
    interface = "vti3"
    inside    = "169.254.15.2/30"
  }
}
`,
		want: []*compile.Host{
			{
				Name: "gw1", ASN: 65001, RouterID: addr("192.0.2.1"), Outside: addr("192.0.2.1"),
				Announce: []netip.Prefix{prefix("10.1.0.0/16")},
				Tunnels: []*compile.Tunnel{
					{
						Name: "t-aws", Enabled: true, Interface: "vti1", Mark: 12, MTU: 1436, MSS: 1387,
						Local: addr("192.0.2.1"), Remote: addr("52.25.31.90"),
						Inside: prefix("169.254.13.22/30"), RemoteInside: addr("169.254.13.21"),
						RemoteName: "aws", Preset: preset("aws"), PSK: envPSK,
						BGP: &compile.BGP{LocalASN: 65001, RemoteASN: 64512, Neighbor: addr("169.254.13.21"), Keepalive: 10, Hold: 30,
							Accept: []compile.PrefixMatch{
								{Prefix: prefix("172.31.0.0/16"), LE: 24},
								{Prefix: prefix("10.200.0.0/16"), GE: 20, LE: 24},
							},
							MaxPrefixes: 100, Preference: "backup", MED: true},
						Routes: []compile.StaticRoute{{Dst: prefix("10.9.0.0/16")}, {Dst: prefix("10.99.0.0/16"), Metric: 250}},
					},
					{
						Name: "t-far", Enabled: true, Interface: "vti2", Mark: 24, MTU: 1400, MSS: 1360,
						Local: addr("192.0.2.1"), Remote: addr("198.51.100.7"),
						Inside: prefix("169.254.14.1/30"), RemoteInside: addr("169.254.14.2"),
						RemoteName: "far", Preset: preset("generic"), PSK: envPSK,
						BGP: &compile.BGP{LocalASN: 65001, RemoteASN: 65100, Neighbor: addr("169.254.14.2"), Keepalive: 10, Hold: 30,
							Accept: []compile.PrefixMatch{}, Preference: "backup"},
					},
					{
						Name: "t-gw2", Enabled: true, Interface: "vti3", Mark: 36, MTU: 1400, MSS: 1360,
						Local: addr("192.0.2.1"), Remote: addr("203.0.113.1"),
						Inside: prefix("169.254.15.1/30"), RemoteInside: addr("169.254.15.2"),
						RemoteName: "gw2", RemoteIsRouter: true, Preset: preset("generic"), PSK: envPSK,
						BGP: &compile.BGP{LocalASN: 65001, RemoteASN: 65002, Neighbor: addr("169.254.15.2"), Keepalive: 10, Hold: 30,
							Announce: []compile.PrefixMatch{{Prefix: prefix("10.1.0.0/16")}}, Preference: "primary"},
					},
				},
			},
			{
				Name: "gw2", ASN: 65002, RouterID: addr("203.0.113.1"), Outside: addr("203.0.113.1"),
				Tunnels: []*compile.Tunnel{{
					Name: "t-gw2", Enabled: true, Interface: "vti3", Mark: 36, MTU: 1400, MSS: 1360,
					Local: addr("203.0.113.1"), Remote: addr("192.0.2.1"),
					Inside: prefix("169.254.15.2/30"), RemoteInside: addr("169.254.15.1"),
					RemoteName: "gw1", RemoteIsRouter: true, Responder: true, Preset: preset("generic"), PSK: envPSK,
					BGP: &compile.BGP{LocalASN: 65002, RemoteASN: 65001, Neighbor: addr("169.254.15.1"), Keepalive: 10, Hold: 30},
				}},
			},
		},
	},
}

// The plan file keeps routes and policy, and an accept list written empty
// (accept nothing) apart from none (accept everything).
func TestPlanFileRouting(t *testing.T) {
	plan, err := compile.Compile(loadSite(t, routingCases[0].site))
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range plan.Hosts {
		got, err := compile.DecodeHost(compile.EncodeHost(h))
		if err != nil {
			t.Fatalf("%s: %v", h.Name, err)
		}
		if d := planDiff([]*compile.Host{h}, []*compile.Host{got}); d != "" {
			t.Errorf("%s: the plan file changed the host (-want +got):\n%s", h.Name, d)
		}
	}
	gw1, err := compile.DecodeHost(compile.EncodeHost(plan.Host("gw1")))
	if err != nil {
		t.Fatal(err)
	}
	if far := gw1.Tunnels[1].BGP; far.Accept == nil || len(far.Accept) != 0 {
		t.Errorf("t-far's accept read back as %#v, want an empty, non-nil list", far.Accept)
	}
	if aws := gw1.Tunnels[0].BGP; aws.Announce != nil {
		t.Errorf("t-aws's announce read back as %#v, want none (nil)", aws.Announce)
	}
}
