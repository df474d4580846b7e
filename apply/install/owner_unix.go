//go:build unix

package install

import (
	"io/fs"
	"syscall"
)

// fileOwner is the owner and group of a file as stat reports them.
func fileOwner(fi fs.FileInfo) (uid, gid int, ok bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0, false
	}
	return int(st.Uid), int(st.Gid), true
}
