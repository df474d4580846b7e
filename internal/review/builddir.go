package review

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/vtic/vtic/targets"
	"github.com/vtic/vtic/targets/bundle"
)

// maxBuildFile bounds a file read from a build directory; vtic writes
// configuration files of a few kilobytes.
const maxBuildFile = 16 << 20

// ReadBuildDir reads a directory written by `vtic build`: one directory per
// router holding its files and manifest. The manifest says which files
// belong to the router, their modes and which are secret; nothing else in
// the directory is read. A build directory has no plan, so tunnels are not
// compared.
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
		r, err := readRouter(filepath.Join(dir, e.Name()))
		if errors.Is(err, fs.ErrNotExist) && r == nil {
			continue // not a router's directory
		}
		if err != nil {
			return Side{}, err
		}
		if r.Name != e.Name() {
			return Side{}, fmt.Errorf("build directory %s: the manifest of %s is for router %q", dir, e.Name(), r.Name)
		}
		s.Routers = append(s.Routers, *r)
	}
	if len(s.Routers) == 0 {
		return Side{}, fmt.Errorf("build directory %s holds no router (no */%s); give a directory written by vtic build", dir, bundle.ManifestName)
	}
	sortRouters(s.Routers)
	return s, nil
}

// readRouter reads one router's directory. It returns a nil router and an
// fs.ErrNotExist error when the directory has no manifest.
func readRouter(dir string) (*Router, error) {
	b, err := os.ReadFile(filepath.Join(dir, bundle.ManifestName))
	if err != nil {
		return nil, err
	}
	var m bundle.Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return &Router{}, fmt.Errorf("read manifest %s: %w", filepath.Join(dir, bundle.ManifestName), err)
	}
	r := &Router{Name: m.Host}
	for _, e := range m.Files {
		if !filepath.IsLocal(filepath.FromSlash(e.Path)) || e.Path == bundle.ManifestName {
			return r, fmt.Errorf("manifest %s: file path %q is not inside the router's directory", filepath.Join(dir, bundle.ManifestName), e.Path)
		}
		p := filepath.Join(dir, filepath.FromSlash(e.Path))
		st, err := os.Lstat(p)
		if err != nil {
			return r, fmt.Errorf("router %s: %w", m.Host, err)
		}
		if !st.Mode().IsRegular() || st.Size() > maxBuildFile {
			return r, fmt.Errorf("router %s: %s is not a regular file of at most %d bytes", m.Host, p, maxBuildFile)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return r, fmt.Errorf("router %s: %w", m.Host, err)
		}
		r.Files = append(r.Files, targets.File{Path: e.Path, Mode: e.Mode, Data: data, Secret: e.Secret, Internal: e.Internal})
	}
	return r, nil
}
