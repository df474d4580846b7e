package review

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/vtic/vtic/internal/buildout"
	"github.com/vtic/vtic/targets/bundle"
)

// ReadBuildDir reads a directory written by `vtic build`: one directory per
// router holding its files and manifest (buildout.ReadRouter). The
// manifest says which files belong to the router, their modes and which
// are secret; nothing else in the directory is read. Tunnels are not
// compared for a build directory.
func ReadBuildDir(dir string) (Side, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return Side{}, fmt.Errorf("read build directory %s: %w", dir, err)
	}
	s := Side{Label: dir}
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
		s.Routers = append(s.Routers, Router{Name: r.Manifest.Host, Files: r.Files})
	}
	if len(s.Routers) == 0 {
		return Side{}, fmt.Errorf("build directory %s holds no router (no */%s); give a directory written by vtic build", dir, bundle.ManifestName)
	}
	sortRouters(s.Routers)
	return s, nil
}
