// Package buildout writes and reads the output of `vtic build`: one
// directory per router holding its rendered files (plan included) and its
// manifest, and a marker file that lets a later build replace the whole
// directory. `vtic build` writes it; `vtic apply --from` and `vtic diff`
// read it back.
package buildout

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/vtic/vtic/compile"
	"github.com/vtic/vtic/targets"
	"github.com/vtic/vtic/targets/bundle"
)

// Marker marks a directory vtic built, so a later build may replace it
// and never replaces a directory holding anything else.
const Marker = ".vtic-build"

// Write renders the routers and writes them into out. Everything is
// written into a fresh sibling directory first and swapped in at the end,
// so a failure leaves out as it was. Each router is written by the worker
// that rendered it (bundle.RenderEach).
func Write(out string, hosts []*compile.Host) (routers, files int, err error) {
	if err := checkReplaceable(out); err != nil {
		return 0, 0, err
	}
	parent := filepath.Dir(filepath.Clean(out))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return 0, 0, fmt.Errorf("create %s: %w", parent, err)
	}
	tmp, err := os.MkdirTemp(parent, ".vtic-build-*")
	if err != nil {
		return 0, 0, fmt.Errorf("create output: %w", err)
	}
	defer os.RemoveAll(tmp)
	if err := os.Chmod(tmp, 0o755); err != nil {
		return 0, 0, err
	}
	w := &treeWriter{umask: umask()}
	counts := make([]int, len(hosts))
	err = bundle.RenderEach(hosts, func(i int, files []targets.File, m *bundle.Manifest) error {
		var err error
		counts[i], err = w.host(filepath.Join(tmp, hosts[i].Name), files, m)
		return err
	})
	if err != nil {
		return 0, 0, err
	}
	for _, n := range counts {
		files += n
	}
	if err := w.file(filepath.Join(tmp, Marker), []byte("built by vtic; `vtic build` replaces this directory\n"), 0o644); err != nil {
		return 0, 0, err
	}
	old := ""
	if _, err := os.Stat(out); err == nil {
		old = tmp + ".old"
		if err := os.Rename(out, old); err != nil {
			return 0, 0, fmt.Errorf("replace %s: %w", out, err)
		}
	}
	if err := os.Rename(tmp, out); err != nil {
		if old != "" {
			_ = os.Rename(old, out)
		}
		return 0, 0, fmt.Errorf("replace %s: %w", out, err)
	}
	if old != "" {
		if err := os.RemoveAll(old); err != nil {
			return 0, 0, err
		}
	}
	return len(hosts), files, nil
}

// treeWriter writes files whose modes must come out exactly as given.
type treeWriter struct {
	umask fs.FileMode
}

// host writes one router's files and manifest under root.
func (w *treeWriter) host(root string, files []targets.File, m *bundle.Manifest) (int, error) {
	made := map[string]bool{}
	for _, f := range files {
		path := filepath.Join(root, filepath.FromSlash(f.Path))
		if d := filepath.Dir(path); !made[d] {
			if err := os.MkdirAll(d, 0o755); err != nil {
				return 0, fmt.Errorf("create %s: %w", d, err)
			}
			made[d] = true
		}
		if err := w.file(path, f.Data, f.Mode); err != nil {
			return 0, err
		}
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return 0, fmt.Errorf("create %s: %w", root, err)
	}
	if err := w.file(filepath.Join(root, bundle.ManifestName), m.Encode(), 0o644); err != nil {
		return 0, err
	}
	return len(files), nil
}

// file writes a new file with exactly mode: the umask filters the mode
// given at creation, so a mode it would change is set again afterwards.
func (w *treeWriter) file(path string, data []byte, mode fs.FileMode) error {
	if err := os.WriteFile(path, data, mode); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if mode&w.umask != 0 {
		if err := os.Chmod(path, mode); err != nil {
			return fmt.Errorf("chmod %s: %w", path, err)
		}
	}
	return nil
}

// checkReplaceable allows out to be missing, empty, or an earlier build.
func checkReplaceable(out string) error {
	st, err := os.Stat(out)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("output %s: %w", out, err)
	}
	if !st.IsDir() {
		return fmt.Errorf("output %s exists and is not a directory", out)
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		return fmt.Errorf("output %s: %w", out, err)
	}
	if len(entries) == 0 {
		return nil
	}
	// Lstat: a marker that is a symbolic link could point at any file,
	// and says nothing about who made the directory.
	if st, err := os.Lstat(filepath.Join(out, Marker)); err != nil || !st.Mode().IsRegular() {
		return fmt.Errorf("output %s is not empty and was not made by vtic build; refusing to replace it (it holds no regular file %s)", out, Marker)
	}
	return nil
}
