package apply

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/vtic/vtic/compile"
	"github.com/vtic/vtic/internal/buildout"
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
// (OUT/NAME) with buildout.ReadRouter: the files its manifest lists, the
// plan among them, checked against what this vtic renders from that plan.
// Modes and the secret flag come from the renderers, never from the
// manifest. host must match the manifest's and the plan's.
func FromBuild(dir, host string) (Input, error) {
	r, err := buildout.ReadRouter(dir, host)
	if err != nil {
		return Input{}, err
	}
	if r.Host == nil {
		// Without a plan, neither the devices to converge nor the modes
		// of the files can be known.
		return Input{}, fmt.Errorf("build output %s has no plan (%s); rebuild it with this vtic", dir, plan.Path)
	}
	return Input{Host: r.Host, Files: r.Files}, nil
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

// checkPath accepts only paths a renderer declares.
func checkPath(p string) error { return bundle.CheckPath(p) }

// ownedDirs are the directories any vtic release has installed into. A
// file the state file records may be removed from them even when no
// renderer declares it any more (a target dropped or moved by an
// upgrade); anywhere else the state file is not trusted to name a file.
var ownedDirs = []string{"etc/swanctl/conf.d/", "etc/strongswan.d/", "etc/frr/", "etc/vtic/"}

// checkRemovable accepts the paths apply may remove: those a renderer
// declares, and files under ownedDirs.
func checkRemovable(p string) error {
	err := checkPath(p)
	if err == nil || !targets.Covers(ownedDirs, p) || !filepath.IsLocal(filepath.FromSlash(p)) ||
		filepath.ToSlash(filepath.Clean(p)) != p || strings.Contains(p, `\`) {
		return err
	}
	return nil
}
