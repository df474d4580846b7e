package awsimport

import (
	"net/netip"
)

// check reports what is missing from each tunnel and what contradicts
// itself, within a tunnel and between tunnels. Values that were present
// but malformed have been reported already and are not reported again as
// missing.
func check(tunnels []*tunnelState, errs *errorList) {
	if len(tunnels) == 0 {
		errs.add(0, `no "IPSec Tunnel #N" sections found; is this an AWS Generic VPN configuration?`)
		return
	}
	for _, ts := range tunnels {
		checkTunnel(ts, errs)
	}
	checkAcross(tunnels, errs)
}

func checkTunnel(ts *tunnelState, errs *errorList) {
	t := ts.t
	// A missing value is reported at the subsection it belongs in, or at
	// the tunnel header when that subsection is missing too.
	require := func(present bool, name string, section int) {
		if present {
			return
		}
		if _, malformed := ts.seen[name]; malformed {
			return
		}
		line := ts.sections[section]
		if line == 0 {
			line = t.Line
		}
		errs.add(line, "IPSec Tunnel #%d has no %s (expected in section #%d)", t.Number, name, section)
	}
	require(t.PSK.Set(), "Pre-Shared Key", 1)
	require(t.VGWOutside.Set(), "Virtual Private Gateway outside address", 3)
	require(t.CGWInside.Set(), "Customer Gateway inside address", 3)
	require(t.VGWInside.Set(), "Virtual Private Gateway inside address", 3)

	if t.CGWInside.Set() && t.VGWInside.Set() {
		checkInside(t.CGWInside, t.VGWInside, errs)
	}
	if b := t.BGP; b != nil {
		require(b.CGWASN.Set(), "Customer Gateway ASN", 4)
		require(b.VGWASN.Set(), "Virtual Private Gateway ASN", 4)
		require(b.NeighborIP.Set(), "Neighbor IP Address", 4)
		if b.NeighborIP.Set() && t.VGWInside.Set() && b.NeighborIP.Value != t.VGWInside.Value.Addr() {
			errs.add(b.NeighborIP.Line, "Neighbor IP Address %s is not the Virtual Private Gateway inside address %s (line %d)",
				b.NeighborIP.Value, t.VGWInside.Value.Addr(), t.VGWInside.Line)
		}
	}
	if h := t.StaticNextHop; h.Set() && t.VGWInside.Set() && h.Value != t.VGWInside.Value.Addr() {
		errs.add(h.Line, "Next hop %s is not the Virtual Private Gateway inside address %s (line %d)",
			h.Value, t.VGWInside.Value.Addr(), t.VGWInside.Line)
	}
}

// checkInside holds the two inside addresses to what AWS allocates: the two
// usable addresses of one /30 (IPv4) or two addresses of one /126 (IPv6).
// Anything else means the text was edited, and the VTI would not come up.
func checkInside(cgw, vgw Prefix, errs *errorList) {
	c, v := cgw.Value, vgw.Value
	want := 30
	if c.Addr().Is6() {
		want = 126
	}
	switch {
	case c.Bits() != want:
		errs.add(cgw.Line, "Customer Gateway inside address %s is not a /%d", c, want)
	case v.Bits() != want:
		errs.add(vgw.Line, "Virtual Private Gateway inside address %s is not a /%d", v, want)
	case c.Addr().Is4() != v.Addr().Is4() || c.Masked() != v.Masked():
		errs.add(vgw.Line, "Virtual Private Gateway inside address %s is not in the same /%d as the Customer Gateway inside address %s (line %d)",
			v, want, c, cgw.Line)
	case c.Addr() == v.Addr():
		errs.add(vgw.Line, "Virtual Private Gateway inside address %s is the same as the Customer Gateway inside address (line %d)",
			v.Addr(), cgw.Line)
	case c.Addr().Is4() && !usableInSlash30(c):
		errs.add(cgw.Line, "Customer Gateway inside address %s is the network or broadcast address of its /30", c)
	case v.Addr().Is4() && !usableInSlash30(v):
		errs.add(vgw.Line, "Virtual Private Gateway inside address %s is the network or broadcast address of its /30", v)
	}
}

func usableInSlash30(p netip.Prefix) bool {
	last := p.Addr().As4()[3] & 3
	return last == 1 || last == 2
}

// checkAcross compares tunnels: they are two paths between the same two
// gateways, so routing mode, ASNs and the customer gateway must agree,
// while outside and inside addresses must differ.
func checkAcross(tunnels []*tunnelState, errs *errorList) {
	first := tunnels[0].t
	for _, ts := range tunnels[1:] {
		t := ts.t
		switch {
		case (first.BGP == nil) != (t.BGP == nil):
			withBGP, without := first, t
			if first.BGP == nil {
				withBGP, without = t, first
			}
			errs.add(without.Line, "IPSec Tunnel #%d has no BGP settings but IPSec Tunnel #%d has (line %d)",
				without.Number, withBGP.Number, withBGP.BGP.Line)
		case t.BGP != nil:
			sameNumber(first.BGP.CGWASN, t.BGP.CGWASN, "Customer Gateway ASN", errs)
			sameNumber(first.BGP.VGWASN, t.BGP.VGWASN, "Virtual Private Gateway ASN", errs)
		}
		if a, b := first.CGWOutside, t.CGWOutside; a.Value.IsValid() && b.Value.IsValid() && a.Value != b.Value {
			errs.add(b.Line, "Customer Gateway outside address %s differs from %s (line %d); both tunnels end on the same customer gateway",
				b.Value, a.Value, a.Line)
		}
	}
	// Each clash is reported once, against the first tunnel it clashes
	// with, so that a pasted-together text does not drown the user.
	for i, b := range tunnels {
		tb := b.t
		for _, a := range tunnels[:i] {
			ta := a.t
			if ta.VGWOutside.Set() && tb.VGWOutside.Set() && ta.VGWOutside.Value == tb.VGWOutside.Value {
				errs.add(tb.VGWOutside.Line, "Virtual Private Gateway outside address %s is also used by IPSec Tunnel #%d (line %d)",
					tb.VGWOutside.Value, ta.Number, ta.VGWOutside.Line)
				break
			}
		}
		for _, a := range tunnels[:i] {
			ta := a.t
			if ta.CGWInside.Set() && tb.CGWInside.Set() && ta.CGWInside.Value.Overlaps(tb.CGWInside.Value) {
				errs.add(tb.CGWInside.Line, "Customer Gateway inside address %s overlaps %s of IPSec Tunnel #%d (line %d)",
					tb.CGWInside.Value, ta.CGWInside.Value, ta.Number, ta.CGWInside.Line)
				break
			}
		}
	}
}

func sameNumber(a, b Number, name string, errs *errorList) {
	if a.Set() && b.Set() && a.Value != b.Value {
		errs.add(b.Line, "%s %d differs from %d (line %d); both tunnels connect the same gateways", name, b.Value, a.Value, a.Line)
	}
}
