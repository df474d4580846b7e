package apply

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/vtic/vtic/compile"
	"github.com/vtic/vtic/targets"
	"github.com/vtic/vtic/targets/bundle"
)

// Input is what a router should hold: its rendered files.
type Input struct {
	Host  string
	Files []targets.File
}

// FromHost renders a compiled router's files.
func FromHost(h *compile.Host) (Input, error) {
	files, _, err := bundle.Render(h)
	if err != nil {
		return Input{}, err
	}
	return Input{Host: h.Name, Files: files}, nil
}

// FromBuild reads one router's directory of a `vtic build` output
// (OUT/NAME): its manifest.json and every file it lists, each checked
// against the manifest's SHA-256 so that a file changed or truncated since
// the build is refused. host must match the manifest's.
func FromBuild(dir, host string) (Input, error) {
	data, err := os.ReadFile(filepath.Join(dir, bundle.ManifestName))
	if err != nil {
		return Input{}, fmt.Errorf("build output %s: %w", dir, err)
	}
	m, err := bundle.DecodeManifest(data)
	if err != nil {
		return Input{}, fmt.Errorf("build output %s: %s: %w", dir, bundle.ManifestName, err)
	}
	if m.Host != host {
		return Input{}, fmt.Errorf("build output %s is for router %q, not %q", dir, m.Host, host)
	}
	in := Input{Host: m.Host}
	for _, e := range m.Files {
		if err := checkPath(e.Path); err != nil {
			return Input{}, fmt.Errorf("build output %s: %w", dir, err)
		}
		p := filepath.Join(dir, filepath.FromSlash(e.Path))
		data, err := os.ReadFile(p)
		if err != nil {
			return Input{}, fmt.Errorf("build output %s: %w", dir, err)
		}
		sum := sha256.Sum256(data)
		if got := hex.EncodeToString(sum[:]); got != e.SHA256 {
			return Input{}, fmt.Errorf("build output %s: %s has sha256 %s, the manifest says %s; rebuild it", dir, e.Path, got, e.SHA256)
		}
		in.Files = append(in.Files, targets.File{Path: e.Path, Mode: e.Mode, Data: data, Secret: e.Secret})
	}
	return in, nil
}

// installDirs are the only places apply writes a router's files, so that
// a damaged or hostile manifest cannot overwrite anything else.
var installDirs = []string{"etc/swanctl/conf.d/", "etc/strongswan.d/", "etc/frr/", "etc/vtic/"}

func checkPath(p string) error {
	if !filepath.IsLocal(filepath.FromSlash(p)) || strings.Contains(p, `\`) || filepath.ToSlash(filepath.Clean(p)) != p {
		return fmt.Errorf("file %q: not a clean relative path", p)
	}
	for _, d := range installDirs {
		if strings.HasPrefix(p, d) {
			return nil
		}
	}
	return fmt.Errorf("file %q: outside the directories vtic installs into (%s)", p, strings.Join(installDirs, ", "))
}
