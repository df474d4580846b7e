package install

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// Root is a directory files are installed under, "/" on a router.
type Root struct {
	dir string
	// chown is true when the process may give files away (euid 0).
	chown bool
}

// New returns the root at dir.
func New(dir string) *Root {
	return &Root{dir: dir, chown: os.Geteuid() == 0}
}

// Dir returns the root directory.
func (r *Root) Dir() string { return r.dir }

// Path returns the absolute path of rel, a slash-separated path relative to
// the root.
func (r *Root) Path(rel string) string {
	return filepath.Join(r.dir, filepath.FromSlash(rel))
}

// File is one file to install.
type File struct {
	Path   string // relative to the root, slash-separated
	Data   []byte
	Mode   fs.FileMode
	Secret bool // owned by root whatever its directory's owner
}

// Backup is what a path held before a change. Restore puts it back.
type Backup struct {
	Path    string
	Existed bool
	Data    []byte
	Mode    fs.FileMode
	UID     int
	GID     int
	// Dirs are directories the change created (outermost first), or
	// removed because they became empty (innermost first), relative to
	// the root and slash-separated like Path.
	Dirs []string
	// removedDirs is true when Dirs were removed rather than created.
	removedDirs bool
}

// checkRel refuses paths that would leave the root.
func checkRel(rel string) error {
	if rel == "" || !filepath.IsLocal(filepath.FromSlash(rel)) || strings.Contains(rel, `\`) ||
		path.Clean(rel) != rel {
		return fmt.Errorf("file %q: not a relative path inside the root", rel)
	}
	return nil
}

// Differs reports whether installing f would change anything: the bytes,
// the mode, or (for a secret, when running as root) the owner.
func (r *Root) Differs(f File) (bool, error) {
	cur, err := r.Read(f.Path)
	if err != nil {
		return false, err
	}
	return !cur.Existed || !bytes.Equal(cur.Data, f.Data) || cur.Mode != f.Mode.Perm() ||
		(f.Secret && r.chown && (cur.UID != 0 || cur.GID != 0)), nil
}
