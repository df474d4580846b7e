package firewall

import (
	"strings"
	"testing"

	"github.com/vtic/vtic/targets/iptables"
)

// head is the pre-filter of chain and jumps: it must agree with
// strings.Fields on the first two words.
func TestHead(t *testing.T) {
	for _, l := range []string{
		"-A INPUT -j VTIC-INPUT", "  -A\tINPUT  -j VTIC-INPUT", "-N VTIC-INPUT", "-P INPUT ACCEPT",
		"-A", "", " ", "-A VTIC-INPUT", `-A VTIC-INPUT -m comment --comment "a b" -j ACCEPT`,
	} {
		f := append(strings.Fields(l), "", "")
		if verb, chain := head(l); verb != f[0] || chain != f[1] {
			t.Errorf("head(%q) = %q, %q; Fields gives %q, %q", l, verb, chain, f[0], f[1])
		}
	}
	st := State{Tables: map[string][]string{"filter": {
		"-P INPUT ACCEPT", "-N VTIC-INPUT", "-A INPUT -j VTIC-INPUT", "-A  INPUT   --jump VTIC-INPUT",
		"-A VTIC-INPUT -j VTIC-INPUT", "-A FORWARD -j VTIC-INPUT",
	}}}
	if n := st.jumps(iptables.Chain{Table: "filter", From: "INPUT", Name: "VTIC-INPUT"}); n != 1 {
		t.Errorf("jumps = %d, want 1", n)
	}
}
