package lang

import (
	"net/netip"

	"github.com/hashicorp/hcl/v2"
)

var (
	broadcast4  = netip.AddrFrom4([4]byte{255, 255, 255, 255})
	linkLocal4  = netip.MustParsePrefix("169.254.0.0/16")
	awsReserved = []netip.Prefix{
		netip.MustParsePrefix("169.254.0.0/30"),
		netip.MustParsePrefix("169.254.1.0/30"),
		netip.MustParsePrefix("169.254.2.0/30"),
		netip.MustParsePrefix("169.254.3.0/30"),
		netip.MustParsePrefix("169.254.4.0/30"),
		netip.MustParsePrefix("169.254.5.0/30"),
		netip.MustParsePrefix("169.254.169.252/30"),
	}
)

// insideBitsOK reports whether a tunnel's inside prefix is a point-to-point
// size: /30 or /31 for IPv4, /126 or /127 for IPv6.
func insideBitsOK(p netip.Prefix) bool {
	if p.Addr().Is4() {
		return p.Bits() == 30 || p.Bits() == 31
	}
	return p.Bits() == 126 || p.Bits() == 127
}

// lastAddr is the highest address of a prefix (its broadcast for IPv4).
func lastAddr(p netip.Prefix) netip.Addr {
	b := p.Masked().Addr().AsSlice()
	host := b
	for i := p.Bits(); i < len(b)*8; i++ {
		host[i/8] |= 1 << (7 - i%8)
	}
	a, _ := netip.AddrFromSlice(host)
	return a
}

func checkInside(t *Tunnel, eps []endpoint, provider string) hcl.Diagnostics {
	var diags hcl.Diagnostics
	var good []*End
	for _, ep := range eps {
		e := ep.end
		p := e.Inside
		if !p.Set() {
			continue
		}
		if !insideBitsOK(p.Prefix) {
			diags = append(diags, errorAt(p.Range, "Invalid inside prefix length",
				"The inside address %s must be in a /30 or /31 (IPv6: /126 or /127), the point-to-point network of the tunnel.", p.Prefix))
			continue
		}
		if p.Prefix.Bits() == 30 || p.Prefix.Bits() == 126 {
			if kind := UnusableInsideAddr(p.Prefix); kind != "" {
				diags = append(diags, errorAt(p.Range, "Unusable inside address",
					"%s is the %s address of %s; use one of the two host addresses.", p.Prefix.Addr(), kind, p.Prefix.Masked()))
				continue
			}
		}
		if provider == ProviderAWS && p.Prefix.Addr().Is4() {
			if !InAWSInsideRange(p.Prefix.Addr()) {
				diags = append(diags, errorAt(p.Range, "Inside address outside AWS's range",
					"AWS tunnel inside addresses are in 169.254.0.0/16; %s is not.", p.Prefix))
				continue
			}
			reserved := false
			for _, r := range awsReserved {
				if r.Contains(p.Prefix.Addr()) {
					diags = append(diags, errorAt(p.Range, "Inside address reserved by AWS",
						"AWS reserves %s; choose another /30 in 169.254.0.0/16.", r))
					reserved = true
					break
				}
			}
			if reserved {
				continue
			}
		}
		good = append(good, e)
	}
	if len(good) == 2 {
		a, b := good[0].Inside, good[1].Inside
		switch {
		case !SameInsideNetwork(a.Prefix, b.Prefix):
			diags = append(diags, errorAt(b.Range, "Inside addresses do not pair up",
				"The tunnel %q has inside addresses %s (%s) and %s (%s); both ends must be in the same /%d network.",
				t.Name, a.Prefix, good[0].Name, b.Prefix, good[1].Name, a.Prefix.Bits()))
		case a.Prefix.Addr() == b.Prefix.Addr():
			diags = append(diags, errorAt(b.Range, "Same inside address on both ends",
				"Both ends of the tunnel %q use %s; give each end its own address of %s.", t.Name, a.Prefix.Addr(), a.Prefix.Masked()))
		}
	}
	return diags
}
