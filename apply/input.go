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
	"github.com/vtic/vtic/targets/plan"
)

// Input is what a router should hold: its plan, which says what to
// converge (devices, routes, charon's connections), and the files rendered
// from it, which are installed as they are. The plan is also one of the
// files (plan.Path), so the router keeps the plan it was applied with.
type Input struct {
	Host  *compile.Host
	Files []targets.File
}

// FromHost renders a compiled router's files.
func FromHost(h *compile.Host) (Input, error) {
	files, _, err := bundle.Render(h)
	if err != nil {
		return Input{}, err
	}
	return Input{Host: h, Files: files}, nil
}

// FromBuild reads one router's directory of a `vtic build` output
// (OUT/NAME): its manifest.json and every file it lists, each checked
// against the manifest's SHA-256 so that a file changed or truncated since
// the build is refused, and the plan among them. host must match the
// manifest's and the plan's.
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
	var in Input
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
		in.Files = append(in.Files, targets.File{Path: e.Path, Mode: e.Mode, Data: data, Secret: e.Secret, Internal: e.Internal})
	}
	if in.Host, err = planOf(in.Files, host); err != nil {
		return Input{}, fmt.Errorf("build output %s: %w", dir, err)
	}
	if in.Host == nil {
		return Input{}, fmt.Errorf("build output %s has no plan (%s); rebuild it with this vtic", dir, plan.Path)
	}
	return in, nil
}

// planOf decodes the plan among a router's files, nil if there is none,
// and checks that it is host's.
func planOf(files []targets.File, host string) (*compile.Host, error) {
	for _, f := range files {
		if f.Path != plan.Path {
			continue
		}
		h, err := plan.Decode(f.Data)
		if err != nil {
			return nil, err
		}
		if h.Name != host {
			return nil, fmt.Errorf("%s is the plan of router %q, not %q", plan.Path, h.Name, host)
		}
		return h, nil
	}
	return nil, nil
}

// checkPath allows only clean relative paths that a renderer declares
// (bundle.InstallPaths), so that a damaged or hostile manifest or state
// file cannot make apply write or remove anything else.
func checkPath(p string) error {
	if !filepath.IsLocal(filepath.FromSlash(p)) || strings.Contains(p, `\`) || filepath.ToSlash(filepath.Clean(p)) != p {
		return fmt.Errorf("file %q: not a clean relative path", p)
	}
	if paths := bundle.InstallPaths(); !targets.Covers(paths, p) {
		return fmt.Errorf("file %q: outside the directories vtic installs into (%s)", p, strings.Join(paths, ", "))
	}
	return nil
}
