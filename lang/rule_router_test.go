package lang

import "testing"

func TestRuleRouter(t *testing.T) {
	runCases(t, "router", []ruleCase{
		{name: "outside-unspecified", col: 13, detail: "0.0.0.0 cannot be a tunnel endpoint"},
		{name: "outside-loopback", col: 13, detail: "127.0.0.1 cannot be a tunnel endpoint"},
		{name: "outside-multicast", col: 13, detail: "must be a unicast address"},
		{name: "outside-broadcast", col: 13, detail: "255.255.255.255 cannot"},
		{name: "outside-ipv6-unspecified", col: 13, detail: ":: cannot"},
		{name: "outside-ipv6-loopback", col: 13, detail: "::1 cannot"},
		{name: "router-id-ipv6", col: 15, detail: "A BGP router ID is an IPv4 address"},
		{name: "missing-router-id", col: 8, detail: "Set router_id to an IPv4 address."},
		{name: "ok-ipv6-without-bgp"},
		{name: "gateway-family", col: 13, detail: "The gateway 2001:db8::1 and the outside address 192.0.2.9"},
		{name: "announce-without-asn", col: 14, detail: `the router "gw9" has no asn`},
		{name: "announce-host-bits", col: 30, detail: `Did you mean "10.10.0.0/16"?`},
		{name: "announce-duplicate", col: 5, detail: "routers2.hcl:5,5"},
	})
}
