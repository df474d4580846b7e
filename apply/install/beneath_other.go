//go:build !linux

package install

import (
	"errors"
	"os"
)

// errNotLinux: files are installed beneath the root with openat2(2), which
// only Linux has (see beneath_linux.go). vtic apply runs on Linux only;
// this keeps the package building elsewhere.
var errNotLinux = errors.New("installing files under a root needs Linux (openat2)")

func (r *Root) Read(rel string) (Backup, error)           { return Backup{Path: rel}, errNotLinux }
func (r *Root) Install(f File) (Backup, error)            { return Backup{Path: f.Path}, errNotLinux }
func (r *Root) OpenFile(rel string) (*os.File, error)     { return nil, errNotLinux }
func (r *Root) Remove(rel, stopAt string) (Backup, error) { return Backup{Path: rel}, errNotLinux }
func (r *Root) Restore(b Backup) error                    { return errNotLinux }
