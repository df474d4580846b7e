package frr

import (
	"fmt"

	"github.com/vtic/vtic/compile"
	"github.com/vtic/vtic/targets"
)

// BFDPath is bfdd's file in per-daemon mode. It is rendered only for a
// router with BFD on some tunnel.
const BFDPath = dir + "bfdd.conf"

// bfdTunnels are the tunnels whose BGP session BFD watches.
func bfdTunnels(h *compile.Host) []*compile.Tunnel {
	var ts []*compile.Tunnel
	for _, t := range bgpTunnels(h) {
		if t.BGP.BFD != nil && h.ASN != 0 {
			ts = append(ts, t)
		}
	}
	return ts
}

// bfdProfile names a set of timers. bgpd registers each neighbor with
// `neighbor X bfd` and picks its timers by profile, so bfdd's block holds
// one profile per set of timers in use and no per-peer configuration that
// would have to match bgpd's session keys (local address, interface).
func bfdProfile(b *compile.BFD) string {
	return fmt.Sprintf("vtic-%dx%d-%d", b.DetectMultiplier, b.ReceiveInterval, b.TransmitInterval)
}

// writeBFD writes bfdd's configuration: the profiles the neighbors name.
func writeBFD(w *writer, h *compile.Host) {
	seen := map[string]bool{}
	var profiles []*compile.BFD
	for _, t := range bfdTunnels(h) {
		if name := bfdProfile(t.BGP.BFD); !seen[name] {
			seen[name] = true
			profiles = append(profiles, t.BGP.BFD)
		}
	}
	if len(profiles) == 0 {
		return
	}
	w.f("bfd")
	for _, b := range profiles {
		w.f(" profile %s", bfdProfile(b))
		w.f("  detect-multiplier %d", b.DetectMultiplier)
		w.f("  receive-interval %d", b.ReceiveInterval)
		w.f("  transmit-interval %d", b.TransmitInterval)
		w.f(" exit")
		w.f(" !")
	}
	w.f("exit")
	w.f("!")
}

func renderBFD(h *compile.Host) []byte {
	w := &writer{}
	w.f("! %s", targets.Header(h))
	w.f("!")
	writeBFD(w, h)
	return []byte(w.b.String())
}
