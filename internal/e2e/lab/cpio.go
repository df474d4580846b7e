package lab

import (
	"fmt"
	"io"
	"io/fs"
)

// cpioWriter writes the "newc" (SVR4, no checksum) cpio format that the
// kernel unpacks an initramfs from. Only what an initramfs needs is
// supported: directories, regular files, symlinks and device nodes.
type cpioWriter struct {
	w   io.Writer
	ino uint32
	err error
}

// Mode type bits as stored in a cpio header (the traditional Unix values,
// which differ from Go's fs.FileMode bits).
const (
	cpioTypeMask = 0o170000
	cpioDir      = 0o040000
	cpioRegular  = 0o100000
	cpioSymlink  = 0o120000
	cpioCharDev  = 0o020000
)

func newCPIOWriter(w io.Writer) *cpioWriter { return &cpioWriter{w: w} }

// Dir adds a directory. Parents must be added before their children.
func (c *cpioWriter) Dir(name string, perm fs.FileMode) error {
	return c.entry(name, cpioDir|uint32(perm.Perm()), 0, 0, nil)
}

// File adds a regular file holding data.
func (c *cpioWriter) File(name string, perm fs.FileMode, data []byte) error {
	return c.entry(name, cpioRegular|uint32(perm.Perm()), 0, 0, data)
}

// Symlink adds a symbolic link; the target is stored as the file body.
func (c *cpioWriter) Symlink(name, target string) error {
	return c.entry(name, cpioSymlink|0o777, 0, 0, []byte(target))
}

// CharDev adds a character device node. Writing it here rather than with
// mknod lets an unprivileged build produce /dev/console, which the kernel
// opens for init's stdio before any devtmpfs exists.
func (c *cpioWriter) CharDev(name string, perm fs.FileMode, major, minor uint32) error {
	return c.entry(name, cpioCharDev|uint32(perm.Perm()), major, minor, nil)
}

// Close writes the trailer entry that ends the archive. It does not close
// the underlying writer.
func (c *cpioWriter) Close() error {
	if c.err != nil {
		return c.err
	}
	c.ino = 0
	return c.entry("TRAILER!!!", 0, 0, 0, nil)
}

func (c *cpioWriter) entry(name string, mode, rmajor, rminor uint32, data []byte) error {
	if c.err != nil {
		return c.err
	}
	nlink := uint32(1)
	if mode&cpioTypeMask == cpioDir {
		nlink = 2
	}
	ino := uint32(0)
	if name != "TRAILER!!!" {
		c.ino++
		ino = c.ino
	}
	// Fields: magic, ino, mode, uid, gid, nlink, mtime, filesize, devmajor,
	// devminor, rdevmajor, rdevminor, namesize (with its NUL), check.
	// mtime is 0 so that the same inputs give the same archive bytes.
	hdr := fmt.Sprintf("070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		ino, mode, 0, 0, nlink, 0, len(data), 0, 0, rmajor, rminor, len(name)+1, 0)
	c.write([]byte(hdr))
	c.write([]byte(name))
	c.write([]byte{0})
	c.pad(len(hdr) + len(name) + 1)
	c.write(data)
	c.pad(len(data))
	if c.err != nil {
		return fmt.Errorf("write cpio entry %s: %w", name, c.err)
	}
	return nil
}

// pad writes the NULs that align the next field to 4 bytes; both the
// header+name and the file body are aligned this way in newc.
func (c *cpioWriter) pad(n int) {
	if r := n % 4; r != 0 {
		c.write(make([]byte, 4-r))
	}
}

func (c *cpioWriter) write(b []byte) {
	if c.err != nil || len(b) == 0 {
		return
	}
	_, c.err = c.w.Write(b)
}
