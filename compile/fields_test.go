package compile_test

import (
	"testing"

	"github.com/vtic/vtic/compile"
)

// Host routes, options, descriptions, disabled tunnels and secrets.
func TestCompileFields(t *testing.T) { runCompileCases(t, fieldCases) }

var fieldCases = []compileCase{
	{
		// A router with a gateway gets one host route per remote outside
		// address, sorted by address, as /32 or /128 after the gateway's
		// family; a disabled tunnel still gets its route, so enabling it
		// needs no new route. A router without a gateway gets none.
		name: "host routes and disabled tunnels",
		site: `
router "gw1" {
  outside = "192.0.2.1"
  gateway = "192.0.2.254"
}
router "gw2" {
  outside = "203.0.113.1"
}
router "gw6" {
  outside = "2001:db8::6"
  gateway = "2001:db8::1"
}
peer "far-b" {
  outside = "198.51.100.20"
}
peer "far-a" {
  outside = "198.51.100.10"
}
peer "far-c" {
  outside = "198.51.100.5"
}
peer "far6" {
  outside = "2001:db8::7"
}
tunnel "t-b" {
  psk = env("PSK")
  end "gw1" {
    interface = "vti1"
    inside    = "169.254.50.1/30"
  }
  end "far-b" {
    inside = "169.254.50.2/30"
  }
}
tunnel "t-gw2" {
  psk = env("PSK")
  end "gw1" {
    interface = "vti2"
    inside    = "169.254.51.1/30"
  }
  end "gw2" {
    interface = "vti2"
    inside    = "169.254.51.2/30"
  }
}
tunnel "t-a" {
  psk = env("PSK")
  end "gw1" {
    interface = "vti3"
    inside    = "169.254.52.1/30"
  }
  end "far-a" {
    inside = "169.254.52.2/30"
  }
}
tunnel "t-off" {
  enabled = false
  psk     = env("PSK")
  end "gw1" {
    interface = "vti4"
    inside    = "169.254.53.1/30"
  }
  end "far-c" {
    inside = "169.254.53.2/30"
  }
}
tunnel "t-6" {
  psk = env("PSK")
  end "gw6" {
    interface = "vti1"
    inside    = "fd00::1/127"
  }
  end "far6" {
    inside = "fd00::/127"
  }
}
`,
		want: []*compile.Host{
			{
				Name: "gw1", RouterID: addr("192.0.2.1"), Outside: addr("192.0.2.1"), Gateway: addr("192.0.2.254"),
				Tunnels: []*compile.Tunnel{
					{
						Name: "t-a", Enabled: true, Interface: "vti3", Mark: 36, MTU: 1400, MSS: 1360,
						Local: addr("192.0.2.1"), Remote: addr("198.51.100.10"),
						Inside: prefix("169.254.52.1/30"), RemoteInside: addr("169.254.52.2"),
						RemoteName: "far-a", Preset: preset("generic"), PSK: envPSK,
					},
					{
						Name: "t-b", Enabled: true, Interface: "vti1", Mark: 12, MTU: 1400, MSS: 1360,
						Local: addr("192.0.2.1"), Remote: addr("198.51.100.20"),
						Inside: prefix("169.254.50.1/30"), RemoteInside: addr("169.254.50.2"),
						RemoteName: "far-b", Preset: preset("generic"), PSK: envPSK,
					},
					{
						Name: "t-gw2", Enabled: true, Interface: "vti2", Mark: 24, MTU: 1400, MSS: 1360,
						Local: addr("192.0.2.1"), Remote: addr("203.0.113.1"),
						Inside: prefix("169.254.51.1/30"), RemoteInside: addr("169.254.51.2"),
						RemoteName: "gw2", RemoteIsRouter: true, Preset: preset("generic"), PSK: envPSK,
					},
					{
						Name: "t-off", Enabled: false, Interface: "vti4", Mark: 50, MTU: 1400, MSS: 1360,
						Local: addr("192.0.2.1"), Remote: addr("198.51.100.5"),
						Inside: prefix("169.254.53.1/30"), RemoteInside: addr("169.254.53.2"),
						RemoteName: "far-c", Preset: preset("generic"), PSK: envPSK,
					},
				},
				Routes: []compile.Route{
					{Dst: prefix("198.51.100.5/32"), Gateway: addr("192.0.2.254")},
					{Dst: prefix("198.51.100.10/32"), Gateway: addr("192.0.2.254")},
					{Dst: prefix("198.51.100.20/32"), Gateway: addr("192.0.2.254")},
					{Dst: prefix("203.0.113.1/32"), Gateway: addr("192.0.2.254")},
				},
			},
			{
				Name: "gw2", RouterID: addr("203.0.113.1"), Outside: addr("203.0.113.1"),
				Tunnels: []*compile.Tunnel{{
					Name: "t-gw2", Enabled: true, Interface: "vti2", Mark: 24, MTU: 1400, MSS: 1360,
					Local: addr("203.0.113.1"), Remote: addr("192.0.2.1"),
					Inside: prefix("169.254.51.2/30"), RemoteInside: addr("169.254.51.1"),
					RemoteName: "gw1", RemoteIsRouter: true, Responder: true, Preset: preset("generic"), PSK: envPSK,
				}},
			},
			{
				// No router ID: an IPv6 outside address cannot be one.
				Name: "gw6", Outside: addr("2001:db8::6"), Gateway: addr("2001:db8::1"),
				Tunnels: []*compile.Tunnel{{
					Name: "t-6", Enabled: true, Interface: "vti1", Mark: 12, MTU: 1400, MSS: 1340,
					Local: addr("2001:db8::6"), Remote: addr("2001:db8::7"),
					Inside: prefix("fd00::1/127"), RemoteInside: addr("fd00::"),
					RemoteName: "far6", Preset: preset("generic"), PSK: envPSK,
				}},
				Routes: []compile.Route{{Dst: prefix("2001:db8::7/128"), Gateway: addr("2001:db8::1")}},
			},
		},
	},
	{
		// Options become swanctl keys (esp_rekey_time is the child's
		// rekey_time) sorted by section, then key; "child" sorts before
		// "connection". Secrets keep their reference: an inline key, an
		// env() key, and one left unresolved as `vtic diff` allows.
		name: "options, description and secrets",
		site: `
router "gw1" {
  outside = "192.0.2.1"
}
peer "far" {
  outside = "198.51.100.7"
}
peer "far2" {
  outside = "198.51.100.8"
}
peer "far3" {
  outside = "198.51.100.9"
}
tunnel "opts" {
  description = "to the far site"
  psk         = env("PSK")
  options = {
    rekey_time     = "4h"
    esp_rekey_time = "1h"
    proposals      = "aes256-sha256-modp2048"
    dpd_delay      = "10s"
  }
  end "gw1" {
    interface = "vti1"
    inside    = "169.254.60.1/30"
  }
  end "far" {
    inside = "169.254.60.2/30"
  }
}
tunnel "inline" {
  psk = "an.inline.key.1"
  end "gw1" {
    interface = "vti2"
    inside    = "169.254.61.1/30"
  }
  end "far2" {
    inside = "169.254.61.2/30"
  }
}
tunnel "unresolved" {
  psk = env("NOT_SET")
  end "gw1" {
    interface = "vti3"
    inside    = "169.254.62.1/30"
  }
  end "far3" {
    inside = "169.254.62.2/30"
  }
}
`,
		want: []*compile.Host{{
			Name: "gw1", RouterID: addr("192.0.2.1"), Outside: addr("192.0.2.1"),
			Tunnels: []*compile.Tunnel{
				{
					Name: "inline", Enabled: true, Interface: "vti2", Mark: 24, MTU: 1400, MSS: 1360,
					Local: addr("192.0.2.1"), Remote: addr("198.51.100.8"),
					Inside: prefix("169.254.61.1/30"), RemoteInside: addr("169.254.61.2"),
					RemoteName: "far2", Preset: preset("generic"),
					PSK: compile.Secret{Ref: "inline", Value: []byte("an.inline.key.1"), Resolved: true},
				},
				{
					Name: "opts", Description: "to the far site", Enabled: true, Interface: "vti1", Mark: 12, MTU: 1400, MSS: 1360,
					Local: addr("192.0.2.1"), Remote: addr("198.51.100.7"),
					Inside: prefix("169.254.60.1/30"), RemoteInside: addr("169.254.60.2"),
					RemoteName: "far", Preset: preset("generic"), PSK: envPSK,
					Options: []compile.Option{
						{Section: "child", Key: "rekey_time", Value: "1h"},
						{Section: "connection", Key: "dpd_delay", Value: "10s"},
						{Section: "connection", Key: "proposals", Value: "aes256-sha256-modp2048"},
						{Section: "connection", Key: "rekey_time", Value: "4h"},
					},
				},
				{
					Name: "unresolved", Enabled: true, Interface: "vti3", Mark: 36, MTU: 1400, MSS: 1360,
					Local: addr("192.0.2.1"), Remote: addr("198.51.100.9"),
					Inside: prefix("169.254.62.1/30"), RemoteInside: addr("169.254.62.2"),
					RemoteName: "far3", Preset: preset("generic"),
					PSK: compile.Secret{Ref: `env("NOT_SET")`, Resolved: false},
				},
			},
		}},
	},
}

// TestPresetFor checks the fallback: a provider without a preset of its
// own gets the generic one, which is for peers vtic runs itself (IKEv2).
func TestPresetFor(t *testing.T) {
	for _, name := range []string{"", "gcp"} {
		p := compile.PresetFor(name)
		if p.Provider != "generic" || p.IKEVersion != 2 {
			t.Errorf("PresetFor(%q) = %s preset with IKEv%d; want generic with IKEv2", name, p.Provider, p.IKEVersion)
		}
	}
	if p := compile.PresetFor("aws"); p.Provider != "aws" || p.IKEVersion != 1 {
		t.Errorf("PresetFor(aws) = %s preset with IKEv%d; want aws with IKEv1", p.Provider, p.IKEVersion)
	}
}

// TestHostRoutesFamily checks that a host route is only ever written in
// the gateway's family. lang refuses a site that mixes them, so the site is
// changed after validation: the peer's outside address becomes IPv6.
func TestHostRoutesFamily(t *testing.T) {
	site := loadSite(t, `
router "gw1" {
  outside = "192.0.2.1"
  gateway = "192.0.2.254"
}
peer "far" {
  outside = "198.51.100.7"
}
tunnel "t" {
  psk = env("PSK")
  end "gw1" {
    interface = "vti1"
    inside    = "169.254.60.1/30"
  }
  end "far" {
    inside = "169.254.60.2/30"
  }
}
`)
	site.Peers[0].Outside.Addr = addr("2001:db8::7")
	plan, err := compile.Compile(site)
	if err != nil {
		t.Fatal(err)
	}
	if r := plan.Hosts[0].Routes; len(r) != 0 {
		t.Errorf("routes %v; want none for an IPv6 peer behind an IPv4 gateway", r)
	}
}
