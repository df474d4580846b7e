package lang

import (
	"net/netip"
	"testing"
)

// The rules test most predicates through sites; these are the ones only
// other packages call, and the edges worth stating once.
func TestPredicates(t *testing.T) {
	p := netip.MustParsePrefix
	a := netip.MustParseAddr
	checks := []struct {
		what      string
		got, want any
	}{
		{"ValidASN(1)", ValidASN(1), true},
		{"ValidASN(0)", ValidASN(0), false},
		{"ValidASN(23456)", ValidASN(23456), false},
		{"ValidASN(4294967294)", ValidASN(4294967294), true},
		{"ValidASN(4294967295)", ValidASN(4294967295), false},
		{"ValidASN(1<<32)", ValidASN(1 << 32), false},
		{"ValidMTU(576, v4)", ValidMTU(576, true), true},
		{"ValidMTU(576, v6)", ValidMTU(576, false), false},
		{"ValidMTU(9001, v4)", ValidMTU(9001, true), false},
		{"UnusableInsideAddr(.20/30)", UnusableInsideAddr(p("169.254.13.20/30")), "network"},
		{"UnusableInsideAddr(.23/30)", UnusableInsideAddr(p("169.254.13.23/30")), "broadcast"},
		{"UnusableInsideAddr(.22/30)", UnusableInsideAddr(p("169.254.13.22/30")), ""},
		{"UnusableInsideAddr(.20/31)", UnusableInsideAddr(p("169.254.13.20/31")), ""},
		{"UnusableInsideAddr(fd00::/126)", UnusableInsideAddr(p("fd00::/126")), "network"},
		{"UnusableInsideAddr(fd00::3/126)", UnusableInsideAddr(p("fd00::3/126")), ""},
		{"SameInsideNetwork(/30, /30)", SameInsideNetwork(p("169.254.13.21/30"), p("169.254.13.22/30")), true},
		{"SameInsideNetwork(/30, /31)", SameInsideNetwork(p("169.254.13.21/30"), p("169.254.13.20/31")), false},
		{"InAWSInsideRange(10.0.0.1)", InAWSInsideRange(a("10.0.0.1")), false},
		{"InAWSInsideRange(fd00::1)", InAWSInsideRange(a("fd00::1")), true},
		{"AWSInsideBits(v4)", AWSInsideBits(a("169.254.1.1")), 30},
		{"AWSInsideBits(v6)", AWSInsideBits(a("fd00::1")), 126},
		{"LocalSecretPath(secrets/a.psk)", LocalSecretPath("secrets/a.psk"), true},
		{"LocalSecretPath(../a.psk)", LocalSecretPath("../a.psk"), false},
		{"LocalSecretPath(/a.psk)", LocalSecretPath("/a.psk"), false},
		{"LocalSecretPath()", LocalSecretPath(""), false},
		{"NameKey(GW1) == NameKey(gw1)", NameKey("GW1") == NameKey("gw1"), true},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.what, c.got, c.want)
		}
	}
	r, ok := AWSReservedInside(a("169.254.169.253"))
	if !ok || r != p("169.254.169.252/30") {
		t.Errorf("AWSReservedInside(169.254.169.253) = %v, %v", r, ok)
	}
	if _, ok := AWSReservedInside(a("169.254.13.22")); ok {
		t.Error("169.254.13.22 is reported reserved by AWS")
	}
}
