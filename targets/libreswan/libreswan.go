package libreswan

import (
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/vtic/vtic/compile"
	"github.com/vtic/vtic/targets"
)

// Paths of the files this renderer writes, relative to the router's root.
const (
	ConnsPath   = "etc/ipsec.d/vtic.conf"
	SecretsPath = "etc/ipsec.d/vtic.secrets"
)

// Renderer renders the libreswan files of a router that runs libreswan,
// and nothing for one that runs strongSwan.
type Renderer struct{}

var _ targets.Renderer = Renderer{}

func (Renderer) Name() string { return "libreswan" }

func (Renderer) Paths() []string { return []string{ConnsPath, SecretsPath} }

func (Renderer) Render(h *compile.Host) ([]targets.File, error) {
	if !h.UsesLibreswan() {
		return nil, nil
	}
	conns, err := Conns(h)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	b.WriteString("# " + targets.Header(h) + "\n")
	for _, t := range h.Tunnels {
		if !t.Enabled {
			b.WriteString("\n# " + t.Name + ": disabled in the site, not loaded\n")
		}
	}
	for _, c := range conns {
		b.WriteString("\n")
		b.WriteString(c.Text())
	}
	secrets, err := renderSecrets(h)
	if err != nil {
		return nil, err
	}
	return []targets.File{
		{Path: ConnsPath, Mode: 0o644, Data: []byte(b.String())},
		{Path: SecretsPath, Mode: 0o600, Data: secrets, Secret: true},
	}, nil
}

// renderSecrets writes one PSK line per enabled tunnel, between the two
// identities of its conn. The key is written base64-encoded ("0s…"), so no
// byte of it can end the string or the line.
func renderSecrets(h *compile.Host) ([]byte, error) {
	var b strings.Builder
	b.WriteString("# " + targets.Header(h) + "\n")
	for _, t := range h.Tunnels {
		if !t.Enabled {
			continue
		}
		if !t.PSK.Resolved {
			// Diff mode renders without secrets; a comment never parses
			// as a key, so such a file cannot authenticate by mistake.
			fmt.Fprintf(&b, "# %s: pre-shared key %s unresolved\n", t.Name, t.PSK.Ref)
			continue
		}
		if len(t.PSK.Value) == 0 {
			return nil, fmt.Errorf("tunnel %s: empty pre-shared key", t.Name)
		}
		local, remote := ids(t)
		fmt.Fprintf(&b, "%s %s : PSK 0s%s\n", local, remote, base64.StdEncoding.EncodeToString(t.PSK.Value))
	}
	return []byte(b.String()), nil
}
