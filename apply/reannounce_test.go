package apply

import (
	"slices"
	"strings"
	"testing"
)

// TestReannounceCreatedAddrs: the frr step replaces the address of each
// VTI the apply created once more, after the devices step, so that zebra
// learns it even if it dropped the first announcement (FRRouting/frr#13288,
// met in the lab); devices that already existed are left alone.
func TestReannounceCreatedAddrs(t *testing.T) {
	w := newWorld(t)
	w.mustApply(base.with(func(s *site) { s.Third = false }).input(t))
	w.resetTranscripts()
	w.mustApply(base.input(t)) // adds gw1-gw3, whose device is vti3
	var addrs []string
	for _, l := range w.kernel.Transcript() {
		if strings.HasPrefix(l, "addr replace ") {
			addrs = append(addrs, l)
		}
	}
	want := []string{"addr replace vti3 169.254.30.1/30", "addr replace vti3 169.254.30.1/30"}
	if !slices.Equal(addrs, want) {
		t.Errorf("address writes %q, want %q (once by the devices step, once more by the frr step)\nkernel: %q",
			addrs, want, w.kernel.Transcript())
	}
}
