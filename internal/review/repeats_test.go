package review

import (
	"bytes"
	"strings"
	"testing"

	"github.com/vtic/vtic/targets"
)

// A file that repeats another in another form (FRR's bgpd.conf and
// frr.conf) shows its change once, in the file repeated; the listing still
// names both, and JSON keeps both diffs for tools.
func TestRepeatedFileShownOnce(t *testing.T) {
	side := func(label, asn string, daemonOnly bool) Side {
		integrated := "router bgp " + asn + "\n"
		if daemonOnly {
			integrated = "router bgp 1\n"
		}
		return Side{Label: label, Routers: []Router{{Name: "gw1", Files: []targets.File{
			{Path: "etc/frr/bgpd.conf", Mode: 0o640, Data: []byte("router bgp " + asn + "\n"), Repeats: "etc/frr/frr.conf"},
			{Path: "etc/frr/frr.conf", Mode: 0o640, Data: []byte(integrated)},
		}}}}
	}
	tests := []struct {
		name       string
		daemonOnly bool // only bgpd.conf differs: nothing shows its change elsewhere
		bgpdDiff   bool
	}{
		{name: "both changed", bgpdDiff: false},
		{name: "repeated file unchanged", daemonOnly: true, bgpdDiff: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Compare(side("a", "1", tt.daemonOnly), side("b", "2", tt.daemonOnly))
			var text, js bytes.Buffer
			if err := WriteText(&text, r, false); err != nil {
				t.Fatal(err)
			}
			if err := WriteJSON(&js, r); err != nil {
				t.Fatal(err)
			}
			out := text.String()
			if got := strings.Contains(out, "+++ b/gw1/etc/frr/bgpd.conf"); got != tt.bgpdDiff {
				t.Errorf("bgpd.conf diff shown = %v, want %v:\n%s", got, tt.bgpdDiff, out)
			}
			note := "etc/frr/bgpd.conf (the same change as etc/frr/frr.conf, in another form; its diff is shown there)"
			if got := strings.Contains(out, note); got == tt.bgpdDiff {
				t.Errorf("note shown = %v, want %v:\n%s", got, !tt.bgpdDiff, out)
			}
			if !strings.Contains(js.String(), `+++ b/gw1/etc/frr/bgpd.conf`) {
				t.Errorf("JSON lacks bgpd.conf's diff:\n%s", js.String())
			}
		})
	}
}
