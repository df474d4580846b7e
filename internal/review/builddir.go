package review

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/vtic/vtic/compile"
	"github.com/vtic/vtic/internal/buildout"
	"github.com/vtic/vtic/targets/bundle"
	"github.com/vtic/vtic/targets/plan"
)

// ReadBuildDir reads a directory written by `vtic build`: one directory per
// router holding its files and manifest (buildout.ReadRouter). The
// manifest says which files belong to the router, their modes and which
// are secret; nothing else in the directory is read. Each router's plan
// (plan.Path, one of its files) gives its tunnels, which are then compared
// as for a site. A build by an older vtic has no plans: the side's
// HasPlan is false and its tunnels are unknown.
func ReadBuildDir(dir string) (Side, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return Side{}, fmt.Errorf("read build directory %s: %w", dir, err)
	}
	s := Side{Label: dir, HasPlan: true}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		// A router's directory has its name.
		r, err := buildout.ReadRouter(filepath.Join(dir, e.Name()), e.Name())
		if errors.Is(err, buildout.ErrNoManifest) {
			continue // not a router's directory
		}
		if err != nil {
			return Side{}, err
		}
		rt := Router{Name: r.Manifest.Host, Files: r.Files}
		h, err := routerPlan(r)
		if err != nil {
			return Side{}, fmt.Errorf("build output %s: %w", filepath.Join(dir, e.Name()), err)
		}
		if h == nil {
			s.HasPlan = false
		} else {
			rt.Tunnels = h.Tunnels
		}
		s.Routers = append(s.Routers, rt)
	}
	if len(s.Routers) == 0 {
		return Side{}, fmt.Errorf("build directory %s holds no router (no */%s); give a directory written by vtic build", dir, bundle.ManifestName)
	}
	if !s.HasPlan {
		// Tunnels from some routers only would show the others' as
		// added or removed.
		for i := range s.Routers {
			s.Routers[i].Tunnels = nil
		}
	}
	sortRouters(s.Routers)
	return s, nil
}

// routerPlan decodes the plan among a router's files, or returns nil when
// there is none.
func routerPlan(r *buildout.Router) (*compile.Host, error) {
	for _, f := range r.Files {
		if f.Path != plan.Path {
			continue
		}
		h, err := plan.Decode(f.Data)
		if err != nil {
			return nil, err
		}
		if h.Name != r.Manifest.Host {
			return nil, fmt.Errorf("%s is for router %q, not %q", plan.Path, h.Name, r.Manifest.Host)
		}
		return h, nil
	}
	return nil, nil
}
