package lang

import (
	"net/netip"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// routingEnd is one router end of a tunnel whose two ends resolved.
type routingEnd struct {
	tunnel *Tunnel
	end    *End
	router *Router
	remote endpoint
	other  *End // the remote end block
}

// checkSiteRouting checks what only the whole site shows: a router's static
// routes against each other and its announced prefixes, and the BGP policy
// of sessions between routers against what the far router announces.
func checkSiteRouting(ix *index) hcl.Diagnostics {
	var ends []routingEnd
	for _, t := range ix.site.Tunnels {
		eps, _ := ix.resolveEnds(t)
		if len(eps) != 2 || len(t.Ends) != 2 {
			continue
		}
		for i, ep := range eps {
			if ep.router != nil {
				ends = append(ends, routingEnd{t, ep.end, ep.router, eps[1-i], eps[1-i].end})
			}
		}
	}
	diags := checkRouterRoutes(ends)
	return append(diags, checkSessionPolicy(ix, ends)...)
}

// checkRouterRoutes finds a route written twice on one router (same prefix
// and metric: FRR would keep one, or spread traffic over both tunnels) and
// a route that would send part of the router's own announced prefixes into
// a tunnel. A shorter route that covers them (a default route) is fine: the
// router's more specific routes to its own networks still win.
func checkRouterRoutes(ends []routingEnd) hcl.Diagnostics {
	var diags hcl.Diagnostics
	type key struct {
		router string
		dst    netip.Prefix
		metric uint64
	}
	seen := map[key]StaticRoute{}
	for _, re := range ends {
		for _, r := range re.end.Routes {
			p := r.Prefix.Prefix
			if !p.IsValid() || p.Masked() != p {
				continue
			}
			metric := uint64(1)
			if r.Metric.Set {
				metric = r.Metric.Value
			}
			k := key{re.router.Name, p, metric}
			if first, dup := seen[k]; dup {
				diags = append(diags, errorAt(r.Range, "Duplicate route",
					"The router %q already routes %s with metric %d at %s. Remove one, or give the backup a higher metric.", re.router.Name, p, metric, where(first.Range)))
				continue
			}
			seen[k] = r
			for _, a := range re.router.Announce {
				ap := a.Prefix
				if ap.Addr().Is4() == p.Addr().Is4() && p.Bits() >= ap.Bits() && ap.Contains(p.Addr()) {
					diags = append(diags, errorAt(r.Prefix.Range, "Route overlaps announced prefix",
						"%s lies inside %s, which the router %q announces as its own network (at %s); routing it into the tunnel %q would send the router's own traffic away. Remove the route, or the prefix from announce.",
						p, ap, re.router.Name, where(a.Range), re.tunnel.Name))
					break
				}
			}
		}
	}
	return diags
}

// checkSessionPolicy compares accept and announce lists with the prefixes
// that can reach them. Only routers' prefixes are known: a peer may send
// anything, so a router with a BGP session to a peer (or one that passes on
// what such a router learnt) is "open" and its lists are not judged.
func checkSessionPolicy(ix *index, ends []routingEnd) hcl.Diagnostics {
	var bgpEnds []routingEnd
	policy := false
	for _, re := range ends {
		if re.router.ASN.Set && re.remote.asn().Set {
			bgpEnds = append(bgpEnds, re)
			policy = policy || re.end.Accept != nil || re.end.Announce != nil
		}
	}
	if !policy {
		return nil
	}
	known := map[string]map[netip.Prefix]bool{}
	open := map[string]bool{}
	for _, r := range ix.site.Routers {
		known[r.Name] = map[netip.Prefix]bool{}
		for _, a := range r.Announce {
			if a.Prefix.IsValid() {
				known[r.Name][a.Prefix.Masked()] = true
			}
		}
	}
	for _, re := range bgpEnds {
		if re.remote.peer != nil {
			open[re.router.Name] = true
		}
	}
	// Propagate over sessions between routers until nothing changes: each
	// round a prefix travels at least one more hop, so there are at most as
	// many rounds as routers.
	for round := 0; round <= len(ix.site.Routers); round++ {
		changed := false
		for _, re := range bgpEnds {
			from := re.remote.router
			if from == nil {
				continue
			}
			if open[from.Name] && re.other.Announce != nil && !open[re.router.Name] {
				open[re.router.Name], changed = true, true
			}
			for p := range known[from.Name] {
				if sends(from, re.other, p) && accepts(re.end, p) && !known[re.router.Name][p] {
					known[re.router.Name][p], changed = true, true
				}
			}
		}
		if !changed {
			break
		}
	}
	var diags hcl.Diagnostics
	for _, re := range bgpEnds {
		if from := re.remote.router; from != nil && re.end.Accept != nil && !(open[from.Name] && re.other.Announce != nil) {
			var sent []netip.Prefix
			for p := range known[from.Name] {
				if sends(from, re.other, p) {
					sent = append(sent, p)
				}
			}
			slices.SortFunc(sent, comparePrefix)
			diags = append(diags, checkAccept(re, sent)...)
		}
		if re.end.Announce != nil && !open[re.router.Name] {
			for _, m := range re.end.Announce {
				if !matchesAny(m, known[re.router.Name]) {
					diags = append(diags, errorAt(m.Range, "Prefix announced by no one",
						"%q matches none of the prefixes the router %q originates (its announce) or learns from other routers, so it sends nothing over the tunnel %q. Correct the entry, or remove it.",
						m.Text, re.router.Name, re.tunnel.Name))
				}
			}
		}
	}
	return diags
}

// checkAccept judges one accept list against what the far router sends.
func checkAccept(re routingEnd, sent []netip.Prefix) hcl.Diagnostics {
	kept := 0
	for _, p := range sent {
		if accepts(re.end, p) {
			kept++
		}
	}
	if len(sent) > 0 && kept == 0 {
		return hcl.Diagnostics{errorAt(re.end.AcceptRange, "Accept list drops every announced route",
			"The router %q sends %s over the tunnel %q and accept matches none of it, so the router %q would learn nothing there. Add an entry that matches, or remove accept.",
			re.remote.router.Name, prefixWords(sent), re.tunnel.Name, re.router.Name)}
	}
	var diags hcl.Diagnostics
	set := map[netip.Prefix]bool{}
	for _, p := range sent {
		set[p] = true
	}
	what := "nothing"
	if len(sent) > 0 {
		what = prefixWords(sent)
	}
	for _, m := range re.end.Accept {
		if !matchesAny(m, set) {
			diags = append(diags, errorAt(m.Range, "Prefix announced by no one",
				"%q matches nothing the router %q sends over the tunnel %q (it sends %s). Correct the entry, or remove it.",
				m.Text, re.remote.router.Name, re.tunnel.Name, what))
		}
	}
	return diags
}

// sends reports whether a router passes p out through its end e: its own
// announce prefixes by default, whatever its announce list matches when
// the end has one.
func sends(r *Router, e *End, p netip.Prefix) bool {
	if e.Announce == nil {
		return slices.ContainsFunc(r.Announce, func(a Prefix) bool { return a.Prefix.Masked() == p })
	}
	return slices.ContainsFunc(e.Announce, func(m PrefixMatch) bool { return m.Matches(p) })
}

// accepts reports whether end e takes p in: everything without an accept
// list.
func accepts(e *End, p netip.Prefix) bool {
	return e.Accept == nil || slices.ContainsFunc(e.Accept, func(m PrefixMatch) bool { return m.Matches(p) })
}

func matchesAny(m PrefixMatch, set map[netip.Prefix]bool) bool {
	for p := range set {
		if m.Matches(p) {
			return true
		}
	}
	return false
}

func comparePrefix(a, b netip.Prefix) int {
	if c := a.Addr().Compare(b.Addr()); c != 0 {
		return c
	}
	return a.Bits() - b.Bits()
}

// prefixWords lists prefixes for a message, at most five.
func prefixWords(ps []netip.Prefix) string {
	var s []string
	for i, p := range ps {
		if i == 5 {
			s = append(s, "…")
			break
		}
		s = append(s, p.String())
	}
	return strings.Join(s, ", ")
}
