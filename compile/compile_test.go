package compile_test

import (
	"net/netip"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/vtic/vtic/compile"
	"github.com/vtic/vtic/lang"
)

// The expected plans below are written out by hand from the site text and
// the rules in compile's doc comments: marks from the shell appliance's
// formula (vtiN → N*10 read in octal), the presets' published MTU and MSS,
// MSS = MTU − 40 (IPv4 inside) or − 60 (IPv6 inside) capped by the preset.

// testKey is the value of env("PSK") in every site of these tests.
const testKey = "k3y.for.compile.tests"

var envPSK = compile.Secret{Ref: `env("PSK")`, Value: []byte(testKey), Resolved: true}

// loadSite decodes and validates one site file held in memory. Secrets
// other than $PSK stay unresolved, as in `vtic diff`.
func loadSite(t *testing.T, src string) *lang.Site {
	t.Helper()
	dir := t.TempDir()
	site, diags := lang.LoadDir(dir, lang.Options{
		Sources:                map[string][]byte{filepath.Join(dir, "site.hcl"): []byte(src)},
		AllowUnresolvedSecrets: true,
		LookupEnv: func(name string) (string, bool) {
			return testKey, name == "PSK"
		},
	})
	if diags.HasErrors() {
		t.Fatalf("the test site has errors:\n%s\n--- site.hcl\n%s", diags.Error(), src)
	}
	return site
}

func addr(s string) netip.Addr     { return netip.MustParseAddr(s) }
func prefix(s string) netip.Prefix { return netip.MustParsePrefix(s) }

// preset names the preset a tunnel must get; planDiff compares presets by
// provider only, and the cases check the numbers that matter (MTU, MSS, BGP
// timers) on the tunnel itself.
func preset(provider string) compile.Preset { return compile.Preset{Provider: provider} }

func planDiff(want, got []*compile.Host) string {
	return cmp.Diff(want, got,
		cmpopts.EquateEmpty(),
		cmp.Comparer(func(a, b netip.Addr) bool { return a == b }),
		cmp.Comparer(func(a, b netip.Prefix) bool { return a == b }),
		cmp.Comparer(func(a, b compile.Preset) bool { return a.Provider == b.Provider }),
	)
}

// compileCase is a site and the plan it must compile to.
type compileCase struct {
	name string
	site string
	want []*compile.Host
}

func runCompileCases(t *testing.T, cases []compileCase) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			plan, err := compile.Compile(loadSite(t, tc.site))
			if err != nil {
				t.Fatal(err)
			}
			if d := planDiff(tc.want, plan.Hosts); d != "" {
				t.Errorf("plan differs (-want +got):\n%s", d)
			}
		})
	}
}

func TestCompile(t *testing.T) { runCompileCases(t, compileCases) }

var compileCases = []compileCase{
	{
		// Both routers get the tunnel, with the mark derived from the
		// interface of the first router end (gw2's vti10 → 144). Hosts come
		// out sorted by name, announced prefixes sorted, the router ID is
		// kept when given and defaults to the IPv4 outside address.
		name: "between two routers",
		site: `
router "gw2" {
  asn     = 65002
  outside = "203.0.113.1"
}
router "gw1" {
  asn       = 65001
  router_id = "10.0.0.1"
  outside   = "192.0.2.1"
  announce  = ["10.2.0.0/16", "10.1.0.0/24", "10.1.0.0/16"]
}
tunnel "gw1-gw2" {
  psk = env("PSK")
  end "gw2" {
    interface = "vti10"
    inside    = "169.254.20.2/30"
  }
  end "gw1" {
    interface = "vti1"
    inside    = "169.254.20.1/30"
  }
}
`,
		want: []*compile.Host{
			{
				Name: "gw1", ASN: 65001, RouterID: addr("10.0.0.1"), Outside: addr("192.0.2.1"),
				Announce: []netip.Prefix{prefix("10.1.0.0/16"), prefix("10.1.0.0/24"), prefix("10.2.0.0/16")},
				Tunnels: []*compile.Tunnel{{
					Name: "gw1-gw2", Enabled: true, Interface: "vti1", Mark: 144, MTU: 1400, MSS: 1360,
					Local: addr("192.0.2.1"), Remote: addr("203.0.113.1"),
					Inside: prefix("169.254.20.1/30"), RemoteInside: addr("169.254.20.2"),
					RemoteName: "gw2", RemoteIsRouter: true, Preset: preset("generic"), PSK: envPSK,
					BGP: &compile.BGP{LocalASN: 65001, RemoteASN: 65002, Neighbor: addr("169.254.20.2"), Keepalive: 10, Hold: 30},
				}},
			},
			{
				Name: "gw2", ASN: 65002, RouterID: addr("203.0.113.1"), Outside: addr("203.0.113.1"),
				Tunnels: []*compile.Tunnel{{
					Name: "gw1-gw2", Enabled: true, Interface: "vti10", Mark: 144, MTU: 1400, MSS: 1360,
					Local: addr("203.0.113.1"), Remote: addr("192.0.2.1"),
					Inside: prefix("169.254.20.2/30"), RemoteInside: addr("169.254.20.1"),
					RemoteName: "gw1", RemoteIsRouter: true, Responder: true, Preset: preset("generic"), PSK: envPSK,
					BGP: &compile.BGP{LocalASN: 65002, RemoteASN: 65001, Neighbor: addr("169.254.20.1"), Keepalive: 10, Hold: 30},
				}},
			},
		},
	},
	{
		// vti1 → 12, vti10 → 144, and a mark attribute wins over the
		// interface (vti7 would give 106). Tunnels are sorted by name.
		name: "marks and tunnel order",
		site: `
router "gw1" {
  outside = "192.0.2.1"
}
peer "p1" {
  outside = "198.51.100.1"
}
peer "p2" {
  outside = "198.51.100.2"
}
peer "p3" {
  outside = "198.51.100.3"
}
tunnel "c" {
  psk = env("PSK")
  end "gw1" {
    interface = "vti1"
    inside    = "169.254.30.1/30"
  }
  end "p1" {
    inside = "169.254.30.2/30"
  }
}
tunnel "a" {
  psk = env("PSK")
  end "gw1" {
    interface = "vti10"
    inside    = "169.254.31.1/30"
  }
  end "p2" {
    inside = "169.254.31.2/30"
  }
}
tunnel "b" {
  mark = 100
  psk  = env("PSK")
  end "gw1" {
    interface = "vti7"
    inside    = "169.254.32.1/30"
  }
  end "p3" {
    inside = "169.254.32.2/30"
  }
}
`,
		want: []*compile.Host{{
			Name: "gw1", RouterID: addr("192.0.2.1"), Outside: addr("192.0.2.1"),
			Tunnels: []*compile.Tunnel{
				{
					Name: "a", Enabled: true, Interface: "vti10", Mark: 144, MTU: 1400, MSS: 1360,
					Local: addr("192.0.2.1"), Remote: addr("198.51.100.2"),
					Inside: prefix("169.254.31.1/30"), RemoteInside: addr("169.254.31.2"),
					RemoteName: "p2", Preset: preset("generic"), PSK: envPSK,
				},
				{
					Name: "b", Enabled: true, Interface: "vti7", Mark: 100, MTU: 1400, MSS: 1360,
					Local: addr("192.0.2.1"), Remote: addr("198.51.100.3"),
					Inside: prefix("169.254.32.1/30"), RemoteInside: addr("169.254.32.2"),
					RemoteName: "p3", Preset: preset("generic"), PSK: envPSK,
				},
				{
					Name: "c", Enabled: true, Interface: "vti1", Mark: 12, MTU: 1400, MSS: 1360,
					Local: addr("192.0.2.1"), Remote: addr("198.51.100.1"),
					Inside: prefix("169.254.30.1/30"), RemoteInside: addr("169.254.30.2"),
					RemoteName: "p1", Preset: preset("generic"), PSK: envPSK,
				},
			},
		}},
	},
	{
		// AWS: 1436/1387, BGP 10/30. Azure: 1400/1350, BGP 60/180.
		// Generic: 1400, MSS 1360 for IPv4 inside, 1340 for IPv6 inside;
		// an explicit MTU sets the MSS (1300 → 1260) up to the preset's
		// cap (1500 → 1360, not 1460).
		name: "presets, MTU and MSS",
		site: `
router "gw1" {
  asn     = 65001
  outside = "192.0.2.1"
}
peer "aws1" {
  provider = "aws"
  outside  = "52.25.31.90"
  asn      = 64512
}
peer "azure1" {
  provider = "azure"
  outside  = "20.50.1.1"
  asn      = 65515
}
peer "far" {
  outside = "198.51.100.7"
  asn     = 65100
}
peer "far6" {
  outside = "198.51.100.8"
}
peer "far9" {
  outside = "198.51.100.9"
}
tunnel "aws" {
  psk = env("PSK")
  end "gw1" {
    interface = "vti1"
    inside    = "169.254.13.22/30"
  }
  end "aws1" {
    inside = "169.254.13.21/30"
  }
}
tunnel "azure" {
  psk = env("PSK")
  end "gw1" {
    interface = "vti2"
    inside    = "169.254.21.2/30"
  }
  end "azure1" {
    inside = "169.254.21.1/30"
  }
}
tunnel "far-mtu" {
  mtu = 1300
  psk = env("PSK")
  end "gw1" {
    interface = "vti3"
    inside    = "10.9.0.0/31"
  }
  end "far" {
    inside = "10.9.0.1/31"
  }
}
tunnel "far-v6" {
  psk = env("PSK")
  end "gw1" {
    interface = "vti4"
    inside    = "fd00::1/126"
  }
  end "far6" {
    inside = "fd00::2/126"
  }
}
tunnel "far-jumbo" {
  mtu = 1500
  psk = env("PSK")
  end "gw1" {
    interface = "vti5"
    inside    = "10.9.1.1/30"
  }
  end "far9" {
    inside = "10.9.1.2/30"
  }
}
`,
		want: []*compile.Host{{
			Name: "gw1", ASN: 65001, RouterID: addr("192.0.2.1"), Outside: addr("192.0.2.1"),
			Tunnels: []*compile.Tunnel{
				{
					Name: "aws", Enabled: true, Interface: "vti1", Mark: 12, MTU: 1436, MSS: 1387,
					Local: addr("192.0.2.1"), Remote: addr("52.25.31.90"),
					Inside: prefix("169.254.13.22/30"), RemoteInside: addr("169.254.13.21"),
					RemoteName: "aws1", Preset: preset("aws"), PSK: envPSK,
					BGP: &compile.BGP{LocalASN: 65001, RemoteASN: 64512, Neighbor: addr("169.254.13.21"), Keepalive: 10, Hold: 30},
				},
				{
					Name: "azure", Enabled: true, Interface: "vti2", Mark: 24, MTU: 1400, MSS: 1350,
					Local: addr("192.0.2.1"), Remote: addr("20.50.1.1"),
					Inside: prefix("169.254.21.2/30"), RemoteInside: addr("169.254.21.1"),
					RemoteName: "azure1", Preset: preset("azure"), PSK: envPSK,
					BGP: &compile.BGP{LocalASN: 65001, RemoteASN: 65515, Neighbor: addr("169.254.21.1"), Keepalive: 60, Hold: 180},
				},
				{
					Name: "far-jumbo", Enabled: true, Interface: "vti5", Mark: 62, MTU: 1500, MSS: 1360,
					Local: addr("192.0.2.1"), Remote: addr("198.51.100.9"),
					Inside: prefix("10.9.1.1/30"), RemoteInside: addr("10.9.1.2"),
					RemoteName: "far9", Preset: preset("generic"), PSK: envPSK,
				},
				{
					Name: "far-mtu", Enabled: true, Interface: "vti3", Mark: 36, MTU: 1300, MSS: 1260,
					Local: addr("192.0.2.1"), Remote: addr("198.51.100.7"),
					Inside: prefix("10.9.0.0/31"), RemoteInside: addr("10.9.0.1"),
					RemoteName: "far", Preset: preset("generic"), PSK: envPSK,
					BGP: &compile.BGP{LocalASN: 65001, RemoteASN: 65100, Neighbor: addr("10.9.0.1"), Keepalive: 10, Hold: 30},
				},
				{
					Name: "far-v6", Enabled: true, Interface: "vti4", Mark: 50, MTU: 1400, MSS: 1340,
					Local: addr("192.0.2.1"), Remote: addr("198.51.100.8"),
					Inside: prefix("fd00::1/126"), RemoteInside: addr("fd00::2"),
					RemoteName: "far6", Preset: preset("generic"), PSK: envPSK,
				},
			},
		}},
	},
	{
		// A BGP session needs an AS number at both ends: a peer without
		// one, a router without one, and two routers of which one has
		// none all give no BGP.
		name: "BGP only with both AS numbers",
		site: `
router "gw1" {
  asn     = 65001
  outside = "192.0.2.1"
}
router "gw3" {
  outside = "203.0.113.3"
}
peer "aws1" {
  provider = "aws"
  outside  = "52.25.31.90"
  asn      = 64512
}
peer "far" {
  outside = "198.51.100.7"
}
tunnel "gw1-far" {
  psk = env("PSK")
  end "gw1" {
    interface = "vti1"
    inside    = "169.254.40.1/30"
  }
  end "far" {
    inside = "169.254.40.2/30"
  }
}
tunnel "gw3-aws" {
  psk = env("PSK")
  end "gw3" {
    interface = "vti1"
    inside    = "169.254.41.2/30"
  }
  end "aws1" {
    inside = "169.254.41.1/30"
  }
}
tunnel "gw1-gw3" {
  psk = env("PSK")
  end "gw1" {
    interface = "vti2"
    inside    = "169.254.42.1/30"
  }
  end "gw3" {
    interface = "vti2"
    inside    = "169.254.42.2/30"
  }
}
`,
		want: []*compile.Host{
			{
				Name: "gw1", ASN: 65001, RouterID: addr("192.0.2.1"), Outside: addr("192.0.2.1"),
				Tunnels: []*compile.Tunnel{
					{
						Name: "gw1-far", Enabled: true, Interface: "vti1", Mark: 12, MTU: 1400, MSS: 1360,
						Local: addr("192.0.2.1"), Remote: addr("198.51.100.7"),
						Inside: prefix("169.254.40.1/30"), RemoteInside: addr("169.254.40.2"),
						RemoteName: "far", Preset: preset("generic"), PSK: envPSK,
					},
					{
						Name: "gw1-gw3", Enabled: true, Interface: "vti2", Mark: 24, MTU: 1400, MSS: 1360,
						Local: addr("192.0.2.1"), Remote: addr("203.0.113.3"),
						Inside: prefix("169.254.42.1/30"), RemoteInside: addr("169.254.42.2"),
						RemoteName: "gw3", RemoteIsRouter: true, Preset: preset("generic"), PSK: envPSK,
					},
				},
			},
			{
				Name: "gw3", RouterID: addr("203.0.113.3"), Outside: addr("203.0.113.3"),
				Tunnels: []*compile.Tunnel{
					{
						Name: "gw1-gw3", Enabled: true, Interface: "vti2", Mark: 24, MTU: 1400, MSS: 1360,
						Local: addr("203.0.113.3"), Remote: addr("192.0.2.1"),
						Inside: prefix("169.254.42.2/30"), RemoteInside: addr("169.254.42.1"),
						RemoteName: "gw1", RemoteIsRouter: true, Responder: true, Preset: preset("generic"), PSK: envPSK,
					},
					{
						Name: "gw3-aws", Enabled: true, Interface: "vti1", Mark: 12, MTU: 1436, MSS: 1387,
						Local: addr("203.0.113.3"), Remote: addr("52.25.31.90"),
						Inside: prefix("169.254.41.2/30"), RemoteInside: addr("169.254.41.1"),
						RemoteName: "aws1", Preset: preset("aws"), PSK: envPSK,
					},
				},
			},
		},
	},
}
