package buildout

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/vtic/vtic/targets"
	"github.com/vtic/vtic/targets/bundle"
)

// maxFile bounds a file read from a build; vtic writes configuration files
// of a few kilobytes per tunnel.
const maxFile = 64 << 20

// ErrNoManifest is the error of ReadRouter for a directory without a
// manifest, which is not a router's directory.
var ErrNoManifest = errors.New("no " + bundle.ManifestName)

// Router is one router's directory of a build.
type Router struct {
	Manifest *bundle.Manifest
	Files    []targets.File // in manifest order
}

// ReadRouter reads one router's directory of a build (OUT/NAME): its
// manifest, which must be host's, and every file it lists, nothing else.
// Each path must be one a
// renderer declares (bundle.CheckPath), and each file a regular file whose
// SHA-256 is the manifest's, so that a file changed or truncated since the
// build is refused.
func ReadRouter(dir, host string) (*Router, error) {
	data, err := os.ReadFile(filepath.Join(dir, bundle.ManifestName))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("build output %s: %w", dir, ErrNoManifest)
	}
	if err != nil {
		return nil, fmt.Errorf("build output %s: %w", dir, err)
	}
	m, err := bundle.DecodeManifest(data)
	if err != nil {
		return nil, fmt.Errorf("build output %s: %s: %w", dir, bundle.ManifestName, err)
	}
	if m.Host != host {
		return nil, fmt.Errorf("build output %s is for router %q, not %q", dir, m.Host, host)
	}
	r := &Router{Manifest: m}
	for _, e := range m.Files {
		if err := bundle.CheckPath(e.Path); err != nil {
			return nil, fmt.Errorf("build output %s: %w", dir, err)
		}
		p := filepath.Join(dir, filepath.FromSlash(e.Path))
		st, err := os.Lstat(p)
		if err != nil {
			return nil, fmt.Errorf("build output %s: %w", dir, err)
		}
		if !st.Mode().IsRegular() || st.Size() > maxFile {
			return nil, fmt.Errorf("build output %s: %s is not a regular file of at most %d bytes", dir, e.Path, maxFile)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("build output %s: %w", dir, err)
		}
		sum := sha256.Sum256(data)
		if got := hex.EncodeToString(sum[:]); got != e.SHA256 {
			return nil, fmt.Errorf("build output %s: %s has sha256 %s, the manifest says %s; rebuild it", dir, e.Path, got, e.SHA256)
		}
		r.Files = append(r.Files, targets.File{Path: e.Path, Mode: e.Mode, Data: data, Secret: e.Secret, Internal: e.Internal})
	}
	return r, nil
}
