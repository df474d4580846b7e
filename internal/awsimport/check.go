package awsimport

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/vtic/vtic/lang"
)

// check reports what is missing from each tunnel and what contradicts
// itself, within a tunnel and between tunnels. Values that were present
// but malformed have been reported already and are not reported again as
// missing.
func check(cfg *Config, tunnels []*tunnelState, diags *hcl.Diagnostics) {
	if len(tunnels) == 0 {
		*diags = append(*diags, errorNoSubject("No IPsec tunnels",
			"%s has no \"IPSec Tunnel #N\" sections, so it is not an AWS VPN configuration. In the AWS console, download the VPN connection's configuration for vendor \"Generic\" and import that file.",
			cfg.Name))
		return
	}
	for _, ts := range tunnels {
		checkTunnel(ts, diags)
	}
	checkAcross(tunnels, diags)
}

// requireField reports a value the tunnel lacks, at the subsection it
// belongs in, or at the tunnel header when that subsection is missing too.
func requireField(ts *tunnelState, diags *hcl.Diagnostics, present bool, summary, name string, section int) {
	if present {
		return
	}
	if _, malformed := ts.seen[name]; malformed {
		return
	}
	rng, ok := ts.sections[section]
	if !ok {
		rng = ts.t.Range
	}
	*diags = append(*diags, errorAt(rng, summary,
		"IPSec Tunnel #%d has no %s; AWS writes it in section #%d. %s", ts.t.Number, name, section, downloadAgain))
}

func checkTunnel(ts *tunnelState, diags *hcl.Diagnostics) {
	t := ts.t
	add := func(d *hcl.Diagnostic) { *diags = append(*diags, d) }
	requireField(ts, diags, t.PSK.Set(), "Missing pre-shared key", "Pre-Shared Key", 1)
	requireField(ts, diags, t.VGWOutside.Set(), "Missing outside address", "Virtual Private Gateway outside address", 3)
	requireField(ts, diags, t.CGWInside.Set(), "Missing inside address", "Customer Gateway inside address", 3)
	requireField(ts, diags, t.VGWInside.Set(), "Missing inside address", "Virtual Private Gateway inside address", 3)

	if t.CGWInside.Set() && t.VGWInside.Set() {
		checkInside(t.CGWInside, t.VGWInside, diags)
	}
	if t.MTU.Set() && t.CGWInside.Set() {
		ipv4 := t.CGWInside.Value.Addr().Is4()
		if !lang.ValidMTU(uint64(t.MTU.Value), ipv4) {
			lo, hi := lang.MTURange(ipv4)
			add(errorAt(t.MTU.Range, "MTU out of range",
				"The tunnel interface MTU must be from %d to %d for these inside addresses; %d is not. %s", lo, hi, t.MTU.Value, downloadAgain))
		}
	}
	if b := t.BGP; b != nil {
		requireField(ts, diags, b.CGWASN.Set(), "Missing AS number", "Customer Gateway ASN", 4)
		requireField(ts, diags, b.VGWASN.Set(), "Missing AS number", "Virtual Private Gateway ASN", 4)
		requireField(ts, diags, b.NeighborIP.Set(), "Missing neighbor address", "Neighbor IP Address", 4)
		if b.NeighborIP.Set() && t.VGWInside.Set() && b.NeighborIP.Value != t.VGWInside.Value.Addr() {
			add(errorAt(b.NeighborIP.Range, "Neighbor is not the gateway's inside address",
				"The BGP neighbor %s of IPSec Tunnel #%d must be the Virtual Private Gateway inside address %s (at %s). Download the configuration again rather than edit it.",
				b.NeighborIP.Value, t.Number, t.VGWInside.Value.Addr(), where(t.VGWInside.Range)))
		}
	}
	if h := t.StaticNextHop; h.Set() && t.VGWInside.Set() && h.Value != t.VGWInside.Value.Addr() {
		add(errorAt(h.Range, "Next hop is not the gateway's inside address",
			"The next hop %s of IPSec Tunnel #%d must be the Virtual Private Gateway inside address %s (at %s). Download the configuration again rather than edit it.",
			h.Value, t.Number, t.VGWInside.Value.Addr(), where(t.VGWInside.Range)))
	}
}

// checkInside holds the two inside addresses to what AWS allocates, two
// host addresses of one /30 (IPv6: /126) in its range, and to the site
// language's rules for inside addresses, which the generated tunnel must
// pass. Anything else means the text was edited, and the VTI would not come
// up. Only the first problem is reported: the others follow from it.
func checkInside(cgw, vgw Prefix, diags *hcl.Diagnostics) {
	for _, d := range []*hcl.Diagnostic{insideProblem("Customer Gateway", cgw), insideProblem("Virtual Private Gateway", vgw)} {
		if d != nil {
			*diags = append(*diags, d)
			return
		}
	}
	c, v := cgw.Value, vgw.Value
	switch {
	case !lang.SameInsideNetwork(c, v):
		*diags = append(*diags, errorAt(vgw.Range, "Inside addresses do not pair up",
			"The Virtual Private Gateway inside address %s must be in the same /%d as the Customer Gateway inside address %s (at %s). %s",
			v, c.Bits(), c, where(cgw.Range), downloadAgain))
	case c.Addr() == v.Addr():
		*diags = append(*diags, errorAt(vgw.Range, "Same inside address on both ends",
			"The Virtual Private Gateway inside address %s is also the Customer Gateway inside address (at %s). %s", v.Addr(), where(cgw.Range), downloadAgain))
	}
}

const downloadAgain = "Download the configuration again rather than edit it."

// insideProblem reports the first rule one inside address breaks, or nil.
func insideProblem(name string, p Prefix) *hcl.Diagnostic {
	a := p.Value.Addr()
	want := lang.AWSInsideBits(a)
	if p.Value.Bits() != want || !lang.ValidInsidePrefixLen(p.Value) {
		return errorAt(p.Range, "Invalid inside prefix length",
			"The %s inside address %s must be in a /%d, the network AWS gives each tunnel. %s", name, p.Value, want, downloadAgain)
	}
	if kind := lang.UnusableInsideAddr(p.Value); kind != "" {
		return errorAt(p.Range, "Unusable inside address",
			"The %s inside address %s is the %s address of %s; a tunnel end needs one of the two host addresses. %s", name, a, kind, p.Value.Masked(), downloadAgain)
	}
	if !lang.InAWSInsideRange(a) {
		return errorAt(p.Range, "Inside address outside AWS's range",
			"AWS tunnel inside addresses are in 169.254.0.0/16; the %s inside address %s is not. %s", name, p.Value, downloadAgain)
	}
	if r, reserved := lang.AWSReservedInside(a); reserved {
		return errorAt(p.Range, "Inside address reserved by AWS",
			"AWS reserves %s, so the %s inside address %s cannot be one AWS gave. %s", r, name, a, downloadAgain)
	}
	return nil
}

// checkAcross compares tunnels: they are two paths between the same two
// gateways, so routing mode, ASNs and the customer gateway must agree,
// while outside and inside addresses must differ.
func checkAcross(tunnels []*tunnelState, diags *hcl.Diagnostics) {
	add := func(d *hcl.Diagnostic) { *diags = append(*diags, d) }
	first := tunnels[0].t
	for _, ts := range tunnels[1:] {
		t := ts.t
		switch {
		case (first.BGP == nil) != (t.BGP == nil):
			withBGP, without := first, t
			if first.BGP == nil {
				withBGP, without = t, first
			}
			add(errorAt(without.Range, "Routing differs between tunnels",
				"IPSec Tunnel #%d has no BGP settings, but IPSec Tunnel #%d has (at %s). Both tunnels of a VPN connection route the same way; download the configuration again.",
				without.Number, withBGP.Number, where(withBGP.BGP.Range)))
		case t.BGP != nil:
			sameNumber(first.BGP.CGWASN, t.BGP.CGWASN, "Customer Gateway ASN", diags)
			sameNumber(first.BGP.VGWASN, t.BGP.VGWASN, "Virtual Private Gateway ASN", diags)
		}
		if a, b := first.CGWOutside, t.CGWOutside; a.Value.IsValid() && b.Value.IsValid() && a.Value != b.Value {
			add(errorAt(b.Range, "Customer gateway differs between tunnels",
				"The Customer Gateway outside address %s differs from %s (at %s); both tunnels end on the same customer gateway. Download the configuration again.",
				b.Value, a.Value, where(a.Range)))
		}
	}
	// Each clash is reported once, against the first tunnel it clashes
	// with, so that a pasted-together text does not drown the user.
	for i, b := range tunnels {
		tb := b.t
		for _, a := range tunnels[:i] {
			ta := a.t
			if ta.VGWOutside.Set() && tb.VGWOutside.Set() && ta.VGWOutside.Value == tb.VGWOutside.Value {
				add(errorAt(tb.VGWOutside.Range, "Duplicate outside address",
					"The Virtual Private Gateway outside address %s is also that of IPSec Tunnel #%d (at %s); AWS gives each tunnel its own. Download the configuration again.",
					tb.VGWOutside.Value, ta.Number, where(ta.VGWOutside.Range)))
				break
			}
		}
		for _, a := range tunnels[:i] {
			ta := a.t
			if ta.CGWInside.Set() && tb.CGWInside.Set() && ta.CGWInside.Value.Overlaps(tb.CGWInside.Value) {
				add(errorAt(tb.CGWInside.Range, "Overlapping inside addresses",
					"The Customer Gateway inside address %s overlaps %s of IPSec Tunnel #%d (at %s); each tunnel needs its own network. Download the configuration again.",
					tb.CGWInside.Value, ta.CGWInside.Value, ta.Number, where(ta.CGWInside.Range)))
				break
			}
		}
	}
}

func sameNumber(a, b Number, name string, diags *hcl.Diagnostics) {
	if a.Set() && b.Set() && a.Value != b.Value {
		*diags = append(*diags, errorAt(b.Range, "AS number differs between tunnels",
			"The %s %d differs from %d (at %s); both tunnels connect the same two gateways. Download the configuration again.", name, b.Value, a.Value, where(a.Range)))
	}
}
