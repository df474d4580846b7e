package frr

import (
	"slices"

	"github.com/vtic/vtic/compile"
)

// Mode is how a router's FRR reads its configuration at boot, which
// decides the form of vtic's configuration the router gets. apply detects
// it on the router (apply/frrreload.DetectMode) and installs the files of
// that mode only.
type Mode string

const (
	// Integrated is one file, frr.conf: FRR's init loads it into every
	// daemon with `vtysh -b`, and vtysh's `write memory` rewrites it.
	// Debian's frr package installs FRR this way.
	Integrated Mode = "integrated"
	// PerDaemon is one file per daemon, which the daemon reads when it
	// starts and `write memory` rewrites.
	PerDaemon Mode = "per-daemon"
)

// Paths are the rendered files a router in mode m reads.
func (m Mode) Paths() []string {
	if m == Integrated {
		return []string{IntegratedPath}
	}
	return []string{BGPPath, StaticPath}
}

// Daemons returns the FRR daemons the configuration of h needs running,
// besides zebra: bgpd when the router speaks BGP, staticd when it has host
// routes to its peers or routes into a tunnel.
func Daemons(h *compile.Host) []string {
	var out []string
	if h.ASN != 0 {
		out = append(out, "bgpd")
	}
	if len(h.Routes) > 0 || slices.ContainsFunc(h.Tunnels, func(t *compile.Tunnel) bool { return len(t.Routes) > 0 }) {
		out = append(out, "staticd")
	}
	return out
}
