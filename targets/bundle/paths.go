package bundle

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/vtic/vtic/targets"
)

// InstallPaths lists every path the renderers declare (see
// targets.Renderer.Paths): the only places a build holds files and apply
// writes.
func InstallPaths() []string {
	var out []string
	for _, r := range Renderers {
		out = append(out, r.Paths()...)
	}
	return out
}

// CheckPath accepts only a clean relative path that a renderer declares,
// so that a damaged or hostile manifest or state file cannot make vtic
// read, write or remove anything else.
func CheckPath(p string) error {
	if err := CheckClean(p); err != nil {
		return err
	}
	if paths := InstallPaths(); !targets.Covers(paths, p) {
		return fmt.Errorf("file %q: outside the directories vtic installs into (%s)", p, strings.Join(paths, ", "))
	}
	return nil
}

// CheckClean accepts only a clean relative path with forward slashes that
// stays below the directory it is relative to.
func CheckClean(p string) error {
	if !filepath.IsLocal(filepath.FromSlash(p)) || strings.Contains(p, `\`) || filepath.ToSlash(filepath.Clean(p)) != p {
		return fmt.Errorf("file %q: not a clean relative path", p)
	}
	return nil
}
