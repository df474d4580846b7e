// Package bundle runs every renderer for a router and adds the manifest, the
// list of files with their modes and, for files that are not secret, their
// SHA-256 sums, that apply installs from and diff compares.
package bundle

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"

	"github.com/vtic/vtic/compile"
	"github.com/vtic/vtic/targets"
	"github.com/vtic/vtic/targets/bird"
	"github.com/vtic/vtic/targets/frr"
	"github.com/vtic/vtic/targets/iptables"
	"github.com/vtic/vtic/targets/libreswan"
	"github.com/vtic/vtic/targets/plan"
	"github.com/vtic/vtic/targets/swanctl"
	"github.com/vtic/vtic/targets/vtiinit"
)

// ManifestName is the manifest's file name at the top of a router's output
// directory. It is not installed on the router.
const ManifestName = "manifest.json"

// Renderers lists every output format, in a fixed order. This list is
// the registry: a format added here is built, installed by apply (under
// the paths it declares) and compared by review.
var Renderers = []targets.Renderer{
	swanctl.Renderer{},
	libreswan.Renderer{},
	vtiinit.Renderer{},
	frr.Renderer{},
	bird.Renderer{},
	iptables.Renderer{},
	plan.Renderer{},
}

// Manifest describes a router's rendered files.
type Manifest struct {
	Host  string  `json:"host"`
	Files []Entry `json:"files"`
}

// Entry is one file of the manifest.
type Entry struct {
	Path string      `json:"path"`
	Mode fs.FileMode `json:"mode"`
	// SHA256 is the hex digest of a file's bytes, empty for a secret
	// file: the manifest is readable by anyone, and a digest of a key
	// would let them check guesses offline. A build's secret files are
	// checked by rendering them again from its plan instead
	// (buildout.ReadRouter).
	SHA256 string `json:"sha256,omitempty"`
	Secret bool   `json:"secret,omitempty"`
	// Internal is targets.File.Internal.
	Internal bool `json:"internal,omitempty"`
	// Repeats is targets.File.Repeats.
	Repeats string `json:"repeats,omitempty"`
}

// Render returns a router's files sorted by path, and its manifest.
func Render(h *compile.Host) ([]targets.File, *Manifest, error) {
	var files []targets.File
	for _, r := range Renderers {
		fs, err := r.Render(h)
		if err != nil {
			return nil, nil, fmt.Errorf("render %s for %s: %w", r.Name(), h.Name, err)
		}
		for _, f := range fs {
			if !targets.Covers(r.Paths(), f.Path) {
				return nil, nil, fmt.Errorf("render %s for %s: %s is not among the paths it declares", r.Name(), h.Name, f.Path)
			}
		}
		files = append(files, fs...)
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	m := &Manifest{Host: h.Name}
	for i, f := range files {
		if i > 0 && files[i-1].Path == f.Path {
			return nil, nil, fmt.Errorf("render %s: two renderers write %s", h.Name, f.Path)
		}
		e := Entry{Path: f.Path, Mode: f.Mode, Secret: f.Secret, Internal: f.Internal, Repeats: f.Repeats}
		if !f.Secret {
			sum := sha256.Sum256(f.Data)
			e.SHA256 = hex.EncodeToString(sum[:])
		}
		m.Files = append(m.Files, e)
	}
	return files, m, nil
}

// Encode renders the manifest as indented JSON with a final newline.
func (m *Manifest) Encode() []byte {
	b, _ := json.MarshalIndent(m, "", "  ")
	return append(b, '\n')
}
