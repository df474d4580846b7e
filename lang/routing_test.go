package lang

import (
	"net/netip"
	"testing"
)

// Matches follows FRR's prefix lists: the prefix alone without ge and le,
// else the lengths from ge (or the prefix's) to le (or the family's
// maximum), inside the prefix, of its family.
func TestPrefixMatch(t *testing.T) {
	for _, tc := range []struct {
		entry, prefix string
		want          bool
	}{
		{"10.0.0.0/8", "10.0.0.0/8", true},
		{"10.0.0.0/8", "10.1.0.0/16", false},
		{"10.0.0.0/8 le 24", "10.1.0.0/16", true},
		{"10.0.0.0/8 le 24", "10.0.0.0/8", true},
		{"10.0.0.0/8 le 24", "10.1.1.0/25", false},
		{"10.0.0.0/8 le 24", "11.0.0.0/16", false},
		{"10.0.0.0/8 ge 16", "10.1.1.1/32", true},
		{"10.0.0.0/8 ge 16", "10.0.0.0/8", false},
		{"10.0.0.0/8 ge 16 le 24", "10.1.0.0/16", true},
		{"10.0.0.0/8 ge 16 le 24", "10.1.1.0/24", true},
		{"10.0.0.0/8 ge 16 le 24", "10.1.1.0/28", false},
		{"0.0.0.0/0 le 32", "2001:db8::/32", false},
		{"2001:db8::/32 le 48", "2001:db8:1::/48", true},
	} {
		m, ok := parsePrefixMatch(tc.entry)
		if !ok {
			t.Fatalf("parsePrefixMatch(%q) failed", tc.entry)
		}
		if got := m.Matches(netip.MustParsePrefix(tc.prefix)); got != tc.want {
			t.Errorf("%q matches %s = %v, want %v", tc.entry, tc.prefix, got, tc.want)
		}
		if m.String() != tc.entry {
			t.Errorf("%q prints as %q", tc.entry, m.String())
		}
	}
	for _, bad := range []string{"", "10.0.0.0/8 le", "10.0.0.0/8 le 24 ge 16", "10.0.0.0/8 le 24 le 25", "10.0.0.0/8 ge 0", "10.0.0.0/8 le 024", "10.0.0.0", "fe80::/64%eth0"} {
		if _, ok := parsePrefixMatch(bad); ok {
			t.Errorf("parsePrefixMatch(%q) accepted it", bad)
		}
	}
}
