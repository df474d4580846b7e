package lang

import (
	"slices"

	"github.com/hashicorp/hcl/v2"
)

// checkOutsides refuses two routers with one outside address: IKE from
// either would leave from the same address, and the far ends could not
// tell them apart. A pair's members keep their own outside addresses too;
// vtic moves only the LAN gateway address between them.
func checkOutsides(s *Site) hcl.Diagnostics {
	var diags hcl.Diagnostics
	first := map[string]*Router{}
	for _, r := range s.Routers {
		if !r.Outside.Set() {
			continue
		}
		key := r.Outside.Addr.String()
		f, dup := first[key]
		if !dup {
			first[key] = r
			continue
		}
		how := "Give each router its own outside address."
		if p := s.PairOf(r.Name); p != nil && p == s.PairOf(f.Name) {
			how = "The members of the pair \"" + p.Name + "\" need their own outside addresses too: vtic moves only the LAN gateway address between them. Give each its own."
		}
		diags = append(diags, errorAt(r.Outside.Range, "Duplicate outside address",
			"The routers %q (%s) and %q both have the outside address %s. %s", f.Name, where(f.Outside.Range), r.Name, r.Outside.Addr, how))
	}
	return diags
}

// checkPairs checks each pair block and that its two routers agree on what
// the far ends see: a backup that speaks another AS or announces other
// prefixes would change the routing when it takes over.
func checkPairs(ix *index) hcl.Diagnostics {
	var diags hcl.Diagnostics
	names := map[string]named{}
	member := map[string]*Pair{}
	for _, p := range ix.site.Pairs {
		if d := checkName(names, named{"pair", p.Name, p.NameRange}, "Duplicate pair name"); d != nil {
			diags = append(diags, d)
		}
		var rs []*Router
		for _, m := range []Str{p.Primary, p.Backup} {
			if !m.Set {
				continue
			}
			r := ix.routers[m.Value]
			if r == nil {
				diags = append(diags, errorAt(m.Range, "Unknown pair member",
					"There is no router named %q. A pair's primary and backup are routers declared with router %q { … }.", m.Value, m.Value))
				continue
			}
			if other, dup := member[r.Name]; dup {
				msg := "The router %q is already a member of the pair %q (%s); a router belongs to at most one pair."
				if other == p {
					msg = "The router %q is both the primary and the backup of the pair %q (%s); name two different routers."
				}
				diags = append(diags, errorAt(m.Range, "Router in two pairs", msg, r.Name, other.Name, where(other.NameRange)))
				continue
			}
			member[r.Name] = p
			rs = append(rs, r)
			if r.RoutingDaemon() == RoutingBIRD {
				diags = append(diags, errorAt(m.Range, "Pair member runs BIRD",
					"The router %q runs BIRD, for which vtic renders no backup preference yet. Run FRR on it (routing = \"frr\"), or leave it out of the pair.", r.Name))
			}
		}
		if p.VRID.Set && p.VRID.Value == 0 {
			diags = append(diags, errorAt(p.VRID.Range, "Number out of range",
				"The argument \"vrid\" must be a whole number from 1 to 255."))
		}
		if p.Interface.Set && !validIfName(p.Interface.Value) {
			diags = append(diags, errorAt(p.Interface.Range, "Invalid interface name",
				"%q cannot be a Linux interface name: use 1 to %d bytes of letters, digits, '-', '_' or '.', not starting with '-'.", p.Interface.Value, maxIfName))
		}
		if p.Address.Set() {
			a := p.Address.Prefix
			switch {
			case !a.Addr().Is4():
				diags = append(diags, errorAt(p.Address.Range, "Unsupported pair address",
					"The LAN gateway address of a pair is an IPv4 address with its prefix length, such as \"10.1.0.1/24\"."))
			case a.Bits() < 31 && (a.Addr() == a.Masked().Addr() || a.Addr() == lastAddr(a)):
				diags = append(diags, errorAt(p.Address.Range, "Invalid pair address",
					"%s is the network or broadcast address of its prefix; the LAN's hosts need a host address as their gateway.", a))
			}
		}
		if len(rs) == 2 {
			diags = append(diags, checkPairAgrees(p, rs[0], rs[1])...)
		}
	}
	return diags
}

// checkPairAgrees compares what the far ends see of the two members.
func checkPairAgrees(p *Pair, primary, backup *Router) hcl.Diagnostics {
	var diags hcl.Diagnostics
	if primary.ASN.Set != backup.ASN.Set || primary.ASN.Value != backup.ASN.Value {
		diags = append(diags, errorAt(p.NameRange, "Pair members disagree",
			"The routers %q and %q of the pair %q have different AS numbers (%s and %s). Both must speak for the same AS, so the far ends accept either.",
			primary.Name, backup.Name, p.Name, asnText(primary.ASN), asnText(backup.ASN)))
	}
	if !slices.Equal(prefixSet(primary.Announce), prefixSet(backup.Announce)) {
		diags = append(diags, errorAt(p.NameRange, "Pair members disagree",
			"The routers %q and %q of the pair %q announce different prefixes. Both serve the same LAN, so both must announce the same prefixes.",
			primary.Name, backup.Name, p.Name))
	}
	return diags
}

func asnText(n Num) string {
	if !n.Set {
		return "none"
	}
	return n.Raw
}

func prefixSet(ps []Prefix) []string {
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		out = append(out, p.Prefix.Masked().String())
	}
	slices.Sort(out)
	return slices.Compact(out)
}
