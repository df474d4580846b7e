package lang

import (
	"sort"
	"testing"
)

// TestOptionSpecs checks that the option table is sorted, as LookupOption's
// binary search needs, and that every key can be looked up.
func TestOptionSpecs(t *testing.T) {
	if !sort.SliceIsSorted(OptionSpecs, func(i, j int) bool { return OptionSpecs[i].Key < OptionSpecs[j].Key }) {
		t.Error("OptionSpecs is not sorted by key")
	}
	for _, s := range OptionSpecs {
		if got, ok := LookupOption(s.Key); !ok || got.Key != s.Key {
			t.Errorf("LookupOption(%q) = %q, %v", s.Key, got.Key, ok)
		}
		if s.Section != SectionConn && s.Section != SectionChild {
			t.Errorf("option %q has section %q", s.Key, s.Section)
		}
	}
	if _, ok := LookupOption("updown"); ok {
		t.Error(`LookupOption("updown") found an option`)
	}
}
