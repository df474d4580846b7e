package lang

import (
	"github.com/hashicorp/hcl/v2"
)

// endpoint is what a tunnel end refers to, resolved.
type endpoint struct {
	end    *End
	router *Router // exactly one of router, peer is set
	peer   *Peer
}

func (e endpoint) outside() Addr {
	if e.router != nil {
		return e.router.Outside
	}
	return e.peer.Outside
}

func (e endpoint) asn() Num {
	if e.router != nil {
		return e.router.ASN
	}
	return e.peer.ASN
}

// provider of a tunnel is its peer's provider, or generic between routers.
func tunnelProvider(eps []endpoint) string {
	for _, e := range eps {
		if e.peer != nil {
			return e.peer.ProviderName()
		}
	}
	return ProviderGeneric
}

// resolveEnds finds what each end names. It returns the ends it could
// resolve and the diagnostics for the structure of the tunnel.
func (ix *index) resolveEnds(t *Tunnel) ([]endpoint, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	switch {
	case len(t.Ends) < 2:
		diags = append(diags, errorAt(t.NameRange, "Wrong number of tunnel ends",
			"The tunnel %q has %d end blocks; a tunnel has exactly two: end \"ROUTER\" { … } and end \"ROUTER_OR_PEER\" { … }.", t.Name, len(t.Ends)))
	case len(t.Ends) > 2:
		diags = append(diags, errorAt(t.Ends[2].DeclRange, "Wrong number of tunnel ends",
			"The tunnel %q has %d end blocks; a tunnel has exactly two.", t.Name, len(t.Ends)))
	}
	var eps []endpoint
	for i, e := range t.Ends {
		if i > 0 && e.Name == t.Ends[0].Name {
			diags = append(diags, errorAt(e.NameRange, "Tunnel end repeated",
				"Both ends of the tunnel %q name %q; the two ends must be different.", t.Name, e.Name))
			continue
		}
		ep := endpoint{end: e, router: ix.routers[e.Name], peer: ix.peers[e.Name]}
		if ep.router == nil && ep.peer == nil {
			diags = append(diags, errorAt(e.NameRange, "Unknown tunnel end",
				"There is no router or peer named %q. Declare it with router %q { … } or peer %q { … }.", e.Name, e.Name, e.Name))
			continue
		}
		if ep.router != nil && ep.peer != nil {
			continue // reported as a duplicate name
		}
		eps = append(eps, ep)
	}
	if len(t.Ends) == 2 && len(eps) == 2 && eps[0].router == nil && eps[1].router == nil {
		diags = append(diags, errorAt(t.NameRange, "Tunnel without a router",
			"Neither end of the tunnel %q is a router, so no router would get its files. At least one end must name a router.", t.Name))
	}
	return eps, diags
}

func checkTunnel(ix *index, t *Tunnel) hcl.Diagnostics {
	eps, diags := ix.resolveEnds(t)
	provider := tunnelProvider(eps)
	for _, ep := range eps {
		diags = append(diags, checkEndInterface(t, ep)...)
	}
	diags = append(diags, checkMark(t, eps)...)
	diags = append(diags, checkInside(t, eps, provider)...)
	if len(eps) == 2 {
		a, b := eps[0].outside(), eps[1].outside()
		if a.Set() && b.Set() && a.Addr.Is4() != b.Addr.Is4() {
			diags = append(diags, errorAt(t.NameRange, "Address family mismatch",
				"The outside addresses of the tunnel %q are %s (%s) and %s (%s); both ends must use the same address family.",
				t.Name, a.Addr, eps[0].end.Name, b.Addr, eps[1].end.Name))
		}
		if a.Set() && b.Set() && a.Addr == b.Addr {
			diags = append(diags, errorAt(t.NameRange, "Same outside address on both ends",
				"Both ends of the tunnel %q have the outside address %s.", t.Name, a.Addr))
		}
		diags = append(diags, checkASNPair(t, eps, provider)...)
	}
	diags = append(diags, checkMTU(t, eps)...)
	diags = append(diags, checkPSK(t, provider)...)
	diags = append(diags, checkAuth(ix, t, eps)...)
	diags = append(diags, checkDescription(t)...)
	diags = append(diags, checkOptions(t, provider)...)
	diags = append(diags, checkLibreswanTunnel(t, eps, provider)...)
	diags = append(diags, checkRouting(t, eps)...)
	return diags
}

// checkASNPair catches a BGP session that could never come up: a cloud
// gateway never shares the customer's AS number.
func checkASNPair(t *Tunnel, eps []endpoint, provider string) hcl.Diagnostics {
	a, b := eps[0].asn(), eps[1].asn()
	if !a.Set || !b.Set || a.Value != b.Value {
		return nil
	}
	for _, ep := range eps {
		if ep.peer != nil && provider != ProviderGeneric {
			return hcl.Diagnostics{errorAt(ep.peer.ASN.Range, "AS number mismatch",
				"The %s peer %q has the same AS number (%d) as the router at the other end of the tunnel %q; %s uses its own AS number, so the BGP session would never be established.",
				provider, ep.peer.Name, a.Value, t.Name, provider)}
		}
	}
	return nil
}
