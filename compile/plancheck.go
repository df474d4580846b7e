package compile

import (
	"errors"
	"fmt"

	"github.com/vtic/vtic/lang"
)

// check reports what makes a decoded host unlike one Compile makes, in the
// ways renderers and apply depend on: names that are safe inside swanctl
// and VICI, tunnels sorted by unique name, one device per tunnel, and
// every address set that a tunnel, route or key needs.
func check(h *Host) error {
	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if !safeName(h.Name) {
		fail("host name %q is not made of letters, digits, '.', '_' and '-'", h.Name)
	}
	if !h.Outside.IsValid() {
		fail("no outside address")
	}
	if h.IKE != "" && h.IKE != lang.IKELibreswan {
		fail("IKE daemon %q (empty for strongSwan, or %q)", h.IKE, lang.IKELibreswan)
	}
	if h.Routing != "" && h.Routing != lang.RoutingBIRD {
		fail("routing daemon %q (empty for FRR, or %q)", h.Routing, lang.RoutingBIRD)
	}
	for _, p := range h.Announce {
		if !p.IsValid() {
			fail("announce: invalid prefix")
		}
	}
	devs := map[string]string{}
	for i, t := range h.Tunnels {
		if !safeName(t.Name) {
			fail("tunnel name %q is not made of letters, digits, '.', '_' and '-'", t.Name)
			continue
		}
		if i > 0 && h.Tunnels[i-1].Name >= t.Name {
			fail("tunnel %s: tunnels are not sorted by unique name", t.Name)
		}
		if t.Interface == "" {
			fail("tunnel %s: no interface", t.Name)
		} else if other, dup := devs[t.Interface]; dup {
			fail("tunnel %s: interface %s is also tunnel %s's", t.Name, t.Interface, other)
		}
		devs[t.Interface] = t.Name
		if !t.Local.IsValid() || !t.Remote.IsValid() || !t.Inside.IsValid() || !t.RemoteInside.IsValid() {
			fail("tunnel %s: missing outer or inside address", t.Name)
		}
		if t.Responder && !t.RemoteIsRouter {
			fail("tunnel %s: only the end of a tunnel between routers can be the responder", t.Name)
		}
		if t.MTU <= 0 {
			fail("tunnel %s: MTU %d", t.Name, t.MTU)
		}
		if t.Pubkey {
			if len(h.Cert) == 0 {
				fail("tunnel %s: authenticates with certificates, but the host has none", t.Name)
			}
			if len(h.CAs) == 0 {
				fail("tunnel %s: authenticates with certificates, but the host trusts no authority", t.Name)
			}
			if t.PSK.Resolved || t.PSK.Ref != "" {
				fail("tunnel %s: a pre-shared key on a tunnel that authenticates with certificates", t.Name)
			}
		}
		if t.PSK.Resolved != (len(t.PSK.Value) > 0) {
			fail("tunnel %s: a pre-shared key is resolved exactly when it has a value", t.Name)
		}
		if t.BGP != nil && !t.BGP.Neighbor.IsValid() {
			fail("tunnel %s: BGP without a neighbor address", t.Name)
		}
		errs = append(errs, checkRouting(t)...)
		for _, o := range t.Options {
			if (o.Section != SectionConn && o.Section != SectionChild) || o.Key == "" {
				fail("tunnel %s: option %q in section %q", t.Name, o.Key, o.Section)
			}
		}
	}
	if h.Key.Resolved != (len(h.Key.Value) > 0) {
		fail("a private key is resolved exactly when it has a value")
	}
	if (len(h.Key.Value) > 0 || h.Key.Ref != "") != (len(h.Cert) > 0) {
		fail("a certificate and its private key go together")
	}
	cas := map[string]bool{}
	for i, ca := range h.CAs {
		if !safeName(ca.Name) || cas[ca.Name] || i > 0 && h.CAs[i-1].Name >= ca.Name || len(ca.PEM) == 0 {
			fail("authority %q: names must be safe, unique and sorted, with a certificate", ca.Name)
		}
		cas[ca.Name] = true
	}
	for _, r := range h.Routes {
		if !r.Dst.IsValid() || !r.Gateway.IsValid() {
			fail("route %s via %s: invalid address", r.Dst, r.Gateway)
		}
	}
	return errors.Join(errs...)
}

// safeName reports whether s is a name lang accepts for routers and
// tunnels.
func safeName(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '.', c == '_', c == '-':
		default:
			return false
		}
	}
	return true
}
