package lang

import (
	"github.com/hashicorp/hcl/v2"
)

func checkRouters(s *Site) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, r := range s.Routers {
		diags = append(diags, checkASN(r.ASN)...)
		diags = append(diags, checkDaemons(r)...)
		diags = append(diags, checkUnicast(r.Outside, "outside")...)
		if r.RouterID.Set() && !r.RouterID.Addr.Is4() {
			diags = append(diags, errorAt(r.RouterID.Range, "Invalid router ID",
				"A BGP router ID is an IPv4 address, such as \"10.20.0.1\"."))
		}
		if r.Gateway.Set() && r.Outside.Set() && r.Gateway.Addr.Is4() != r.Outside.Addr.Is4() {
			diags = append(diags, errorAt(r.Gateway.Range, "Address family mismatch",
				"The gateway %s and the outside address %s must both be IPv4 or both IPv6.", r.Gateway.Addr, r.Outside.Addr))
		}
		if !r.ASN.Set && len(r.Announce) > 0 {
			diags = append(diags, errorAt(r.AnnounceRange, "Announce without BGP",
				"Prefixes are announced over BGP, but the router %q has no asn. Add asn, or remove announce.", r.Name))
		}
		if r.ASN.Set && !r.RouterID.Set() && r.Outside.Set() && !r.Outside.Addr.Is4() {
			diags = append(diags, errorAt(r.NameRange, "Missing router ID",
				"The router %q has an IPv6 outside address, so its BGP router ID cannot default to it. Set router_id to an IPv4 address.", r.Name))
		}
		seen := map[string]Prefix{}
		for _, p := range r.Announce {
			if p.Prefix.Masked() != p.Prefix {
				diags = append(diags, errorAt(p.Range, "Host bits set in prefix",
					"%s has host bits set; an announced prefix must be a network. Did you mean %q?", p.Prefix, p.Prefix.Masked().String()))
				continue
			}
			if first, dup := seen[p.Prefix.String()]; dup {
				diags = append(diags, errorAt(p.Range, "Duplicate announced prefix",
					"%s is already announced at %s.", p.Prefix, where(first.Range)))
				continue
			}
			seen[p.Prefix.String()] = p
		}
	}
	return diags
}

func checkPeers(s *Site) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, p := range s.Peers {
		diags = append(diags, checkASN(p.ASN)...)
		diags = append(diags, checkUnicast(p.Outside, "outside")...)
	}
	return diags
}

// checkUnicast rejects outer addresses that can never be a tunnel endpoint.
func checkUnicast(a Addr, attr string) hcl.Diagnostics {
	if !a.Set() {
		return nil
	}
	x := a.Addr
	if x.IsUnspecified() || x.IsMulticast() || x.IsLoopback() || (x.Is4() && x == broadcast4) {
		return hcl.Diagnostics{errorAt(a.Range, "Invalid outside address",
			"%s cannot be a tunnel endpoint: the %s address must be a unicast address of the router or peer.", x, attr)}
	}
	return nil
}
