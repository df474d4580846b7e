package lang

import "testing"

func TestRuleRouterScope(t *testing.T) {
	runCases(t, "scope", []ruleCase{
		{name: "duplicate-mark", col: 10, detail: `The tunnel "gw1-far" uses mark 100 on router "gw1", which the tunnel "gw1-aws1" already uses (`},
		{name: "ok-same-mark-other-router"},
		{name: "duplicate-mark-explicit-derived", col: 10, detail: `uses mark 12 on router "gw2", which the tunnel "gw1-gw2" already uses (`},
		{name: "duplicate-mark-derived-explicit", col: 17, detail: `The tunnel "gw1-aws1" uses mark 24 (derived from the interface "vti2" of its end "gw1") on router "gw1", which the tunnel "gw1-far" already uses (`},
		{name: "duplicate-mark-derived-from-other-router", col: 17, detail: `The tunnel "gw1-gw2" uses mark 12 (derived from the interface "vti1" of its end "gw1") on router "gw2", which the tunnel "far-gw2" already uses (`},
		{name: "duplicate-interface", col: 17, detail: `The router "gw1" already uses the interface "vti9" for the tunnel "gw1-aws1" (`},
		{name: "duplicate-interface-both-routers",
			col: 8, detail: `The tunnels "gw1-gw2" (`,
			more: []at{
				{8, `both run from 203.0.113.1 to 192.0.2.1 on router "gw2"`},
				{17, `The router "gw1" already uses the interface "vti1"`},
				{17, `The router "gw2" already uses the interface "vti1"`},
			}},
		{name: "duplicate-outside-pair", col: 8, detail: `"gw1-aws1-b" both run from 192.0.2.1 to 52.25.31.90 on router "gw1"; IKE cannot tell them apart.`},
		{name: "overlapping-inside", col: 17, detail: `On router "gw1" the tunnel "gw1-far" uses 169.254.20.2/31, which overlaps 169.254.20.0/30 of the tunnel "gw1-gw2" (`},
		{name: "overlapping-inside-same-network", col: 17, detail: `overlaps 169.254.13.20/30 of the tunnel "gw1-aws1"`},
		{name: "overlapping-inside-ipv6", col: 17, detail: `the tunnel "gw1-azure1" uses fd00:20::2/127, which overlaps fd00:20::/126 of the tunnel "gw1-far"`,
			more: []at{{17, `the tunnel "gw3-gw1" uses fd00:20::/127, which overlaps fd00:20::/126 of the tunnel "gw1-far"`}}},
		{name: "ok-inside-overlap-other-router"},
	})
}
