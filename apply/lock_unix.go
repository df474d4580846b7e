//go:build unix

package apply

import (
	"errors"
	"os"
	"syscall"
)

// tryLock takes f's flock(2) without waiting; busy means another process
// holds it.
func tryLock(f *os.File) (busy bool, err error) {
	err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return true, nil
	}
	return false, err
}
