package frrreload

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"
)

// Fake is an in-memory FRR: Reload makes the config the daemon's running
// one and records "reload DAEMON".
type Fake struct {
	mu      sync.Mutex
	running map[string][]byte
	lines   []string
	fails   map[string]error
}

var _ FRR = (*Fake)(nil)

// NewFake returns daemons with empty configurations.
func NewFake() *Fake {
	return &Fake{running: map[string][]byte{}, fails: map[string]error{}}
}

// FailOn makes the next "reload DAEMON" (or "running DAEMON") fail with
// err, once: a reload that failed is retried by a rollback, which must be
// able to succeed.
func (f *Fake) FailOn(line string, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fails[line] = err
}

// ClearFailures undoes FailOn.
func (f *Fake) ClearFailures() {
	f.mu.Lock()
	defer f.mu.Unlock()
	clear(f.fails)
}

// Transcript returns the reloads so far.
func (f *Fake) Transcript() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.lines)
}

// ResetTranscript forgets the reloads so far.
func (f *Fake) ResetTranscript() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lines = nil
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
	if err := f.fails["running "+daemon]; err != nil {
		delete(f.fails, "running "+daemon)
		return nil, fmt.Errorf("frr: read running config of %s: %w", daemon, err)
	}
	return slices.Clone(f.running[daemon]), nil
}

func (f *Fake) Reload(_ context.Context, daemon string, config []byte) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.fails["reload "+daemon]; err != nil {
		delete(f.fails, "reload "+daemon)
		return fmt.Errorf("frr: reload %s: %w", daemon, err)
	}
	f.running[daemon] = slices.Clone(config)
	f.lines = append(f.lines, "reload "+daemon)
	return nil
}
