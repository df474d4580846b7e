package compile_test

import (
	"testing"

	"github.com/vtic/vtic/compile"
)

// BFD on one tunnel between routers: both ends get the preset's timers on
// their BGP session, and a tunnel with bfd = false gets none.
func TestCompileBFD(t *testing.T) { runCompileCases(t, bfdCases) }

var bfdCases = []compileCase{{
	name: "bfd between routers",
	site: `
router "gw1" {
  asn     = 65001
  outside = "192.0.2.1"
}
router "gw2" {
  asn     = 65002
  outside = "203.0.113.1"
}
tunnel "a" {
  psk = env("PSK")
  bfd = true
  end "gw1" {
    interface = "vti1"
    inside    = "169.254.20.1/30"
  }
  end "gw2" {
    interface = "vti1"
    inside    = "169.254.20.2/30"
  }
}
peer "far" {
  outside = "198.51.100.7"
  asn     = 65007
}
tunnel "b" {
  psk = env("PSK")
  bfd = false
  end "gw1" {
    interface = "vti2"
    inside    = "169.254.21.1/30"
  }
  end "far" {
    inside = "169.254.21.2/30"
  }
}
`,
	want: []*compile.Host{
		{
			Name: "gw1", ASN: 65001, RouterID: addr("192.0.2.1"), Outside: addr("192.0.2.1"),
			Tunnels: []*compile.Tunnel{
				{
					Name: "a", Enabled: true, Interface: "vti1", Mark: 12, MTU: 1400, MSS: 1360,
					Local: addr("192.0.2.1"), Remote: addr("203.0.113.1"),
					Inside: prefix("169.254.20.1/30"), RemoteInside: addr("169.254.20.2"),
					RemoteName: "gw2", RemoteIsRouter: true, Preset: preset("generic"), PSK: envPSK,
					BGP: &compile.BGP{LocalASN: 65001, RemoteASN: 65002, Neighbor: addr("169.254.20.2"), Keepalive: 10, Hold: 30,
						BFD: &compile.BFD{DetectMultiplier: 3, ReceiveInterval: 300, TransmitInterval: 300}},
				},
				{
					Name: "b", Enabled: true, Interface: "vti2", Mark: 24, MTU: 1400, MSS: 1360,
					Local: addr("192.0.2.1"), Remote: addr("198.51.100.7"),
					Inside: prefix("169.254.21.1/30"), RemoteInside: addr("169.254.21.2"),
					RemoteName: "far", Preset: preset("generic"), PSK: envPSK,
					BGP: &compile.BGP{LocalASN: 65001, RemoteASN: 65007, Neighbor: addr("169.254.21.2"), Keepalive: 10, Hold: 30},
				},
			},
		},
		{
			Name: "gw2", ASN: 65002, RouterID: addr("203.0.113.1"), Outside: addr("203.0.113.1"),
			Tunnels: []*compile.Tunnel{
				{
					Name: "a", Enabled: true, Interface: "vti1", Mark: 12, MTU: 1400, MSS: 1360,
					Local: addr("203.0.113.1"), Remote: addr("192.0.2.1"),
					Inside: prefix("169.254.20.2/30"), RemoteInside: addr("169.254.20.1"),
					RemoteName: "gw1", RemoteIsRouter: true, Responder: true, Preset: preset("generic"), PSK: envPSK,
					BGP: &compile.BGP{LocalASN: 65002, RemoteASN: 65001, Neighbor: addr("169.254.20.1"), Keepalive: 10, Hold: 30,
						BFD: &compile.BFD{DetectMultiplier: 3, ReceiveInterval: 300, TransmitInterval: 300}},
				},
			},
		},
	},
}}
