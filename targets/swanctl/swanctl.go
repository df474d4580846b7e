package swanctl

import (
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/vtic/vtic/compile"
	"github.com/vtic/vtic/targets"
)

// Paths of the files this renderer writes, relative to the router's root.
const (
	ConnsPath    = "etc/swanctl/conf.d/vtic.conf"
	SecretsPath  = "etc/swanctl/conf.d/vtic-secrets.conf"
	SettingsPath = "etc/strongswan.d/vtic.conf"
)

// Renderer renders the strongSwan files.
type Renderer struct{}

var _ targets.Renderer = Renderer{}

func (Renderer) Name() string { return "swanctl" }

func (Renderer) Paths() []string { return []string{ConnsPath, SecretsPath, SettingsPath} }

func (Renderer) Render(h *compile.Host) ([]targets.File, error) {
	secrets, err := renderSecrets(h)
	if err != nil {
		return nil, err
	}
	return []targets.File{
		{Path: ConnsPath, Mode: 0o644, Data: renderConns(h)},
		{Path: SecretsPath, Mode: 0o600, Data: secrets, Secret: true},
		{Path: SettingsPath, Mode: 0o644, Data: renderSettings(h)},
	}, nil
}

func allTS(t *compile.Tunnel) string {
	if t.Inside.Addr().Is4() {
		return "0.0.0.0/0"
	}
	return "::/0"
}

func option(t *compile.Tunnel, section, key string, def any) any {
	for _, o := range t.Options {
		if o.Section == section && o.Key == key {
			return o.Value
		}
	}
	return def
}

// text writes a file: the header comment, then the section.
func text(h *compile.Host, s *Section) []byte {
	var b strings.Builder
	b.WriteString("# " + targets.Header(h) + "\n")
	s.write(&b, 0)
	return []byte(b.String())
}

func renderConns(h *compile.Host) []byte { return text(h, Connections(h)) }

// Connections is the connections section of a router: one subsection per
// enabled tunnel, and a comment for each disabled one.
func Connections(h *compile.Host) *Section {
	s := &Section{Name: "connections"}
	for _, t := range h.Tunnels {
		if !t.Enabled {
			s.comment(t.Name + ": disabled in the site, not loaded")
			continue
		}
		writeConn(s.sub(t.Name), t)
	}
	return s
}

func writeConn(c *Section, t *compile.Tunnel) {
	p := t.Preset
	conn := func(key string, def any) { c.kv(key, option(t, compile.SectionConn, key, def)) }

	if t.Description != "" {
		c.comment(t.Description)
	}
	conn("version", p.IKEVersion)
	c.kv("local_addrs", t.Local)
	c.kv("remote_addrs", t.Remote)
	conn("proposals", p.IKEProposals)
	if p.IKEVersion == 1 {
		// IKEv1 cannot rekey an IKE SA; it reauthenticates instead.
		conn("reauth_time", fmt.Sprintf("%ds", p.IKELifetime))
		conn("dpd_timeout", fmt.Sprintf("%ds", p.DPDTimeout))
	} else {
		conn("rekey_time", fmt.Sprintf("%ds", p.IKELifetime))
	}
	conn("dpd_delay", fmt.Sprintf("%ds", p.DPDDelay))
	// Retry forever: a VPN router's tunnels must come back on their own.
	conn("keyingtries", 0)
	conn("mobike", "no")
	for _, o := range t.Options {
		if o.Section == compile.SectionConn && !isDefaulted(o.Key, true) {
			c.kv(o.Key, o.Value)
		}
	}
	local := c.sub("local")
	local.kv("auth", "psk")
	local.kv("id", option(t, compile.SectionConn, "local_id", t.Local))
	remote := c.sub("remote")
	remote.kv("auth", "psk")
	remote.kv("id", option(t, compile.SectionConn, "remote_id", t.Remote))
	child := c.sub("children").sub(t.Name)
	childOpt := func(key string, def any) { child.kv(key, option(t, compile.SectionChild, key, def)) }
	child.kv("local_ts", allTS(t))
	child.kv("remote_ts", allTS(t))
	childOpt("esp_proposals", p.ESPProposals)
	childOpt("rekey_time", fmt.Sprintf("%ds", p.ESPLifetime))
	// The marks tie the SA's policies to the VTI whose ikey/okey match.
	child.kv("mark_in", t.Mark)
	child.kv("mark_out", t.Mark)
	start, dpd, closed := actions(t)
	childOpt("start_action", start)
	childOpt("dpd_action", dpd)
	childOpt("close_action", closed)
	for _, o := range t.Options {
		if o.Section == compile.SectionChild && !isDefaulted(o.Key, false) {
			child.kv(o.Key, o.Value)
		}
	}
}

// actions are a child's start, DPD and close actions. A router initiates
// a tunnel to a peer at once and again whenever it drops. Of a tunnel
// between two routers only one end initiates (compile.Tunnel.Responder),
// so the two never build duplicate SAs: the responder loads the
// connection and waits, and does nothing when the SA goes (the initiator
// brings it back). The initiator also installs a trap policy: charon gives
// up an initiation that the other router refuses (as it does while it has
// not loaded the connection yet), and the trap initiates again on the next
// packet routed into the VTI, such as BGP's next connection attempt.
func actions(t *compile.Tunnel) (start, dpd, closed string) {
	switch {
	case t.Responder:
		return "none", "clear", "none"
	case t.RemoteIsRouter:
		return "trap|start", "restart", "start"
	default:
		return "start", "restart", "start"
	}
}

// isDefaulted reports whether a key is written above with its override, so
// the option loop does not write it twice.
func isDefaulted(key string, conn bool) bool {
	if conn {
		switch key {
		case "version", "proposals", "reauth_time", "dpd_timeout", "rekey_time", "dpd_delay", "keyingtries", "mobike", "local_id", "remote_id":
			return true
		}
		return false
	}
	switch key {
	case "esp_proposals", "rekey_time", "start_action", "dpd_action", "close_action":
		return true
	}
	return false
}

func renderSecrets(h *compile.Host) ([]byte, error) {
	s, err := Secrets(h)
	if err != nil {
		return nil, err
	}
	return text(h, s), nil
}

// Secrets is the secrets section of a router: the pre-shared key of each
// enabled tunnel (ike-NAME), or a comment where the key is unresolved.
func Secrets(h *compile.Host) (*Section, error) {
	s := &Section{Name: "secrets"}
	for _, t := range h.Tunnels {
		if !t.Enabled {
			continue
		}
		if !t.PSK.Resolved {
			// Diff mode renders without secrets; the marker never parses
			// as a key, so such a file cannot be installed by mistake.
			s.comment(fmt.Sprintf("ike-%s: pre-shared key %s unresolved", t.Name, t.PSK.Ref))
			continue
		}
		if len(t.PSK.Value) == 0 {
			return nil, fmt.Errorf("tunnel %s: empty pre-shared key", t.Name)
		}
		k := s.sub("ike-" + t.Name)
		k.kv("id-local", option(t, compile.SectionConn, "local_id", t.Local))
		k.kv("id-remote", option(t, compile.SectionConn, "remote_id", t.Remote))
		k.kv("secret", "0x"+hex.EncodeToString(t.PSK.Value))
	}
	return s, nil
}

func renderSettings(h *compile.Host) []byte {
	s := &Section{Name: "charon"}
	s.comment("The VTI devices and FRR own the routes; charon must not add its own.")
	s.kv("install_routes", "no")
	plugins := s.sub("plugins")
	plugins.comment("bypass-lan installs pass policies for local subnets, including each")
	plugins.comment("VTI's own inside network, so traffic to the far inside address would")
	plugins.comment("leave unencrypted and the VTI would drop it.")
	plugins.sub("bypass-lan").kv("load", "no")
	plugins.comment("A tunnel this router initiates to another router keeps a trap policy:")
	plugins.comment("after the other router refused an initiation, the next packet into the")
	plugins.comment("VTI initiates again once the kernel's acquire state expires, which")
	plugins.comment("charon would otherwise set to 165 s.")
	plugins.sub("kernel-netlink").kv("xfrm_acq_expires", acquireExpires)
	return text(h, s)
}

// acquireExpires is how long, in seconds, the kernel waits after an
// acquire before it sends the next one for the same trap policy: the
// kernel's own default. It also bounds the time between allocating an
// inbound SPI and installing its SA, which takes a second or two. It is
// written on every router, whatever its tunnels, so that adding or
// removing a tunnel never changes the snippet (which restarts charon).
const acquireExpires = 30
