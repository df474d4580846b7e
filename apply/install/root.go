package install

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/vtic/vtic/internal/atomicfile"
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
	// removed because they became empty (innermost first).
	Dirs []string
	// removedDirs is true when Dirs were removed rather than created.
	removedDirs bool
}

// checkRel refuses paths that would leave the root.
func checkRel(rel string) error {
	if rel == "" || !filepath.IsLocal(filepath.FromSlash(rel)) || strings.Contains(rel, `\`) {
		return fmt.Errorf("file %q: not a relative path inside the root", rel)
	}
	return nil
}

// Read returns what path holds now, as a Backup.
func (r *Root) Read(rel string) (Backup, error) {
	if err := checkRel(rel); err != nil {
		return Backup{}, err
	}
	b := Backup{Path: rel}
	p := r.Path(rel)
	fi, err := os.Lstat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return b, nil
	}
	if err != nil {
		return b, fmt.Errorf("read %s: %w", p, err)
	}
	if !fi.Mode().IsRegular() {
		return b, fmt.Errorf("read %s: not a regular file (%s)", p, fi.Mode().Type())
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return b, fmt.Errorf("read %s: %w", p, err)
	}
	b.Existed, b.Data, b.Mode = true, data, fi.Mode().Perm()
	if uid, gid, ok := fileOwner(fi); ok {
		b.UID, b.GID = uid, gid
	}
	return b, nil
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

// Install writes f atomically and returns what was there before.
func (r *Root) Install(f File) (Backup, error) {
	old, err := r.Read(f.Path)
	if err != nil {
		return old, err
	}
	uid, gid := old.UID, old.GID
	created, err := r.mkdirs(filepath.Dir(r.Path(f.Path)))
	old.Dirs = created
	if err != nil {
		return old, err
	}
	if !old.Existed {
		uid, gid = ownerOf(filepath.Dir(r.Path(f.Path)))
	}
	if f.Secret {
		uid, gid = 0, 0
	}
	if err := r.write(r.Path(f.Path), f.Data, f.Mode.Perm(), uid, gid); err != nil {
		r.removeDirs(created)
		old.Dirs = nil
		return old, err
	}
	return old, nil
}

// Remove deletes a file and then its parent directories that became empty,
// up to (not including) stopAt, a relative directory such as "etc/vtic".
// It returns what was there. A missing file is not an error.
func (r *Root) Remove(rel, stopAt string) (Backup, error) {
	old, err := r.Read(rel)
	if err != nil || !old.Existed {
		return old, err
	}
	p := r.Path(rel)
	if err := os.Remove(p); err != nil {
		return old, fmt.Errorf("remove %s: %w", p, err)
	}
	if err := syncDir(filepath.Dir(p)); err != nil {
		return old, err
	}
	stop := r.Path(stopAt)
	for dir := filepath.Dir(p); strings.HasPrefix(dir, stop+string(filepath.Separator)); dir = filepath.Dir(dir) {
		if os.Remove(dir) != nil {
			break // not empty, or not ours to remove
		}
		old.Dirs = append(old.Dirs, dir)
		old.removedDirs = true
	}
	if len(old.Dirs) > 0 {
		_ = syncDir(filepath.Dir(old.Dirs[len(old.Dirs)-1]))
	}
	return old, nil
}

// Restore puts a backup back: the old bytes, mode and owner, or no file if
// there was none, and removes directories the change created.
func (r *Root) Restore(b Backup) error {
	if err := checkRel(b.Path); err != nil {
		return err
	}
	p := r.Path(b.Path)
	if b.removedDirs {
		for i := len(b.Dirs) - 1; i >= 0; i-- {
			if err := os.Mkdir(b.Dirs[i], 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
				return fmt.Errorf("restore %s: %w", b.Dirs[i], err)
			}
		}
	}
	if b.Existed {
		if err := r.write(p, b.Data, b.Mode, b.UID, b.GID); err != nil {
			return fmt.Errorf("restore %s: %w", p, err)
		}
	} else {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("restore %s: %w", p, err)
		}
		if err := syncDir(filepath.Dir(p)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	if !b.removedDirs {
		r.removeDirs(b.Dirs)
	}
	return nil
}

// mkdirs creates dir and its missing parents (0755, owned like their
// parent) and returns those it created, outermost first.
func (r *Root) mkdirs(dir string) ([]string, error) {
	var missing []string
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(d); err == nil {
			break
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("create %s: %w", d, err)
		}
		missing = append(missing, d)
		if filepath.Dir(d) == d {
			break
		}
	}
	var created []string
	for i := len(missing) - 1; i >= 0; i-- {
		d := missing[i]
		if err := os.Mkdir(d, 0o755); err != nil {
			r.removeDirs(created)
			return nil, fmt.Errorf("create %s: %w", d, err)
		}
		created = append(created, d)
		// Mkdir's mode is filtered by the umask.
		_ = os.Chmod(d, 0o755)
		if r.chown {
			uid, gid := ownerOf(filepath.Dir(d))
			_ = os.Lchown(d, uid, gid)
		}
	}
	if len(created) > 0 {
		if err := syncDir(filepath.Dir(created[0])); err != nil {
			return created, err
		}
	}
	return created, nil
}

// removeDirs removes directories created by mkdirs, innermost first, if
// they are empty.
func (r *Root) removeDirs(dirs []string) {
	for i := len(dirs) - 1; i >= 0; i-- {
		_ = os.Remove(dirs[i])
	}
}

// write replaces path atomically with data, owned by uid:gid when the
// root chowns; the rename is made durable.
func (r *Root) write(path string, data []byte, mode fs.FileMode, uid, gid int) error {
	var own func(*os.File) error
	if r.chown {
		// The owner goes on before the data, like the mode, so a secret
		// is never readable by anyone else, not even while written.
		own = func(f *os.File) error {
			if err := f.Chown(uid, gid); err != nil {
				return fmt.Errorf("write %s: chown: %w", path, err)
			}
			return nil
		}
	}
	if err := atomicfile.WriteFileFunc(path, data, mode, own); err != nil {
		return err
	}
	return syncDir(filepath.Dir(path))
}

// syncDir makes a rename or removal in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}

// ownerOf returns the owner and group of path, or root's if unknown.
func ownerOf(path string) (uid, gid int) {
	fi, err := os.Stat(path)
	if err != nil {
		return 0, 0
	}
	uid, gid, _ = fileOwner(fi)
	return uid, gid
}
