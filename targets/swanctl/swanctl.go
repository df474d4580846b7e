package swanctl

import (
	"encoding/hex"
	"fmt"
	"strconv"
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

func (Renderer) Paths() []string {
	return []string{ConnsPath, SecretsPath, SettingsPath, CertPath, KeyPath, CADir}
}

// Render renders nothing for a router that runs libreswan instead.
func (Renderer) Render(h *compile.Host) ([]targets.File, error) {
	if h.UsesLibreswan() {
		return nil, nil
	}
	secrets, err := renderSecrets(h)
	if err != nil {
		return nil, err
	}
	creds, err := renderCreds(h)
	if err != nil {
		return nil, err
	}
	return append([]targets.File{
		{Path: ConnsPath, Mode: 0o644, Data: renderConns(h)},
		{Path: SecretsPath, Mode: 0o600, Data: secrets, Secret: true},
		{Path: SettingsPath, Mode: 0o644, Data: renderSettings(h)},
	}, creds...), nil
}

func allTS(t *compile.Tunnel) string {
	if t.Inside.Addr().Is4() {
		return "0.0.0.0/0"
	}
	return "::/0"
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
// enabled tunnel, and a comment for each disabled one. It is empty for a
// router that runs libreswan: charon holds nothing of it.
func Connections(h *compile.Host) *Section {
	s := &Section{Name: "connections"}
	if h.UsesLibreswan() {
		return s
	}
	for _, t := range h.Tunnels {
		if !t.Enabled {
			s.comment(t.Name + ": disabled in the site, not loaded")
			continue
		}
		writeConn(s.sub(t.Name), h, t)
	}
	return s
}

func writeConn(c *Section, h *compile.Host, t *compile.Tunnel) {
	p := t.Preset
	conn := newOptions(t, compile.SectionConn)
	version := p.IKEVersion
	if v, ok := conn.value("version"); ok {
		version, _ = strconv.Atoi(v) // lang allows 0, 1 and 2 only
	}

	if t.Description != "" {
		c.comment(t.Description)
	}
	conn.kv(c, "version", p.IKEVersion)
	c.kv("local_addrs", t.Local)
	c.kv("remote_addrs", t.Remote)
	conn.kv(c, "proposals", p.IKEProposals)
	if version == 1 {
		// IKEv1 cannot rekey an IKE SA; it reauthenticates instead.
		conn.kv(c, "reauth_time", fmt.Sprintf("%ds", p.IKELifetime))
		conn.kv(c, "dpd_timeout", fmt.Sprintf("%ds", p.DPDTimeout))
	} else {
		conn.kv(c, "rekey_time", fmt.Sprintf("%ds", p.IKELifetime))
	}
	conn.kv(c, "dpd_delay", fmt.Sprintf("%ds", p.DPDDelay))
	// Retry forever: a VPN router's tunnels must come back on their own.
	conn.kv(c, "keyingtries", 0)
	conn.kv(c, "mobike", "no")
	// The identities live in the authentication rounds, not as keys of
	// the connection.
	localID, remoteID := identities(t, conn)
	// Then every option the user set that vtic has no default for.
	conn.rest(c)
	local := c.sub("local")
	remote := c.sub("remote")
	if t.Pubkey {
		// The certificate and the authorities are file names under
		// /etc/swanctl/x509 and x509ca (CertFiles); cacerts limits the
		// far end to certificates the site's authorities issued.
		local.kv("auth", "pubkey")
		local.kv("certs", CertName)
		local.kv("id", localID)
		remote.kv("auth", "pubkey")
		remote.kv("id", remoteID)
		remote.kv("cacerts", strings.Join(caFileNames(h), ","))
	} else {
		local.kv("auth", "psk")
		local.kv("id", localID)
		remote.kv("auth", "psk")
		remote.kv("id", remoteID)
	}

	child := c.sub("children").sub(t.Name)
	childOpt := newOptions(t, compile.SectionChild)
	child.kv("local_ts", allTS(t))
	child.kv("remote_ts", allTS(t))
	childOpt.kv(child, "esp_proposals", p.ESPProposals)
	childOpt.kv(child, "rekey_time", fmt.Sprintf("%ds", p.ESPLifetime))
	// The marks tie the SA's policies to the VTI whose ikey/okey match.
	child.kv("mark_in", t.Mark)
	child.kv("mark_out", t.Mark)
	start, dpd, closed := actions(t)
	childOpt.kv(child, "start_action", start)
	childOpt.kv(child, "dpd_action", dpd)
	childOpt.kv(child, "close_action", closed)
	childOpt.rest(child)
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
	if h.UsesLibreswan() {
		return s, nil
	}
	for _, t := range h.Tunnels {
		if !t.Enabled {
			continue
		}
		if t.Pubkey {
			continue // certificates: the key is a file of its own
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
		localID, remoteID := identities(t, newOptions(t, compile.SectionConn))
		k.kv("id-local", localID)
		k.kv("id-remote", remoteID)
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
