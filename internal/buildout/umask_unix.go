//go:build unix

package buildout

import (
	"io/fs"
	"sync"
	"syscall"
)

var (
	umaskOnce  sync.Once
	umaskValue fs.FileMode
)

// umask is the process's file mode creation mask. Reading it means setting
// it, so it is read once, before any file is written.
func umask() fs.FileMode {
	umaskOnce.Do(func() {
		m := syscall.Umask(0)
		syscall.Umask(m)
		umaskValue = fs.FileMode(m)
	})
	return umaskValue
}
