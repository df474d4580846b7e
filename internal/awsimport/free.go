package awsimport

import (
	"strconv"

	"github.com/vtic/vtic/lang"
)

// freeInterfaces picks the VTI of each imported tunnel (names, in tunnel
// order) on the router, when none are given. A tunnel the site already
// has under that name keeps its interface, so importing the same file
// again changes nothing. Any other takes the first vtiN that no other
// tunnel of the router uses and whose derived mark (the generated tunnels
// leave the mark out) no other tunnel of the router uses either: a second
// VPN imported onto a router lands next to the first.
func freeInterfaces(site *lang.Site, router string, names []string) []string {
	mine := map[string]bool{}
	for _, n := range names {
		mine[n] = true
	}
	ifaces := map[string]bool{}
	marks := map[uint32]bool{}
	keep := map[string]string{}
	for _, t := range site.Tunnels {
		for _, e := range t.Ends {
			if e.Name != router || !e.Interface.Set {
				continue
			}
			if mine[t.Name] {
				keep[t.Name] = e.Interface.Value
				continue
			}
			ifaces[e.Interface.Value] = true
			if m, ok := site.MarkOf(t); ok {
				marks[m] = true
			}
		}
	}
	out := make([]string, len(names))
	take := func(i int, iface string) bool {
		m, ok := lang.DerivedMark(iface)
		if !ok || ifaces[iface] || marks[m] {
			return false
		}
		out[i], ifaces[iface], marks[m] = iface, true, true
		return true
	}
	for i, n := range names {
		if k, ok := keep[n]; ok {
			take(i, k)
		}
	}
	next := 1
	for i := range names {
		for out[i] == "" {
			take(i, "vti"+strconv.Itoa(next))
			next++
		}
	}
	return out
}
