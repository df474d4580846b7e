package apply

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// LockPath is the lock file, relative to the root: one apply at a time.
const LockPath = "run/vtic.lock"

// ErrLocked is wrapped by the error of an apply that found another running.
var ErrLocked = errors.New("another vtic apply is running")

// lock takes the apply lock. With wait it waits for the holder to finish
// (or ctx to end); without, it fails at once. The lock is flock(2)'s, so
// it is released when the process ends, however it ends.
func lock(ctx context.Context, root string, wait bool) (release func(), err error) {
	p := filepath.Join(root, filepath.FromSlash(LockPath))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return nil, fmt.Errorf("lock %s: %w", p, err)
	}
	f, err := os.OpenFile(p, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", p, err)
	}
	for {
		busy, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", p, err)
		}
		if !busy {
			return func() { f.Close() }, nil
		}
		if !wait {
			f.Close()
			return nil, fmt.Errorf("%w (%s is locked; use --wait to wait for it)", ErrLocked, p)
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("waiting for %s: %w", p, ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}
