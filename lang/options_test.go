package lang

import (
	"sort"
	"testing"
)

func TestOptions(t *testing.T) {
	runCases(t, "options", []ruleCase{
		{name: "unknown-key", col: 5, detail: `"updown" is not an option vtic can pass to strongSwan. Known options: aggressive, close_action,`},
		{name: "duplicate-key", col: 5, detail: `"rekey_time" is already set at `},
		{name: "duplicate-quoted-key", col: 5, detail: `tunnels.hcl:4,5.`},
		{name: "computed-key", col: 5, detail: `Option names in "options" must be plain names.`},
		{name: "bad-duration", col: 18, detail: `The option "rekey_time" must be a duration such as 4h.`},
		{name: "injection", col: 21, detail: `The option "esp_proposals" must be a comma-separated ESP proposal list`},
		{name: "bad-choice", col: 14, detail: "yes or no"},
		{name: "bad-id", col: 16, detail: "an IKE identity"},
		{name: "bad-proposal", col: 21, detail: `"proposals"`, more: []at{{21, `"esp_proposals"`}}},
		{name: "not-an-object", col: 13, detail: `The argument "options" must be an object of strings`},
		{name: "value-not-a-string", col: 18, detail: `The argument "rekey_time" must be a string.`},
		{name: "ok-every-option"},
	})
}

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
