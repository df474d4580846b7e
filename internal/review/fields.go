package review

import (
	"strconv"
	"strings"

	"github.com/vtic/vtic/compile"
)

// tunnelField is one line of a tunnel's comparison: the name vtic diff
// prints, the compile.Tunnel field it shows as a dotted Go path, and the
// field as text. The path is not used to read the field; it is what
// TestTunnelFieldsCoverCompile checks against compile.Tunnel, so that a
// field added to the plan cannot be left out of vtic diff unnoticed.
type tunnelField struct {
	key   string
	field string
	text  func(*compile.Tunnel) string
}

// tunnelFields lists, in the order vtic diff prints them, the fields every
// tunnel has. Preset values are listed one by one so that a change of
// vtic's defaults shows as what it is.
var tunnelFields = []tunnelField{
	{"enabled", "Enabled", func(t *compile.Tunnel) string { return strconv.FormatBool(t.Enabled) }},
	{"description", "Description", func(t *compile.Tunnel) string { return t.Description }},
	{"remote", "RemoteName", func(t *compile.Tunnel) string { return t.RemoteName }},
	{"interface", "Interface", func(t *compile.Tunnel) string { return t.Interface }},
	{"mark", "Mark", func(t *compile.Tunnel) string { return strconv.FormatUint(uint64(t.Mark), 10) }},
	{"mtu", "MTU", func(t *compile.Tunnel) string { return strconv.Itoa(t.MTU) }},
	{"mss", "MSS", func(t *compile.Tunnel) string { return strconv.Itoa(t.MSS) }},
	{"local_addr", "Local", func(t *compile.Tunnel) string { return addr(t.Local.String(), t.Local.IsValid()) }},
	{"remote_addr", "Remote", func(t *compile.Tunnel) string { return addr(t.Remote.String(), t.Remote.IsValid()) }},
	{"inside", "Inside", func(t *compile.Tunnel) string { return addr(t.Inside.String(), t.Inside.IsValid()) }},
	{"remote_inside", "RemoteInside", func(t *compile.Tunnel) string {
		return addr(t.RemoteInside.String(), t.RemoteInside.IsValid())
	}},
	{"role", "Responder", role},
	{"auth", "Pubkey", auth},
	{"local_id", "LocalID", func(t *compile.Tunnel) string { return identity(t.LocalID) }},
	{"remote_id", "RemoteID", func(t *compile.Tunnel) string { return identity(t.RemoteID) }},
	{"provider", "Preset.Provider", func(t *compile.Tunnel) string { return t.Preset.Provider }},
	{"ike_version", "Preset.IKEVersion", func(t *compile.Tunnel) string { return strconv.Itoa(t.Preset.IKEVersion) }},
	{"ike_proposals", "Preset.IKEProposals", func(t *compile.Tunnel) string { return t.Preset.IKEProposals }},
	{"esp_proposals", "Preset.ESPProposals", func(t *compile.Tunnel) string { return t.Preset.ESPProposals }},
	{"ike_lifetime", "Preset.IKELifetime", func(t *compile.Tunnel) string { return strconv.Itoa(t.Preset.IKELifetime) }},
	{"esp_lifetime", "Preset.ESPLifetime", func(t *compile.Tunnel) string { return strconv.Itoa(t.Preset.ESPLifetime) }},
	{"dpd_delay", "Preset.DPDDelay", func(t *compile.Tunnel) string { return strconv.Itoa(t.Preset.DPDDelay) }},
	{"dpd_timeout", "Preset.DPDTimeout", func(t *compile.Tunnel) string { return strconv.Itoa(t.Preset.DPDTimeout) }},
}

// bgpFields follow tunnelFields when the tunnel carries a BGP session;
// without one the tunnel shows bgp = none.
var bgpFields = []tunnelField{
	{"bgp.local_asn", "BGP.LocalASN", func(t *compile.Tunnel) string { return strconv.FormatUint(uint64(t.BGP.LocalASN), 10) }},
	{"bgp.remote_asn", "BGP.RemoteASN", func(t *compile.Tunnel) string { return strconv.FormatUint(uint64(t.BGP.RemoteASN), 10) }},
	{"bgp.neighbor", "BGP.Neighbor", func(t *compile.Tunnel) string { return addr(t.BGP.Neighbor.String(), t.BGP.Neighbor.IsValid()) }},
	{"bgp.keepalive", "BGP.Keepalive", func(t *compile.Tunnel) string { return strconv.Itoa(t.BGP.Keepalive) }},
	{"bgp.hold", "BGP.Hold", func(t *compile.Tunnel) string { return strconv.Itoa(t.BGP.Hold) }},
	{"bgp.max_prefixes", "BGP.MaxPrefixes", func(t *compile.Tunnel) string { return strconv.FormatUint(uint64(t.BGP.MaxPrefixes), 10) }},
	{"bgp.preference", "BGP.Preference", func(t *compile.Tunnel) string { return t.BGP.Preference }},
	{"bgp.med", "BGP.MED", func(t *compile.Tunnel) string { return strconv.FormatBool(t.BGP.MED) }},
}

// comparedApart are the fields fieldChanges compares outside the two
// tables: each option is a line of its own, keyed by its section and key,
// and the pre-shared key is compared without showing it (pskChange).
// A tunnel's routes and its session's prefix lists are one line each
// (listFields).
var comparedApart = []string{"Options.Section", "Options.Key", "Options.Value", "PSK.Ref", "PSK.Value",
	"Routes.Dst", "Routes.Metric",
	"BGP.Accept.Prefix", "BGP.Accept.GE", "BGP.Accept.LE",
	"BGP.Announce.Prefix", "BGP.Announce.GE", "BGP.Announce.LE"}

// listFields are the lines of comparedApart's lists, by the path prefix
// of their fields.
var listFields = map[string]string{"Routes.": "routes", "BGP.Accept.": "bgp.accept", "BGP.Announce.": "bgp.announce"}

// routesText is a tunnel's routes as one line.
func routesText(t *compile.Tunnel) string {
	var s []string
	for _, r := range t.Routes {
		if r.Metric > 0 {
			s = append(s, r.Dst.String()+" metric "+strconv.Itoa(r.Metric))
		} else {
			s = append(s, r.Dst.String())
		}
	}
	return strings.Join(s, ", ")
}

// matchesText is a prefix list as one line: empty when none was written,
// "(empty)" for a list written empty, which matches nothing.
func matchesText(ms []compile.PrefixMatch) string {
	if ms == nil {
		return ""
	}
	if len(ms) == 0 {
		return "(empty)"
	}
	var s []string
	for _, m := range ms {
		x := m.Prefix.String()
		if m.GE != 0 {
			x += " ge " + strconv.Itoa(m.GE)
		}
		if m.LE != 0 {
			x += " le " + strconv.Itoa(m.LE)
		}
		s = append(s, x)
	}
	return strings.Join(s, ", ")
}

// outlineKeys are the tunnelFields that identify an added or removed
// tunnel at a glance.
var outlineKeys = []string{"remote", "interface", "mark", "inside"}

// role is whether this end initiates the tunnel or waits for the other
// router to (compile.Tunnel.Responder).
func role(t *compile.Tunnel) string {
	if t.Responder {
		return "responder"
	}
	return "initiator"
}

// auth is how the tunnel authenticates.
func auth(t *compile.Tunnel) string {
	if t.Pubkey {
		return "pubkey"
	}
	return "psk"
}

// identity is an IKE identity the site gives, or what stands for it.
func identity(id string) string {
	if id == "" {
		return "(outer address)"
	}
	return id
}

// fieldValue is the text of the tunnelFields entry with the given key.
func fieldValue(t *compile.Tunnel, key string) string {
	for _, f := range tunnelFields {
		if f.key == key {
			return f.text(t)
		}
	}
	panic("review: no tunnel field " + key)
}

// fields lists every compared field of a tunnel but its key and its
// pre-shared key, in a fixed order, as text.
func fields(t *compile.Tunnel) []kv {
	f := make([]kv, 0, len(tunnelFields)+len(bgpFields)+len(t.Options))
	for _, tf := range tunnelFields {
		f = append(f, kv{tf.key, tf.text(t)})
	}
	f = append(f, kv{"routes", routesText(t)})
	if t.BGP != nil {
		for _, tf := range bgpFields {
			f = append(f, kv{tf.key, tf.text(t)})
		}
		f = append(f, kv{"bgp.accept", matchesText(t.BGP.Accept)}, kv{"bgp.announce", matchesText(t.BGP.Announce)})
	} else {
		f = append(f, kv{"bgp", "none"})
	}
	for _, o := range t.Options {
		f = append(f, kv{"option." + o.Section + "." + o.Key, o.Value})
	}
	return f
}

func addr(s string, valid bool) string {
	if !valid {
		return ""
	}
	return s
}
