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

// conf writes strongswan.conf syntax with four-space indentation.
type conf struct {
	b     strings.Builder
	depth int
}

func (c *conf) open(name string) {
	c.line(name + " {")
	c.depth++
}

func (c *conf) close() {
	c.depth--
	c.line("}")
}

// kv writes "key = value", the value formatted as %v formats it. It and
// line write straight into the builder: a site's routers have thousands of
// these lines between them.
func (c *conf) kv(key string, value any) {
	c.indent()
	c.b.WriteString(key)
	c.b.WriteString(" = ")
	if s, ok := value.(string); ok {
		c.b.WriteString(s)
	} else {
		fmt.Fprint(&c.b, value)
	}
	c.b.WriteByte('\n')
}

func (c *conf) line(s string) {
	c.indent()
	c.b.WriteString(s)
	c.b.WriteByte('\n')
}

func (c *conf) indent() {
	for range c.depth {
		c.b.WriteString("    ")
	}
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

func renderConns(h *compile.Host) []byte {
	c := &conf{}
	c.line("# " + targets.Header(h))
	c.open("connections")
	for _, t := range h.Tunnels {
		if !t.Enabled {
			c.line("# " + t.Name + ": disabled in the site, not loaded")
			continue
		}
		writeConn(c, t)
	}
	c.close()
	return []byte(c.b.String())
}

func writeConn(c *conf, t *compile.Tunnel) {
	p := t.Preset
	conn := func(key string, def any) { c.kv(key, option(t, compile.SectionConn, key, def)) }
	child := func(key string, def any) { c.kv(key, option(t, compile.SectionChild, key, def)) }

	c.open(t.Name)
	if t.Description != "" {
		c.line("# " + t.Description)
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
	c.open("local")
	c.kv("auth", "psk")
	c.kv("id", option(t, compile.SectionConn, "local_id", t.Local))
	c.close()
	c.open("remote")
	c.kv("auth", "psk")
	c.kv("id", option(t, compile.SectionConn, "remote_id", t.Remote))
	c.close()
	c.open("children")
	c.open(t.Name)
	c.kv("local_ts", allTS(t))
	c.kv("remote_ts", allTS(t))
	child("esp_proposals", p.ESPProposals)
	child("rekey_time", fmt.Sprintf("%ds", p.ESPLifetime))
	// The marks tie the SA's policies to the VTI whose ikey/okey match.
	c.kv("mark_in", t.Mark)
	c.kv("mark_out", t.Mark)
	child("start_action", "start")
	child("dpd_action", "restart")
	child("close_action", "start")
	for _, o := range t.Options {
		if o.Section == compile.SectionChild && !isDefaulted(o.Key, false) {
			c.kv(o.Key, o.Value)
		}
	}
	c.close()
	c.close()
	c.close()
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
	c := &conf{}
	c.line("# " + targets.Header(h))
	c.open("secrets")
	for _, t := range h.Tunnels {
		if !t.Enabled {
			continue
		}
		if !t.PSK.Resolved {
			// Diff mode renders without secrets; the marker never parses
			// as a key, so such a file cannot be installed by mistake.
			c.line(fmt.Sprintf("# ike-%s: pre-shared key %s unresolved", t.Name, t.PSK.Ref))
			continue
		}
		if len(t.PSK.Value) == 0 {
			return nil, fmt.Errorf("tunnel %s: empty pre-shared key", t.Name)
		}
		c.open("ike-" + t.Name)
		c.kv("id-local", option(t, compile.SectionConn, "local_id", t.Local))
		c.kv("id-remote", option(t, compile.SectionConn, "remote_id", t.Remote))
		c.kv("secret", "0x"+hex.EncodeToString(t.PSK.Value))
		c.close()
	}
	c.close()
	return []byte(c.b.String()), nil
}

func renderSettings(h *compile.Host) []byte {
	c := &conf{}
	c.line("# " + targets.Header(h))
	c.open("charon")
	c.line("# The VTI devices and FRR own the routes; charon must not add its own.")
	c.kv("install_routes", "no")
	c.open("plugins")
	c.line("# bypass-lan installs pass policies for local subnets, including each")
	c.line("# VTI's own inside network, so traffic to the far inside address would")
	c.line("# leave unencrypted and the VTI would drop it.")
	c.open("bypass-lan")
	c.kv("load", "no")
	c.close()
	c.close()
	c.close()
	return []byte(c.b.String())
}
