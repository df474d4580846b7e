package frrreload

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"

	"github.com/vtic/vtic/internal/testkit/fakerec"
)

// Fake is an in-memory FRR: Reload makes the config the daemon's running
// one and records "reload DAEMON". The embedded Recorder gives
// ClearFailures, Transcript and ResetTranscript; FailOn is its own.
type Fake struct {
	fakerec.Recorder
	mu      sync.Mutex
	running map[string][]byte
}

var _ FRR = (*Fake)(nil)

// NewFake returns daemons with empty configurations.
func NewFake() *Fake {
	return &Fake{running: map[string][]byte{}}
}

// FailOn makes the next "reload DAEMON" (or "running DAEMON") fail with
// err, once: a reload that failed is retried by a rollback, which must be
// able to succeed.
func (f *Fake) FailOn(line string, err error) {
	f.FailOnce(line, err)
}

// State returns the running configuration of every daemon that has one.
func (f *Fake) State() map[string]string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]string{}
	for d, c := range f.running {
		if len(c) > 0 {
			out[d] = string(c)
		}
	}
	return out
}

// Daemons lists the daemons that have a configuration.
func (f *Fake) Daemons() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Sorted(maps.Keys(f.running))
}

func (f *Fake) Running(_ context.Context, daemon string) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.Injected("running " + daemon); err != nil {
		return nil, fmt.Errorf("frr: read running config of %s: %w", daemon, err)
	}
	return slices.Clone(f.running[daemon]), nil
}

func (f *Fake) Reload(_ context.Context, daemon string, config []byte) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	err := f.Do("reload "+daemon, func() error {
		f.running[daemon] = slices.Clone(config)
		return nil
	})
	if err != nil {
		return fmt.Errorf("frr: reload %s: %w", daemon, err)
	}
	return nil
}
