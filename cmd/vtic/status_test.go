package main

import (
	"strings"
	"testing"

	"github.com/vtic/vtic/internal/health"
)

// The BGP column shows the BFD state of a session BFD watches, and
// nothing about BFD for one it does not.
func TestStatusShowsBFD(t *testing.T) {
	rows := []health.TunnelStatus{
		{Tunnel: "t1", Observation: health.Observation{Tunnel: "t1",
			BGP: &health.BGP{Neighbor: "169.254.50.2", State: "Established", PrefixesReceived: 2, WantBFD: true, BFD: "Up"}}},
		{Tunnel: "t2", Observation: health.Observation{Tunnel: "t2",
			BGP: &health.BGP{Neighbor: "169.254.50.6", State: "Active", WantBFD: true, BFD: "Down"}}},
		{Tunnel: "t3", Observation: health.Observation{Tunnel: "t3",
			BGP: &health.BGP{Neighbor: "169.254.50.10", State: "Established", PrefixesReceived: 1}}},
	}
	var b strings.Builder
	writeStatus(&b, rows)
	out := b.String()
	for _, want := range []string{"Established 2 pfx, bfd up", "Active, bfd down"} {
		if !strings.Contains(out, want) {
			t.Errorf("status lacks %q:\n%s", want, out)
		}
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "t3 ") && strings.Contains(line, "bfd") {
			t.Errorf("a session without BFD shows BFD: %q", line)
		}
	}
}
