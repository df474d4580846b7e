// Package vtiinit renders one vti.init per tunnel in the shell appliance's
// sourceable format, so existing tooling that reads those files keeps
// working. Every value is single-quoted; the file assigns variables and runs
// nothing.
package vtiinit

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/vtic/vtic/compile"
	"github.com/vtic/vtic/targets"
)

// Dir is where the per-tunnel files go: Dir/<tunnel>/vti.init.
const Dir = "etc/vtic/tunnels"

// Path returns the router path of a tunnel's vti.init.
func Path(tunnel string) string { return Dir + "/" + tunnel + "/vti.init" }

// Renderer renders the vti.init files.
type Renderer struct{}

var _ targets.Renderer = Renderer{}

func (Renderer) Name() string { return "vtiinit" }

func (Renderer) Paths() []string { return []string{Dir + "/"} }

func (Renderer) Render(h *compile.Host) ([]targets.File, error) {
	files := make([]targets.File, 0, len(h.Tunnels))
	for _, t := range h.Tunnels {
		files = append(files, targets.File{Path: Path(t.Name), Mode: 0o644, Data: render(h, t)})
	}
	return files, nil
}

// Quote makes s a single shell word that reads back as exactly s.
func Quote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func render(h *compile.Host, t *compile.Tunnel) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n# Tunnel %s.\n", targets.Header(h), t.Name)
	set := func(k string, v any) {
		s, ok := v.(string)
		if !ok {
			s = fmt.Sprint(v)
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(Quote(s))
		b.WriteByte('\n')
	}
	enabled := "yes"
	if !t.Enabled {
		enabled = "no"
	}
	set("VTI_NAME", t.Name)
	set("VTI_DESCRIPTION", t.Description)
	set("VTI_INTERFACE", t.Interface)
	set("VTI_ENABLED", enabled)
	set("VTI_MARK", t.Mark)
	set("VTI_MTU", t.MTU)
	set("VTI_MSS", t.MSS)
	set("VTI_OIP_LOCAL", t.Local)
	set("VTI_OIP_REMOTE", t.Remote)
	set("LOCAL_GW", addrOrEmpty(h.Gateway))
	set("VTI_LOCALADDR", t.Inside)
	set("VTI_REMOTEADDR", netip.PrefixFrom(t.RemoteInside, t.Inside.Bits()))
	if t.BGP != nil {
		set("VTI_BGP_LOCAL_AS", t.BGP.LocalASN)
		set("VTI_BGP_REMOTE_AS", t.BGP.RemoteASN)
		set("VTI_BGP_REMOTE_IP", t.BGP.Neighbor)
	}
	set("VTI_PROVIDER", t.Preset.Provider)
	return []byte(b.String())
}

func addrOrEmpty(a netip.Addr) string {
	if !a.IsValid() {
		return ""
	}
	return a.String()
}
