package install

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"

	"golang.org/x/sys/unix"
)

// Every path under the root is opened with openat2(2) relative to a
// descriptor of the root, resolved beneath it and through no symbolic link
// at all (RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS, Linux 5.6 and later). A
// link planted under the root, as the file itself or as one of its
// directories, makes the call fail with ELOOP instead of leading vtic to
// write, read or remove a file elsewhere; and since the check is the
// kernel's, made during the lookup, a link swapped in after a check
// cannot slip through either. Once a file's directory is open, the file is
// created, renamed and removed by name relative to that descriptor
// (openat2, renameat, unlinkat), never by path again.
//
// os.Root was not enough: it keeps paths beneath the root but follows
// links that stay inside it, and a link inside the root is itself
// something apply must not follow (etc/frr -> var/tmp/x would install
// bgpd.conf where FRR never reads it, and a link to a file vtic does not
// own would be overwritten).
const resolveFlags = unix.RESOLVE_BENEATH | unix.RESOLVE_NO_SYMLINKS

// openat2 opens name relative to dir beneath it without following links,
// retrying the EAGAIN the kernel returns when a rename raced the lookup.
func openat2(dir int, name string, flags int, perm uint32) (int, error) {
	how := unix.OpenHow{Flags: uint64(flags | unix.O_CLOEXEC), Resolve: resolveFlags}
	if flags&unix.O_CREAT != 0 {
		how.Mode = uint64(perm)
	}
	for range 100 {
		fd, err := unix.Openat2(dir, name, &how)
		if err != unix.EAGAIN && err != unix.EINTR {
			return fd, err
		}
	}
	return -1, unix.EAGAIN
}

// fail wraps the error of an operation on rel, saying plainly when a
// symbolic link was in the way.
func (r *Root) fail(op, rel string, err error) error {
	switch {
	case errors.Is(err, unix.ELOOP):
		return fmt.Errorf("%s %s: a symbolic link is in the way, and vtic follows no symbolic link under the root %s: %w", op, r.Path(rel), r.dir, err)
	case errors.Is(err, unix.EXDEV):
		return fmt.Errorf("%s %s: leads outside the root %s: %w", op, r.Path(rel), r.dir, err)
	case errors.Is(err, unix.ENOSYS):
		return fmt.Errorf("%s %s: this kernel lacks openat2 (vtic apply needs Linux 5.6 or later): %w", op, r.Path(rel), err)
	}
	return fmt.Errorf("%s %s: %w", op, r.Path(rel), err)
}

// openRoot opens the root directory; create makes it first if missing.
// The root itself is the operator's choice and may be a link (/ on most
// systems is not, but --root may name one).
func (r *Root) openRoot(create bool) (int, error) {
	if create {
		if err := os.MkdirAll(r.dir, 0o755); err != nil {
			return -1, fmt.Errorf("create %s: %w", r.dir, err)
		}
	}
	fd, err := unix.Open(r.dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return -1, &fs.PathError{Op: "open", Path: r.dir, Err: err}
	}
	return fd, nil
}

// openDir opens an existing directory rel ("." for the root) beneath the
// root.
func (r *Root) openDir(rel string) (int, error) {
	root, err := r.openRoot(false)
	if err != nil || rel == "." {
		return root, err
	}
	defer unix.Close(root)
	return openat2(root, rel, unix.O_RDONLY|unix.O_DIRECTORY, 0)
}

// Read returns what path holds now, as a Backup.
func (r *Root) Read(rel string) (Backup, error) {
	b := Backup{Path: rel}
	if err := checkRel(rel); err != nil {
		return b, err
	}
	root, err := r.openRoot(false)
	if errors.Is(err, fs.ErrNotExist) {
		return b, nil
	}
	if err != nil {
		return b, fmt.Errorf("read %s: %w", r.Path(rel), err)
	}
	// O_NONBLOCK: opening a FIFO for reading would wait for a writer.
	fd, err := openat2(root, rel, unix.O_RDONLY|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_NOCTTY, 0)
	unix.Close(root)
	if errors.Is(err, fs.ErrNotExist) {
		return b, nil
	}
	if err != nil {
		return b, r.fail("read", rel, err)
	}
	f := os.NewFile(uintptr(fd), r.Path(rel))
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return b, fmt.Errorf("read %s: %w", r.Path(rel), err)
	}
	if !fi.Mode().IsRegular() {
		return b, fmt.Errorf("read %s: not a regular file (%s)", r.Path(rel), fi.Mode().Type())
	}
	data, err := io.ReadAll(f)
	if err != nil {
		return b, fmt.Errorf("read %s: %w", r.Path(rel), err)
	}
	b.Existed, b.Data, b.Mode = true, data, fi.Mode().Perm()
	if uid, gid, ok := fileOwner(fi); ok {
		b.UID, b.GID = uid, gid
	}
	return b, nil
}

// Install writes f atomically and returns what was there before.
func (r *Root) Install(f File) (Backup, error) {
	old, err := r.Read(f.Path)
	if err != nil {
		return old, err
	}
	dir, created, err := r.mkdirs(path.Dir(f.Path))
	old.Dirs = created
	if err != nil {
		return old, err
	}
	defer unix.Close(dir)
	uid, gid := old.UID, old.GID
	if !old.Existed {
		uid, gid = ownerOf(dir)
	}
	if f.Secret {
		uid, gid = 0, 0
	}
	if err := r.write(dir, f.Path, f.Data, f.Mode.Perm(), uid, gid); err != nil {
		r.removeDirs(created)
		old.Dirs = nil
		return old, err
	}
	return old, nil
}

// OpenFile opens rel for reading and writing beneath the root, creating it
// (mode 0644) and its directories if missing. It must be a regular file.
// The apply lock is taken on such a file.
func (r *Root) OpenFile(rel string) (*os.File, error) {
	if err := checkRel(rel); err != nil {
		return nil, err
	}
	dir, _, err := r.mkdirs(path.Dir(rel))
	if err != nil {
		return nil, err
	}
	defer unix.Close(dir)
	fd, err := openat2(dir, path.Base(rel), unix.O_RDWR|unix.O_CREAT|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_NOCTTY, 0o644)
	if err != nil {
		return nil, r.fail("open", rel, err)
	}
	f := os.NewFile(uintptr(fd), r.Path(rel))
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		f.Close()
		if err == nil {
			err = fmt.Errorf("not a regular file (%s)", fi.Mode().Type())
		}
		return nil, fmt.Errorf("open %s: %w", r.Path(rel), err)
	}
	return f, nil
}

// Remove deletes a file and then its parent directories that became empty,
// up to (not including) stopAt, a relative directory such as "etc/vtic".
// It returns what was there. A missing file is not an error.
func (r *Root) Remove(rel, stopAt string) (Backup, error) {
	old, err := r.Read(rel)
	if err != nil || !old.Existed {
		return old, err
	}
	dir, err := r.openDir(path.Dir(rel))
	if err != nil {
		return old, r.fail("remove", rel, err)
	}
	err = unix.Unlinkat(dir, path.Base(rel), 0)
	if err == nil {
		err = unix.Fsync(dir)
	}
	unix.Close(dir)
	if err != nil {
		return old, r.fail("remove", rel, err)
	}
	for d := path.Dir(rel); strings.HasPrefix(d, stopAt+"/"); d = path.Dir(d) {
		parent, err := r.openDir(path.Dir(d))
		if err != nil {
			break
		}
		if unix.Unlinkat(parent, path.Base(d), unix.AT_REMOVEDIR) != nil {
			unix.Close(parent)
			break // not empty, or not ours to remove
		}
		_ = unix.Fsync(parent)
		unix.Close(parent)
		old.Dirs = append(old.Dirs, d)
		old.removedDirs = true
	}
	return old, nil
}

// Restore puts a backup back: the old bytes, mode and owner, or no file if
// there was none, and removes directories the change created.
func (r *Root) Restore(b Backup) error {
	if err := checkRel(b.Path); err != nil {
		return err
	}
	if b.removedDirs && len(b.Dirs) > 0 {
		dir, _, err := r.mkdirs(b.Dirs[0]) // the innermost
		if err != nil {
			return fmt.Errorf("restore: %w", err)
		}
		unix.Close(dir)
	}
	dir, err := r.openDir(path.Dir(b.Path))
	switch {
	case b.Existed && err != nil:
		return r.fail("restore", b.Path, err)
	case b.Existed:
		err = r.write(dir, b.Path, b.Data, b.Mode, b.UID, b.GID)
		unix.Close(dir)
		if err != nil {
			return fmt.Errorf("restore: %w", err)
		}
	case errors.Is(err, fs.ErrNotExist):
		// Neither the file nor its directory is there.
	case err != nil:
		return r.fail("restore", b.Path, err)
	default:
		err = unix.Unlinkat(dir, path.Base(b.Path), 0)
		if err == nil {
			err = unix.Fsync(dir)
		}
		unix.Close(dir)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return r.fail("restore", b.Path, err)
		}
	}
	if !b.removedDirs {
		r.removeDirs(b.Dirs)
	}
	return nil
}

// mkdirs opens the directory rel ("." for the root) beneath the root,
// creating it and its missing parents (0755, owned like their parent), and
// returns its descriptor and the directories it created, outermost first.
// Each component is opened from the one before, without following links.
func (r *Root) mkdirs(rel string) (dir int, created []string, err error) {
	cur, err := r.openRoot(true)
	if err != nil {
		return -1, nil, err
	}
	if rel == "." {
		return cur, nil, nil
	}
	done := ""
	fail := func(err error) (int, []string, error) {
		unix.Close(cur)
		r.removeDirs(created)
		return -1, nil, r.fail("create", done, err)
	}
	for _, name := range strings.Split(rel, "/") {
		done = path.Join(done, name)
		next, err := openat2(cur, name, unix.O_RDONLY|unix.O_DIRECTORY, 0)
		if errors.Is(err, fs.ErrNotExist) {
			if err := unix.Mkdirat(cur, name, 0o755); err != nil {
				return fail(err)
			}
			created = append(created, done)
			if next, err = openat2(cur, name, unix.O_RDONLY|unix.O_DIRECTORY, 0); err != nil {
				return fail(err)
			}
			// Mkdirat's mode is filtered by the umask.
			_ = unix.Fchmod(next, 0o755)
			if r.chown {
				uid, gid := ownerOf(cur)
				_ = unix.Fchown(next, uid, gid)
			}
			if err := unix.Fsync(cur); err != nil {
				unix.Close(next)
				return fail(err)
			}
		} else if err != nil {
			return fail(err)
		}
		unix.Close(cur)
		cur = next
	}
	return cur, created, nil
}

// removeDirs removes directories created by mkdirs, innermost first, if
// they are empty.
func (r *Root) removeDirs(dirs []string) {
	for i := len(dirs) - 1; i >= 0; i-- {
		parent, err := r.openDir(path.Dir(dirs[i]))
		if err != nil {
			continue
		}
		if unix.Unlinkat(parent, path.Base(dirs[i]), unix.AT_REMOVEDIR) == nil {
			_ = unix.Fsync(parent)
		}
		unix.Close(parent)
	}
}

// write replaces rel, a file in the open directory dir, atomically with
// data, owned by uid:gid when the root chowns: a temporary file in the same
// directory gets its mode and owner before any data, is synced, and is
// renamed over the file; then the directory is synced.
func (r *Root) write(dir int, rel string, data []byte, mode fs.FileMode, uid, gid int) (err error) {
	name := path.Base(rel)
	var suffix [8]byte
	_, _ = rand.Read(suffix[:])
	tmp := "." + name + ".tmp-" + hex.EncodeToString(suffix[:])
	fd, err := openat2(dir, tmp, unix.O_WRONLY|unix.O_CREAT|unix.O_EXCL|unix.O_NOFOLLOW, 0o600)
	if err != nil {
		return r.fail("write", rel, err)
	}
	f := os.NewFile(uintptr(fd), r.Path(path.Join(path.Dir(rel), tmp)))
	defer func() {
		if err != nil {
			f.Close()
			_ = unix.Unlinkat(dir, tmp, 0)
		}
	}()
	// The mode and owner go on before the data, so a secret is never
	// readable by anyone else, not even while written.
	if err := f.Chmod(mode); err != nil {
		return fmt.Errorf("write %s: %w", r.Path(rel), err)
	}
	if r.chown {
		if err := f.Chown(uid, gid); err != nil {
			return fmt.Errorf("write %s: chown: %w", r.Path(rel), err)
		}
	}
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", r.Path(rel), err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("write %s: sync: %w", r.Path(rel), err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", r.Path(rel), err)
	}
	if err := unix.Renameat(dir, tmp, dir, name); err != nil {
		return r.fail("write", rel, err)
	}
	if err := unix.Fsync(dir); err != nil {
		return fmt.Errorf("sync %s: %w", r.Path(path.Dir(rel)), err)
	}
	return nil
}

// ownerOf returns the owner and group of an open file, or root's if
// unknown.
func ownerOf(fd int) (uid, gid int) {
	var st unix.Stat_t
	if unix.Fstat(fd, &st) != nil {
		return 0, 0
	}
	return int(st.Uid), int(st.Gid)
}
