package lang

import "testing"

func TestRuleInterface(t *testing.T) {
	const chars = "use 1 to 15 bytes of letters, digits, '-', '_' or '.'"
	runCases(t, "interface", []ruleCase{
		{name: "too-long", col: 17, detail: `"vti-abcdefghijkl" cannot be a Linux interface name: ` + chars},
		{name: "ok-longest"},
		{name: "empty", col: 17, detail: chars},
		{name: "slash", col: 17, detail: `"vti/1"`},
		{name: "leading-dash", col: 17, detail: "not starting with '-'"},
		{name: "space", col: 17, detail: `"vti 1"`},
		{name: "colon", col: 17, detail: `"vti:1"`},
		{name: "dot", col: 17, detail: `"."`},
		{name: "dotdot", col: 17, detail: `".."`},
		{name: "sysctl-all", col: 17, detail: `"all" cannot be a Linux interface name`},
		{name: "sysctl-default", col: 17, detail: `"default" cannot be a Linux interface name`},
		{name: "non-ascii", col: 17, detail: `"vtié"`},
		{name: "newline", col: 17, detail: `"vti1\n"`},
		{name: "missing", col: 3, detail: `The end "gw1" of the tunnel "gw1-far" is a router, so it needs interface = "vtiN"`},
		{name: "on-peer-end", col: 17, detail: `"far" is a peer, which vtic does not manage`},
	})
}
