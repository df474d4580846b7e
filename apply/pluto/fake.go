package pluto

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"

	"github.com/vtic/vtic/internal/testkit/fakerec"
)

// Fake is an in-memory pluto. Replace, Up, Delete and RereadSecrets record
// "replace NAME", "up NAME", "delete NAME" and "rereadsecrets"; Running
// and Check record nothing and fail when a test injected "running" or
// "check". The embedded Recorder gives FailOn, Transcript and the rest.
type Fake struct {
	fakerec.Recorder
	mu     sync.Mutex
	loaded map[string]bool
	Down   bool // pluto does not run
}

var _ Pluto = (*Fake)(nil)

// NewFake returns a running pluto with nothing loaded.
func NewFake() *Fake { return &Fake{loaded: map[string]bool{}} }

// Loaded returns the names of the loaded conns, sorted.
func (f *Fake) Loaded() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Sorted(maps.Keys(f.loaded))
}

func (f *Fake) Running(context.Context) error {
	if err := f.Injected("running"); err != nil {
		return err
	}
	if f.Down {
		return fmt.Errorf("%w (fake)", ErrNotRunning)
	}
	return nil
}

func (f *Fake) Check(_ context.Context, _ []byte) error { return f.Injected("check") }

func (f *Fake) Replace(_ context.Context, name string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.Do("replace "+name, func() error { f.loaded[name] = true; return nil })
}

func (f *Fake) Up(_ context.Context, name string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.Do("up "+name, func() error {
		if !f.loaded[name] {
			return fmt.Errorf("conn %s is not loaded", name)
		}
		return nil
	})
}

func (f *Fake) Delete(_ context.Context, name string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.Do("delete "+name, func() error { delete(f.loaded, name); return nil })
}

func (f *Fake) RereadSecrets(context.Context) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.Do("rereadsecrets", func() error { return nil })
}
