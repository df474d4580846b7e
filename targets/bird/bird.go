package bird

import (
	"fmt"
	"strings"

	"github.com/vtic/vtic/compile"
	"github.com/vtic/vtic/targets"
)

// Path of the file this renderer writes, relative to the router's root.
const Path = "etc/bird/bird.conf"

// Renderer renders bird.conf for a router that runs BIRD, and nothing for
// one that runs FRR.
type Renderer struct{}

var _ targets.Renderer = Renderer{}

func (Renderer) Name() string { return "bird" }

func (Renderer) Paths() []string { return []string{Path} }

// Render writes bird.conf with mode 0640, as FRR's files: it names the
// router's neighbors and policy.
func (Renderer) Render(h *compile.Host) ([]targets.File, error) {
	if !h.UsesBIRD() {
		return nil, nil
	}
	return []targets.File{{Path: Path, Mode: 0o640, Data: render(h)}}, nil
}

type writer struct{ b strings.Builder }

func (w *writer) f(format string, args ...any) {
	fmt.Fprintf(&w.b, format, args...)
	w.b.WriteByte('\n')
}

type family struct {
	v4      bool
	channel string // BIRD's channel and table name
	name    string // as in FRR's list names
}

var families = []family{{true, "ipv4", "IPV4"}, {false, "ipv6", "IPV6"}}

func bgpTunnels(h *compile.Host) []*compile.Tunnel {
	var ts []*compile.Tunnel
	for _, t := range h.Tunnels {
		if t.BGP != nil && h.ASN != 0 {
			ts = append(ts, t)
		}
	}
	return ts
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

// usesFamily reports whether any neighbor, announced prefix or peer route
// is of the family, so the file carries nothing for a family it never uses.
func usesFamily(h *compile.Host, v4 bool) bool {
	for _, t := range bgpTunnels(h) {
		if t.BGP.Neighbor.Is4() == v4 {
			return true
		}
	}
	for _, r := range h.Routes {
		if r.Dst.Addr().Is4() == v4 {
			return true
		}
	}
	return h.ASN != 0 && len(announced(h, v4)) > 0
}

func render(h *compile.Host) []byte {
	w := &writer{}
	w.f("# %s", targets.Header(h))
	w.f("")
	w.f("log syslog all;")
	if h.RouterID.IsValid() {
		w.f("router id %s;", h.RouterID)
	}
	w.f("")
	w.f("# Interfaces come and go with the tunnels.")
	w.f("protocol device {")
	w.f("\tscan time 10;")
	w.f("}")
	for _, fam := range families {
		if !usesFamily(h, fam.v4) {
			continue
		}
		w.f("")
		w.f("# The kernel's routes are learnt (for the announce check); BGP and")
		w.f("# static routes are written into the kernel.")
		w.f("protocol kernel kernel_%s {", fam.channel)
		w.f("\tlearn;")
		w.f("\tscan time 10;")
		w.f("\t%s {", fam.channel)
		w.f("\t\timport all;")
		w.f("\t\texport where source ~ [ RTS_BGP, RTS_STATIC ];")
		w.f("\t};")
		w.f("}")
		w.f("")
		w.f("protocol direct direct_%s {", fam.channel)
		w.f("\t%s;", fam.channel)
		w.f("}")
	}
	writeStatic(w, h)
	if h.ASN == 0 {
		w.f("")
		w.f("# The router has no asn: no BGP.")
		return []byte(w.b.String())
	}
	writeFilters(w, h)
	for _, t := range bgpTunnels(h) {
		writeBGP(w, h, t)
	}
	return []byte(w.b.String())
}

// writeStatic writes the host routes to the peers' outer addresses.
func writeStatic(w *writer, h *compile.Host) {
	for _, fam := range families {
		var routes []compile.Route
		for _, r := range h.Routes {
			if r.Dst.Addr().Is4() == fam.v4 {
				routes = append(routes, r)
			}
		}
		if len(routes) == 0 {
			continue
		}
		w.f("")
		w.f("# Host routes to the peers' outer addresses through the gateway, so IKE")
		w.f("# and ESP never follow a route learnt through a tunnel.")
		w.f("protocol static peers_%s {", fam.channel)
		w.f("\t%s;", fam.channel)
		for _, r := range routes {
			w.f("\troute %s via %s;", r.Dst, r.Gateway)
		}
		w.f("}")
	}
}

// writeFilters writes the export filter of each family in use: the
// announce prefixes exactly, or nothing.
func writeFilters(w *writer, h *compile.Host) {
	for _, fam := range families {
		if !usesFamily(h, fam.v4) {
			continue
		}
		nets := announced(h, fam.v4)
		w.f("")
		w.f("filter vtic_out_%s {", fam.channel)
		if len(nets) > 0 {
			w.f("\tif net ~ [ %s ] then accept;", strings.Join(nets, ", "))
		}
		w.f("\treject;")
		w.f("}")
	}
}

// protocolName is the BGP protocol of a tunnel: its interface name, unique
// on the router, made a BIRD symbol.
func protocolName(t *compile.Tunnel) string {
	var b strings.Builder
	b.WriteString("bgp_")
	for _, r := range t.Interface {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			fmt.Fprintf(&b, "_%02x", r)
		}
	}
	return b.String()
}

func writeBGP(w *writer, h *compile.Host, t *compile.Tunnel) {
	fam := families[0]
	if !t.BGP.Neighbor.Is4() {
		fam = families[1]
	}
	w.f("")
	w.f("# Tunnel %s.", t.Name)
	if d := strings.Join(strings.Fields(t.Description), " "); d != "" {
		w.f("# %s", d)
	}
	w.f("protocol bgp %s {", protocolName(t))
	if !t.Enabled {
		w.f("\tdisabled;")
	}
	w.f("\tlocal %s as %d;", t.Inside.Addr(), t.BGP.LocalASN)
	w.f("\tneighbor %s as %d;", t.BGP.Neighbor, t.BGP.RemoteASN)
	w.f("\tinterface \"%s\";", t.Interface)
	w.f("\thold time %d;", t.BGP.Hold)
	w.f("\tkeepalive time %d;", t.BGP.Keepalive)
	w.f("\t%s {", fam.channel)
	w.f("\t\timport all;")
	w.f("\t\texport filter vtic_out_%s;", fam.channel)
	w.f("\t};")
	w.f("}")
}
