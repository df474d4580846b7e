package libreswan

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/vtic/vtic/compile"
	"github.com/vtic/vtic/lang"
)

// Conn is one conn section of ipsec.conf: what apply loads into pluto
// under Name, and whose Text it compares to decide whether pluto must
// replace the conn.
type Conn struct {
	Name     string
	Comments []string
	Keys     []KV
}

// KV is one keyword=value line of a conn.
type KV struct{ Key, Value string }

// Text is the conn as ipsec.conf holds it.
func (c *Conn) Text() string {
	var b strings.Builder
	b.WriteString("conn " + c.Name + "\n")
	for _, l := range c.Comments {
		b.WriteString("\t# " + l + "\n")
	}
	for _, kv := range c.Keys {
		b.WriteString("\t" + kv.Key + "=" + kv.Value + "\n")
	}
	return b.String()
}

// Value returns the value of a keyword.
func (c *Conn) Value(key string) (string, bool) {
	for _, kv := range c.Keys {
		if kv.Key == key {
			return kv.Value, true
		}
	}
	return "", false
}

// set replaces a keyword's value, or appends it.
func (c *Conn) set(key, value string) {
	for i, kv := range c.Keys {
		if kv.Key == key {
			c.Keys[i].Value = value
			return
		}
	}
	c.Keys = append(c.Keys, KV{key, value})
}

// Conns returns the conn of every enabled tunnel of a router, in the
// plan's order (by name).
func Conns(h *compile.Host) ([]*Conn, error) {
	var out []*Conn
	for _, t := range h.Tunnels {
		if !t.Enabled {
			continue
		}
		c, err := conn(t)
		if err != nil {
			return nil, fmt.Errorf("tunnel %s: %w", t.Name, err)
		}
		out = append(out, c)
	}
	return out, nil
}

func allTS(t *compile.Tunnel) string {
	if t.Inside.Addr().Is4() {
		return "0.0.0.0/0"
	}
	return "::/0"
}

// ids are the identities of a tunnel's two ends: the outer addresses, or
// the local_id and remote_id options.
func ids(t *compile.Tunnel) (local, remote string) {
	local, remote = t.Local.String(), t.Remote.String()
	for _, o := range t.Options {
		switch {
		case o.Section == compile.SectionConn && o.Key == "local_id":
			local = lang.LibreswanID(o.Value)
		case o.Section == compile.SectionConn && o.Key == "remote_id":
			remote = lang.LibreswanID(o.Value)
		}
	}
	return local, remote
}

func seconds(n int) string { return strconv.Itoa(n) + "s" }

func conn(t *compile.Tunnel) (*Conn, error) {
	p := t.Preset
	c := &Conn{Name: t.Name}
	if t.Description != "" {
		c.Comments = append(c.Comments, t.Description)
	}
	local, remote := ids(t)
	c.set("left", t.Local.String())
	c.set("leftid", local)
	c.set("right", t.Remote.String())
	c.set("rightid", remote)
	c.set("leftsubnet", allTS(t))
	c.set("rightsubnet", allTS(t))
	c.set("authby", "secret")
	c.set("ikev2", map[bool]string{true: "yes", false: "no"}[p.IKEVersion != 1])
	ike, dropped := lang.LibreswanPreset(p.IKEProposals, true)
	if len(dropped) > 0 {
		c.Comments = append(c.Comments, "IKE proposals of the "+p.Provider+" preset libreswan 4 cannot offer: "+strings.Join(dropped, ","))
	}
	esp, dropped := lang.LibreswanPreset(p.ESPProposals, false)
	if len(dropped) > 0 {
		c.Comments = append(c.Comments, "ESP proposals of the "+p.Provider+" preset libreswan 4 cannot offer: "+strings.Join(dropped, ","))
	}
	c.set("ike", ike)
	c.set("esp", esp)
	pfs, _ := lang.LibreswanPFS(esp)
	c.set("pfs", map[bool]string{true: "yes", false: "no"}[pfs])
	c.set("ikelifetime", seconds(p.IKELifetime))
	c.set("salifetime", seconds(p.ESPLifetime))
	c.set("dpddelay", seconds(p.DPDDelay))
	if p.IKEVersion == 1 {
		// IKEv2 declares a peer dead when a DPD check's retransmissions
		// time out; dpdtimeout is IKEv1's.
		c.set("dpdtimeout", seconds(p.DPDTimeout))
	}
	c.set("dpdaction", map[bool]string{true: "clear", false: "restart"}[t.Responder])
	// Retry forever: a VPN router's tunnels must come back on their own.
	c.set("keyingtries", "%forever")
	// The mark ties the SA's policies to the VTI whose ikey/okey match.
	c.set("mark", fmt.Sprintf("%d/0xffffffff", t.Mark))
	c.set("vti-interface", t.Interface)
	c.set("vti-routing", "no")
	c.set("vti-shared", "no")
	// Of a tunnel between two routers only one end initiates (see
	// compile.Tunnel.Responder); the other loads the conn and waits.
	c.set("auto", map[bool]string{true: "add", false: "start"}[t.Responder])
	for _, o := range t.Options {
		if err := option(c, o); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// option writes one tunnel option in libreswan's terms, in place of vtic's
// default for the same keyword.
func option(c *Conn, o compile.Option) error {
	spec, ok := specOf(o)
	if !ok {
		return fmt.Errorf("option %s in section %s: not an option vtic knows", o.Key, o.Section)
	}
	ls, _ := lang.LookupLibreswanOption(spec.Key)
	if ls.Keyword == "" {
		return fmt.Errorf("option %s: libreswan has no equivalent: %s", spec.Key, ls.Why)
	}
	v := o.Value
	if ls.Values != nil {
		if v = ls.Values[o.Value]; v == "" {
			return fmt.Errorf("option %s: libreswan's %s has no equivalent of %q", spec.Key, ls.Keyword, o.Value)
		}
	}
	switch spec.Key {
	case "proposals", "esp_proposals":
		var err error
		if v, err = lang.LibreswanProposals(o.Value, spec.Key == "proposals"); err != nil {
			return fmt.Errorf("option %s: %w", spec.Key, err)
		}
		if spec.Key == "esp_proposals" {
			pfs, err := lang.LibreswanPFS(o.Value)
			if err != nil {
				return fmt.Errorf("option %s: %w", spec.Key, err)
			}
			c.set("pfs", map[bool]string{true: "yes", false: "no"}[pfs])
		}
	case "local_id", "remote_id":
		v = lang.LibreswanID(o.Value)
	}
	c.set(ls.Keyword, v)
	return nil
}

// specOf finds the site option a plan option came from: the plan holds
// swanctl's key, which is unique within its section.
func specOf(o compile.Option) (lang.OptionSpec, bool) {
	for _, s := range lang.OptionSpecs {
		if s.Section == o.Section && s.Swanctl == o.Key {
			return s, true
		}
	}
	return lang.OptionSpec{}, false
}
