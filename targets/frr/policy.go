package frr

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/vtic/vtic/compile"
	"github.com/vtic/vtic/lang"
)

// A session's own policy replaces the shared route-maps only where the
// router end says something: accept or preference gives it VTIC-IN-<tunnel>,
// announce or a backup preference VTIC-OUT-<tunnel>. Each is per address
// family, like the prefix lists it matches (`ip prefix-list` for IPv4,
// `ipv6 prefix-list` for IPv6), and a session carries the family of its
// neighbor address only.

func famName(t *compile.Tunnel) (ip, suffix string) {
	if t.BGP.Neighbor.Is4() {
		return "ip", "IPV4"
	}
	return "ipv6", "IPV6"
}

func ownIn(t *compile.Tunnel) bool {
	return t.BGP.Accept != nil || t.BGP.Preference != ""
}

func ownOut(t *compile.Tunnel) bool {
	return t.BGP.Announce != nil || t.BGP.Preference == lang.PreferenceBackup
}

// inMap is the route-map the neighbor's routes go through on their way in.
func inMap(t *compile.Tunnel) string {
	if !ownIn(t) {
		return "VTIC-IN"
	}
	_, fam := famName(t)
	return "VTIC-IN-" + t.Name + "-" + fam
}

// outMap is the route-map this router's routes go through toward the
// neighbor.
func outMap(t *compile.Tunnel) string {
	_, fam := famName(t)
	if !ownOut(t) {
		return "VTIC-OUT-" + fam
	}
	return "VTIC-OUT-" + t.Name + "-" + fam
}

// writeTunnelPolicy writes the prefix lists and route-maps of one
// session's own policy, if it has one.
func writeTunnelPolicy(w *writer, h *compile.Host, t *compile.Tunnel) {
	ip, fam := famName(t)
	b := t.BGP
	if ownIn(t) {
		w.f("! %s: what the session accepts%s.", t.Name, prefWords(b.Preference, "in"))
		list := "VTIC-ACCEPT-" + t.Name + "-" + fam
		if b.Accept != nil {
			writePrefixList(w, ip, list, b.Accept, t.BGP.Neighbor.Is4())
		}
		w.f("route-map %s permit 10", inMap(t))
		if b.Accept != nil {
			w.f(" match %s address prefix-list %s", ip, list)
		}
		switch b.Preference {
		case lang.PreferencePrimary:
			w.f(" set local-preference %d", compile.LocalPrefPrimary)
		case lang.PreferenceBackup:
			w.f(" set local-preference %d", compile.LocalPrefBackup)
		}
		w.f("exit")
		w.f("!")
	}
	if ownOut(t) {
		w.f("! %s: what the session announces%s.", t.Name, prefWords(b.Preference, "out"))
		list := "VTIC-ANNOUNCE-" + fam
		if b.Announce != nil {
			list = "VTIC-ANNOUNCE-" + t.Name + "-" + fam
			writePrefixList(w, ip, list, b.Announce, t.BGP.Neighbor.Is4())
		}
		w.f("route-map %s permit 10", outMap(t))
		w.f(" match %s address prefix-list %s", ip, list)
		if b.Preference == lang.PreferenceBackup {
			w.f(" set as-path prepend %s", strings.TrimSpace(strings.Repeat(" "+strconv.FormatUint(uint64(h.ASN), 10), compile.BackupPrepends)))
			if b.MED {
				w.f(" set metric %d", compile.BackupMED)
			}
		}
		w.f("exit")
		w.f("!")
	}
}

func prefWords(pref, dir string) string {
	switch {
	case pref == lang.PreferencePrimary && dir == "in":
		return ", preferred (primary)"
	case pref == lang.PreferenceBackup && dir == "in":
		return ", least preferred (backup)"
	case pref == lang.PreferenceBackup:
		return ", made less attractive to the far end (backup)"
	}
	return ""
}

// writePrefixList writes a user's list in its order. A list written empty
// matches nothing; FRR has no empty list, so it gets an explicit deny of
// every prefix of the family.
func writePrefixList(w *writer, ip, name string, ms []compile.PrefixMatch, v4 bool) {
	seq := 0
	for _, m := range ms {
		if m.Prefix.Addr().Is4() != v4 {
			continue // lang refuses these; a session carries one family
		}
		seq += 5
		line := fmt.Sprintf("%s prefix-list %s seq %d permit %s", ip, name, seq, m.Prefix)
		if m.GE != 0 {
			line += fmt.Sprintf(" ge %d", m.GE)
		}
		if m.LE != 0 {
			line += fmt.Sprintf(" le %d", m.LE)
		}
		w.f("%s", line)
	}
	if seq == 0 {
		if v4 {
			w.f("%s prefix-list %s seq 5 deny 0.0.0.0/0 le 32", ip, name)
		} else {
			w.f("%s prefix-list %s seq 5 deny ::/0 le 128", ip, name)
		}
	}
}

// writeTunnelRoutes writes the routes into the tunnels' interfaces.
func writeTunnelRoutes(w *writer, h *compile.Host) {
	any := false
	for _, t := range h.Tunnels {
		for _, r := range t.Routes {
			if !any {
				w.f("! Static routes into the tunnels (routes = [...]); a metric is the")
				w.f("! route's administrative distance.")
				any = true
			}
			kw := "ip"
			if !r.Dst.Addr().Is4() {
				kw = "ipv6"
			}
			if r.Metric > 0 {
				w.f("%s route %s %s %d", kw, r.Dst, t.Interface, r.Metric)
			} else {
				w.f("%s route %s %s", kw, r.Dst, t.Interface)
			}
		}
	}
	if any {
		w.f("!")
	}
}
