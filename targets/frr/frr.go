// Package frr renders FRR 8.4 configuration for a router in both of the
// forms FRR reads: per daemon, bgpd.conf with one neighbor per tunnel whose
// ends both have an AS number and staticd.conf with host routes to the
// peers' outer addresses; and integrated, frr.conf holding the same
// configuration in one file. A router reads one form, depending on how its
// FRR is set up (Mode); apply installs that one.
//
// FRR 8 defaults to `bgp ebgp-requires-policy`: without an inbound and an
// outbound policy an eBGP neighbor exchanges nothing. Every neighbor gets
// VTIC-IN (accept what the far end sends) and VTIC-OUT (only this router's
// announce prefixes), so routes actually flow. A tunnel whose router end
// gives a policy (accept, announce, preference) gets route-maps of its own
// instead (policy.go); staticd gets the tunnels' routes (routes = [...]).
package frr

import (
	"fmt"
	"strings"

	"github.com/vtic/vtic/compile"
	"github.com/vtic/vtic/targets"
)

// Paths of the files this renderer writes: one per FRR daemon, named as
// DaemonPath names them, and the integrated file.
const (
	dir            = "etc/frr/"
	BGPPath        = dir + "bgpd.conf"
	StaticPath     = dir + "staticd.conf"
	IntegratedPath = dir + "frr.conf"
)

// DaemonPath is the router path of an FRR daemon's configuration file,
// which apply hands to that daemon when it changes.
func DaemonPath(daemon string) string { return dir + daemon + ".conf" }

// Renderer renders the FRR files.
type Renderer struct{}

var _ targets.Renderer = Renderer{}

func (Renderer) Name() string { return "frr" }

func (Renderer) Paths() []string { return []string{BGPPath, StaticPath, IntegratedPath} }

// Render renders both forms; 0640 is the mode Debian's FRR gives its own
// files (its group, frr, reads them). It renders nothing for a router that
// runs BIRD instead.
func (Renderer) Render(h *compile.Host) ([]targets.File, error) {
	if h.UsesBIRD() {
		return nil, nil
	}
	return []targets.File{
		{Path: BGPPath, Mode: 0o640, Data: renderBGP(h), Repeats: IntegratedPath},
		{Path: StaticPath, Mode: 0o640, Data: renderStatic(h), Repeats: IntegratedPath},
		{Path: IntegratedPath, Mode: 0o640, Data: renderIntegrated(h)},
	}, nil
}

type writer struct{ b strings.Builder }

func (w *writer) f(format string, args ...any) {
	fmt.Fprintf(&w.b, format, args...)
	w.b.WriteByte('\n')
}

func bgpTunnels(h *compile.Host) []*compile.Tunnel {
	var ts []*compile.Tunnel
	for _, t := range h.Tunnels {
		if t.BGP != nil {
			ts = append(ts, t)
		}
	}
	return ts
}

func renderBGP(h *compile.Host) []byte {
	w := &writer{}
	w.f("! %s", targets.Header(h))
	w.f("!")
	writeBGP(w, h)
	return []byte(w.b.String())
}

// writeBGP writes the BGP instance and its policy, the whole of what bgpd
// is given.
func writeBGP(w *writer, h *compile.Host) {
	ts := bgpTunnels(h)
	if h.ASN == 0 {
		w.f("! The router has no asn: no BGP.")
		return
	}
	w.f("router bgp %d", h.ASN)
	if h.RouterID.IsValid() {
		w.f(" bgp router-id %s", h.RouterID)
	}
	w.f(" no bgp default ipv4-unicast")
	for _, t := range ts {
		n := t.BGP.Neighbor
		w.f(" neighbor %s remote-as %d", n, t.BGP.RemoteASN)
		w.f(" neighbor %s description %s", n, neighborDescription(t))
		w.f(" neighbor %s update-source %s", n, t.Inside.Addr())
		w.f(" neighbor %s timers %d %d", n, t.BGP.Keepalive, t.BGP.Hold)
		if !t.Enabled {
			w.f(" neighbor %s shutdown", n)
		}
	}
	for _, fam := range []bool{true, false} {
		var fts []*compile.Tunnel
		for _, t := range ts {
			if t.BGP.Neighbor.Is4() == fam {
				fts = append(fts, t)
			}
		}
		nets := announced(h, fam)
		if len(fts) == 0 && len(nets) == 0 {
			continue
		}
		af := "ipv4"
		if !fam {
			af = "ipv6"
		}
		w.f(" !")
		w.f(" address-family %s unicast", af)
		for _, p := range nets {
			w.f("  network %s", p)
		}
		for _, t := range fts {
			n := t.BGP.Neighbor
			w.f("  neighbor %s activate", n)
			w.f("  neighbor %s route-map %s in", n, inMap(t))
			w.f("  neighbor %s route-map %s out", n, outMap(t))
			if t.BGP.MaxPrefixes > 0 {
				w.f("  neighbor %s maximum-prefix %d", n, t.BGP.MaxPrefixes)
			}
		}
		w.f(" exit-address-family")
	}
	w.f("exit")
	w.f("!")
	writePolicy(w, h)
}

// neighborDescription is the tunnel's description as FRR stores it: vtysh
// splits a line into words and joins the words of a description with single
// spaces, and a description of spaces alone would be an incomplete command.
// Without one, the tunnel's name describes the neighbor.
func neighborDescription(t *compile.Tunnel) string {
	if d := strings.Join(strings.Fields(t.Description), " "); d != "" {
		return d
	}
	return t.Name
}

func announced(h *compile.Host, v4 bool) []string {
	var out []string
	for _, p := range h.Announce {
		if p.Addr().Is4() == v4 {
			out = append(out, p.String())
		}
	}
	return out
}

func writePolicy(w *writer, h *compile.Host) {
	for _, fam := range []struct {
		v4   bool
		ip   string
		name string
	}{{true, "ip", "IPV4"}, {false, "ipv6", "IPV6"}} {
		list := "VTIC-ANNOUNCE-" + fam.name
		nets := announced(h, fam.v4)
		if !usesFamily(h, fam.v4) {
			continue
		}
		for i, p := range nets {
			w.f("%s prefix-list %s seq %d permit %s", fam.ip, list, (i+1)*5, p)
		}
		if len(nets) == 0 {
			// An empty list would match nothing anyway; deny explicitly so
			// the route-map below has a list to reference.
			any := "0.0.0.0/0"
			if !fam.v4 {
				any = "::/0"
			}
			w.f("%s prefix-list %s seq 5 deny %s le %d", fam.ip, list, any, map[bool]int{true: 32, false: 128}[fam.v4])
		}
		w.f("!")
		w.f("route-map VTIC-OUT-%s permit 10", fam.name)
		w.f(" match %s address prefix-list %s", fam.ip, list)
		w.f("exit")
		w.f("!")
	}
	w.f("route-map VTIC-IN permit 10")
	w.f("exit")
	w.f("!")
	for _, t := range bgpTunnels(h) {
		writeTunnelPolicy(w, h, t)
	}
}

func renderStatic(h *compile.Host) []byte {
	w := &writer{}
	w.f("! %s", targets.Header(h))
	writeStatic(w, h)
	return []byte(w.b.String())
}

// writeStatic writes the routes staticd is given.
func writeStatic(w *writer, h *compile.Host) {
	w.f("! Host routes to the peers' outer addresses through the gateway, so IKE")
	w.f("! and ESP never follow a route learned through a tunnel.")
	for _, r := range h.Routes {
		kw := "ip"
		if !r.Dst.Addr().Is4() {
			kw = "ipv6"
		}
		w.f("%s route %s %s", kw, r.Dst, r.Gateway)
	}
	w.f("!")
	writeTunnelRoutes(w, h)
}

// usesFamily reports whether any neighbor or announced prefix is of the
// family, so the file carries no policy for a family it never uses.
func usesFamily(h *compile.Host, v4 bool) bool {
	for _, t := range bgpTunnels(h) {
		if t.BGP.Neighbor.Is4() == v4 {
			return true
		}
	}
	return len(announced(h, v4)) > 0
}
