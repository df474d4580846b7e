package lang

import "testing"

func TestRuleNames(t *testing.T) {
	runCases(t, "names", []ruleCase{
		{name: "slash", col: 8, detail: `The router name "gw/9" cannot be used as a file name`},
		{name: "dotdot", col: 6, detail: `without ".."`},
		{name: "leading-dot", col: 8, detail: "starting with a letter or digit"},
		{name: "leading-dash", col: 8, detail: "starting with a letter or digit"},
		{name: "empty", col: 6, detail: `The peer name ""`},
		{name: "space", col: 8, detail: `"gw 9"`},
		{name: "too-long", col: 8, detail: "1 to 63 letters"},
		{name: "ok-longest"},
		{name: "tunnel-name", col: 8, detail: `The tunnel name "gw1/gw2"`},
		{name: "duplicate-router", col: 8, detail: `A router named "gw2" was already declared at `},
		{name: "duplicate-ignoring-case", col: 8, detail: "routers.hcl:5,8. Names must be unique, ignoring case."},
		{name: "peer-named-like-router", col: 6, detail: `A router named "gw2" was already declared`},
		{name: "duplicate-peer", col: 6, detail: "peers.hcl:13,6"},
		{name: "duplicate-tunnel", col: 8, detail: `A tunnel named "gw1-gw2" was already declared at `},
		{name: "ok-tunnel-named-like-router"},
	})
}
