package lang

import "testing"

func TestRuleInside(t *testing.T) {
	const length = "must be in a /30 or /31 (IPv6: /126 or /127)"
	const reserved = "choose another /30 in 169.254.0.0/16"
	runCases(t, "inside", []ruleCase{
		{name: "length-29", col: 17, detail: "The inside address 169.254.20.1/29 " + length, more: []at{{14, "169.254.20.2/29"}}},
		{name: "length-32", col: 14, detail: length},
		{name: "length-ipv6-64", col: 17, detail: "fd00:20::1/64"},
		{name: "network-address", col: 17, detail: "169.254.20.0 is the network address of 169.254.20.0/30; use one of the two host addresses."},
		{name: "broadcast-address", col: 14, detail: "169.254.20.3 is the broadcast address of 169.254.20.0/30"},
		{name: "ipv6-network-address", col: 17, detail: "fd00:20:: is the network address of fd00:20::/126"},
		{name: "ok-ipv6-last-address"},
		{name: "ok-31"},
		{name: "ok-ipv6-127"},
		{name: "ok-private-inside"},
		{name: "different-networks", col: 14, detail: `The tunnel "gw1-far" has inside addresses 169.254.20.1/30 (gw1) and 169.254.21.2/30 (far); both ends must be in the same /30 network.`},
		{name: "different-lengths", col: 14, detail: "169.254.20.0/31 (far)"},
		{name: "different-families", col: 14, detail: "fd00:20::2/126 (far)"},
		{name: "same-address", col: 14, detail: `Both ends of the tunnel "gw1-far" use 169.254.20.1; give each end its own address of 169.254.20.0/30.`},
		{name: "aws-outside-link-local", col: 17, detail: "AWS tunnel inside addresses are in 169.254.0.0/16; 10.0.0.1/30 is not.", more: []at{{14, "10.0.0.2/30 is not"}}},
		{name: "aws-reserved-0", col: 17, detail: "AWS reserves 169.254.0.0/30; " + reserved, more: []at{{14, "169.254.0.0/30"}}},
		{name: "aws-reserved-1", col: 17, detail: "AWS reserves 169.254.1.0/30", more: []at{{14, "169.254.1.0/30"}}},
		{name: "aws-reserved-2", col: 17, detail: "AWS reserves 169.254.2.0/30", more: []at{{14, "169.254.2.0/30"}}},
		{name: "aws-reserved-3", col: 17, detail: "AWS reserves 169.254.3.0/30", more: []at{{14, "169.254.3.0/30"}}},
		{name: "aws-reserved-4", col: 17, detail: "AWS reserves 169.254.4.0/30", more: []at{{14, "169.254.4.0/30"}}},
		{name: "aws-reserved-5", col: 17, detail: "AWS reserves 169.254.5.0/30", more: []at{{14, "169.254.5.0/30"}}},
		{name: "aws-reserved-169", col: 17, detail: "AWS reserves 169.254.169.252/30", more: []at{{14, "169.254.169.252/30"}}},
		{name: "ok-aws-next-to-reserved"},
		{name: "ok-aws-ipv6"},
	})
}
