package lang

import (
	"github.com/hashicorp/hcl/v2"
)

// checkRouting checks what each end of one tunnel says about routing:
// static routes and BGP policy belong to router ends, policy needs a BGP
// session, and every prefix list entry must be able to match.
func checkRouting(t *Tunnel, eps []endpoint) hcl.Diagnostics {
	var diags hcl.Diagnostics
	bgp := len(eps) == 2 && eps[0].asn().Set && eps[1].asn().Set
	for _, ep := range eps {
		e := ep.end
		if ep.peer != nil {
			if rng, ok := firstRoutingRange(e); ok {
				diags = append(diags, errorAt(rng, "Routing on a peer end",
					"vtic writes no files for the peer %q, so it cannot route or filter there. Put routes and BGP policy in the end block of the router in the tunnel %q.", e.Name, t.Name))
			}
			continue
		}
		if rng, ok := firstRoutingRange(e); ok && ep.router.Routing.Value == RoutingBIRD {
			diags = append(diags, errorAt(rng, "Routing on a BIRD router",
				"vtic writes routes and BGP policy for FRR only, and the router %q runs BIRD (routing = \"bird\"), which would not get them. Remove them from the tunnel %q, or run FRR on the router.", e.Name, t.Name))
		}
		diags = append(diags, checkRoutes(t, e)...)
		if e.HasBGPPolicy() && !bgp {
			diags = append(diags, errorAt(firstPolicyRange(e), "BGP policy without BGP",
				"The tunnel %q carries no BGP session (BGP runs when both ends have an asn), so accept, announce, max_prefixes and preference would have no effect. Add the missing asn, or use routes for static routing.", t.Name))
		}
		if e.MaxPrefixes.Set && (e.MaxPrefixes.Value == 0 || e.MaxPrefixes.Value > maxUint32) {
			diags = append(diags, errorAt(e.MaxPrefixes.Range, "Maximum prefixes out of range",
				"max_prefixes is the number of prefixes the session may receive before FRR shuts it down: a whole number from 1 to 4294967295."))
		}
		v4 := e.Inside.Set() && e.Inside.Prefix.Addr().Is4()
		for _, list := range []struct {
			name    string
			entries []PrefixMatch
		}{{"accept", e.Accept}, {"announce", e.Announce}} {
			diags = append(diags, checkPrefixList(t, list.name, list.entries, e.Inside.Set(), v4)...)
		}
	}
	return diags
}

// checkRoutes checks one router end's static routes on their own; a
// router's routes together are checked by checkRouterRoutes.
func checkRoutes(t *Tunnel, e *End) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, r := range e.Routes {
		if p := r.Prefix.Prefix; p.IsValid() && p.Masked() != p {
			diags = append(diags, errorAt(r.Prefix.Range, "Host bits set in prefix",
				"%s has host bits set; a route's destination must be a network. Did you mean %q?", p, p.Masked().String()))
		}
		if r.Metric.Set && (r.Metric.Value == 0 || r.Metric.Value > 255) {
			diags = append(diags, errorAt(r.Metric.Range, "Route metric out of range",
				"A route's metric is FRR's administrative distance: a whole number from 1 (the default, preferred) to 255."))
		}
	}
	if len(e.Routes) > 0 && !t.IsEnabled() {
		diags = append(diags, warningAt(e.RoutesRange, "Route into a disabled tunnel",
			"The tunnel %q is disabled, so its device is down and FRR keeps these routes out of the kernel until it is enabled; traffic to them follows other routes meanwhile.", t.Name))
	}
	return diags
}

// checkPrefixList checks the entries of one accept or announce list. FRR
// refuses a range unless len < ge <= le <= the family's maximum, with le
// allowed to equal len; such an entry could never match.
func checkPrefixList(t *Tunnel, attr string, entries []PrefixMatch, famKnown, v4 bool) hcl.Diagnostics {
	var diags hcl.Diagnostics
	seen := map[string]PrefixMatch{}
	for _, m := range entries {
		p := m.Prefix
		if p.Masked() != p {
			diags = append(diags, errorAt(m.Range, "Host bits set in prefix",
				"%s has host bits set; a prefix list entry must name a network. Did you mean %q?", p, p.Masked().String()))
			continue
		}
		max := p.Addr().BitLen()
		switch {
		case m.GE > max || m.LE > max:
			diags = append(diags, errorAt(m.Range, "Prefix list entry that cannot match",
				"%q: an %s prefix is at most %d bits long, so ge and le must be at most %d.", m.Text, family(p.Addr().Is4()), max, max))
			continue
		case m.GE != 0 && m.GE <= p.Bits():
			diags = append(diags, errorAt(m.Range, "Prefix list entry that cannot match",
				"%q: ge must be longer than the prefix's own length %d (FRR refuses it otherwise). Drop ge to match from /%d.", m.Text, p.Bits(), p.Bits()))
			continue
		case m.LE != 0 && m.LE < p.Bits():
			diags = append(diags, errorAt(m.Range, "Prefix list entry that cannot match",
				"%q: le %d is shorter than the prefix's own length %d, so no prefix inside it is that short. Use an le of at least %d.", m.Text, m.LE, p.Bits(), p.Bits()))
			continue
		case m.GE != 0 && m.LE != 0 && m.GE > m.LE:
			diags = append(diags, errorAt(m.Range, "Prefix list entry that cannot match",
				"%q: ge %d is greater than le %d, so no length satisfies both. Swap them or drop one.", m.Text, m.GE, m.LE))
			continue
		}
		if famKnown && p.Addr().Is4() != v4 {
			diags = append(diags, errorAt(m.Range, "Prefix of another address family",
				"The BGP session of the tunnel %q runs over %s inside addresses and carries %s routes only, so the %s entry %q would never match. Remove it, or list it on a tunnel whose inside addresses are %s.",
				t.Name, family(v4), family(v4), family(!v4), m.Text, family(!v4)))
			continue
		}
		if first, dup := seen[m.String()]; dup {
			diags = append(diags, errorAt(m.Range, "Duplicate prefix list entry",
				"%q is already in %s at %s.", m.Text, attr, where(first.Range)))
			continue
		}
		seen[m.String()] = m
	}
	return diags
}

func family(v4 bool) string {
	if v4 {
		return "IPv4"
	}
	return "IPv6"
}

// firstRoutingRange is the first routing attribute an end sets.
func firstRoutingRange(e *End) (hcl.Range, bool) {
	if e.RoutesRange != (hcl.Range{}) {
		return e.RoutesRange, true
	}
	if e.HasBGPPolicy() {
		return firstPolicyRange(e), true
	}
	return hcl.Range{}, false
}

// firstPolicyRange is the first BGP policy attribute an end sets, in
// schema order.
func firstPolicyRange(e *End) hcl.Range {
	for _, r := range []hcl.Range{e.AcceptRange, e.AnnounceRange, e.MaxPrefixes.Range, e.Preference.Range} {
		if r != (hcl.Range{}) {
			return r
		}
	}
	return e.DeclRange
}
