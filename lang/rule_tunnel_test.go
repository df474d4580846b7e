package lang

import "testing"

func TestRuleTunnel(t *testing.T) {
	runCases(t, "tunnel", []ruleCase{
		{name: "one-end", col: 8, detail: `The tunnel "gw1-gw2" has 1 end blocks; a tunnel has exactly two`},
		{name: "no-end", col: 8, detail: "has 0 end blocks"},
		{name: "three-ends", col: 3, detail: "has 3 end blocks"},
		{name: "end-repeated", col: 7, detail: `Both ends of the tunnel "gw1-gw1" name "gw1"`},
		{name: "unknown-end", col: 7, detail: `There is no router or peer named "gw3".`},
		{name: "end-name-case", col: 7, detail: `named "GW2"`},
		{name: "two-peers", col: 8, detail: "At least one end must name a router."},
		{name: "family-mismatch", col: 8, detail: "192.0.2.1 (gw1) and 2001:db8::7 (far6)"},
		{name: "ok-ipv6-outside-ipv4-inside"},
		{name: "same-outside", col: 8, detail: "the outside address 192.0.2.1"},
		{name: "asn-mismatch-aws", col: 14, detail: `The aws peer "aws9" has the same AS number (65001)`},
		{name: "asn-mismatch-azure", col: 14, detail: `The azure peer "azure9" has the same AS number (65001)`},
		{name: "ok-same-asn-generic"},
	})
}
