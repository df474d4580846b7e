package frr

import (
	"github.com/vtic/vtic/compile"
	"github.com/vtic/vtic/targets"
)

// renderIntegrated renders frr.conf: the same configuration as bgpd.conf
// and staticd.conf in one file, after the two settings of the file
// Debian's frr package installs. vtic owns this file on a router in
// integrated mode: it replaces Debian's, and `vtic apply` writes it again
// after a `write memory` (see the README's FRR section).
func renderIntegrated(h *compile.Host) []byte {
	w := &writer{}
	w.f("! %s", targets.Header(h))
	w.f("! FRR's integrated configuration: FRR's init loads it at boot. A `write")
	w.f("! memory` in vtysh rewrites it; the next vtic apply puts this back.")
	w.f("!")
	w.f("log syslog informational")
	w.f("service integrated-vtysh-config")
	w.f("!")
	writeBFD(w, h)
	writeBGP(w, h)
	writeStatic(w, h)
	return []byte(w.b.String())
}
