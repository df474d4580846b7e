package apply

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/vtic/vtic/apply/install"
)

// LockPath is the lock file, relative to the root: one apply at a time.
const LockPath = "run/vtic.lock"

// ErrLocked is wrapped by the error of an apply that found another running.
var ErrLocked = errors.New("another vtic apply is running")

// lock takes the apply lock. With wait it waits for the holder to finish
// (or ctx to end); without, it fails at once. The lock is flock(2)'s, so
// it is released when the process ends, however it ends.
func lock(ctx context.Context, root string, wait bool) (release func(), err error) {
	// Opened beneath the root without following links, like every file
	// apply touches there: a link must not make apply create or lock a
	// file elsewhere.
	r := install.New(root)
	p := r.Path(LockPath)
	f, err := r.OpenFile(LockPath)
	if err != nil {
		return nil, fmt.Errorf("lock: %w", err)
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
