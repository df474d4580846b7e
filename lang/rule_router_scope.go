package lang

import (
	"fmt"
	"net/netip"
	"sort"

	"github.com/hashicorp/hcl/v2"
)

// routerEnd is one tunnel as seen from one of its routers.
type routerEnd struct {
	tunnel *Tunnel
	end    *End
	remote endpoint
}

// checkPerRouter checks what must be unique among the tunnels of one router:
// marks, interface names, inside networks and outside address pairs. It uses
// maps and one sort per router, never a comparison of all pairs.
func checkPerRouter(ix *index) hcl.Diagnostics {
	byRouter := map[string][]routerEnd{}
	var order []string
	for _, t := range ix.site.Tunnels {
		eps, _ := ix.resolveEnds(t)
		if len(eps) != 2 || len(t.Ends) != 2 {
			continue
		}
		for i, ep := range eps {
			if ep.router == nil {
				continue
			}
			if _, ok := byRouter[ep.router.Name]; !ok {
				order = append(order, ep.router.Name)
			}
			byRouter[ep.router.Name] = append(byRouter[ep.router.Name], routerEnd{t, ep.end, eps[1-i]})
		}
	}
	var diags hcl.Diagnostics
	for _, name := range order {
		r := ix.routers[name]
		ends := byRouter[name]
		diags = append(diags, uniqueMarks(ix.site, r, ends)...)
		diags = append(diags, uniqueInterfaces(r, ends)...)
		diags = append(diags, uniqueOutsidePairs(r, ends)...)
		diags = append(diags, noInsideOverlap(r, ends)...)
	}
	return diags
}

// markRange is where a tunnel's mark was written: the mark attribute, or
// the interface it is derived from, which on a tunnel between two routers
// can be the other router's end.
func markRange(s *Site, t *Tunnel) hcl.Range {
	if t.Mark.Set {
		return t.Mark.Range
	}
	if e := s.markEnd(t); e != nil && e.Interface.Set {
		return e.Interface.Range
	}
	return t.NameRange
}

func uniqueMarks(s *Site, r *Router, ends []routerEnd) hcl.Diagnostics {
	var diags hcl.Diagnostics
	seen := map[uint32]routerEnd{}
	for _, re := range ends {
		m, ok := s.MarkOf(re.tunnel)
		if !ok {
			continue
		}
		if first, dup := seen[m]; dup {
			how := ""
			if e := s.markEnd(re.tunnel); !re.tunnel.Mark.Set && e != nil {
				how = fmt.Sprintf(" (derived from the interface %q of its end %q)", e.Interface.Value, e.Name)
			}
			diags = append(diags, errorAt(markRange(s, re.tunnel), "Duplicate mark",
				"The tunnel %q uses mark %d%s on router %q, which the tunnel %q already uses (%s). Each tunnel of a router needs its own mark.",
				re.tunnel.Name, m, how, r.Name, first.tunnel.Name, where(markRange(s, first.tunnel))))
			continue
		}
		seen[m] = re
	}
	return diags
}

func uniqueInterfaces(r *Router, ends []routerEnd) hcl.Diagnostics {
	var diags hcl.Diagnostics
	seen := map[string]routerEnd{}
	for _, re := range ends {
		if !re.end.Interface.Set || !validIfName(re.end.Interface.Value) {
			continue
		}
		name := re.end.Interface.Value
		if first, dup := seen[name]; dup {
			diags = append(diags, errorAt(re.end.Interface.Range, "Duplicate interface",
				"The router %q already uses the interface %q for the tunnel %q (%s).",
				r.Name, name, first.tunnel.Name, where(first.end.Interface.Range)))
			continue
		}
		seen[name] = re
	}
	return diags
}

func uniqueOutsidePairs(r *Router, ends []routerEnd) hcl.Diagnostics {
	var diags hcl.Diagnostics
	seen := map[[2]netip.Addr]routerEnd{}
	for _, re := range ends {
		remote := re.remote.outside()
		if !r.Outside.Set() || !remote.Set() {
			continue
		}
		key := [2]netip.Addr{r.Outside.Addr, remote.Addr}
		if first, dup := seen[key]; dup {
			diags = append(diags, errorAt(re.tunnel.NameRange, "Duplicate outside address pair",
				"The tunnels %q (%s) and %q both run from %s to %s on router %q; IKE cannot tell them apart. Use another outside address on one side.",
				first.tunnel.Name, where(first.tunnel.NameRange), re.tunnel.Name, r.Outside.Addr, remote.Addr, r.Name))
			continue
		}
		seen[key] = re
	}
	return diags
}

func noInsideOverlap(r *Router, ends []routerEnd) hcl.Diagnostics {
	var nets []routerEnd
	for _, re := range ends {
		if re.end.Inside.Set() && insideBitsOK(re.end.Inside.Prefix) {
			nets = append(nets, re)
		}
	}
	net := func(re routerEnd) netip.Prefix { return re.end.Inside.Prefix.Masked() }
	// Sorted by first address, wider networks first: a network overlaps an
	// earlier one exactly when it starts at or before the furthest end seen.
	sort.SliceStable(nets, func(i, j int) bool {
		a, b := net(nets[i]), net(nets[j])
		if c := a.Addr().Compare(b.Addr()); c != 0 {
			return c < 0
		}
		return a.Bits() < b.Bits()
	})
	var diags hcl.Diagnostics
	var widest routerEnd
	var reach netip.Addr
	for i, re := range nets {
		n := net(re)
		if i > 0 && n.Addr().Is4() == reach.Is4() && n.Addr().Compare(reach) <= 0 {
			diags = append(diags, errorAt(re.end.Inside.Range, "Overlapping inside networks",
				"On router %q the tunnel %q uses %s, which overlaps %s of the tunnel %q (%s).",
				r.Name, re.tunnel.Name, n, net(widest), widest.tunnel.Name, where(widest.end.Inside.Range)))
			continue
		}
		if last := lastAddr(n); i == 0 || n.Addr().Is4() != reach.Is4() || last.Compare(reach) > 0 {
			widest, reach = re, last
		}
	}
	return diags
}
