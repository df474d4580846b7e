package frrreload

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"

	"github.com/vtic/vtic/internal/testkit/fakerec"
)

// Fake is an in-memory FRR. Reload makes the config the daemon's running
// one (or FRR's whole one, for Integrated) and records "reload DAEMON" (or
// "reload integrated"); Restart records "restart" and makes the daemons
// asked for answer. Check and TestReload record nothing and fail only
// when a test injected "check" or "test-reload DAEMON" (or "test-reload
// integrated"). The embedded Recorder gives FailContaining, ClearFailures,
// Transcript and ResetTranscript; FailOn is its own.
type Fake struct {
	fakerec.Recorder
	mu      sync.Mutex
	running map[string][]byte
	daemons []string
}

var _ FRR = (*Fake)(nil)

// NewFake returns an FRR whose zebra, bgpd and staticd answer, with empty
// configurations.
func NewFake() *Fake {
	return &Fake{running: map[string][]byte{}, daemons: []string{"zebra", "bgpd", "staticd"}}
}

// fakeName is a daemon's name in the transcript and in State.
func fakeName(daemon string) string {
	if daemon == Integrated {
		return "integrated"
	}
	return daemon
}

// FailOn makes the next "reload DAEMON", "running DAEMON", "restart",
// "daemons", "check" or "test-reload DAEMON" fail with err, once: a
// reload that failed is retried by a rollback, which must be able to
// succeed.
func (f *Fake) FailOn(line string, err error) {
	f.FailOnce(line, err)
}

// SetDaemons sets the daemons that answer, as if the others had stopped.
func (f *Fake) SetDaemons(daemons ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.daemons = slices.Clone(daemons)
}

// State returns the running configuration of every daemon that has one,
// FRR's whole one as "integrated".
func (f *Fake) State() map[string]string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]string{}
	for d, c := range f.running {
		if len(c) > 0 {
			out[fakeName(d)] = string(c)
		}
	}
	return out
}

// Daemons lists the daemons that answer.
func (f *Fake) Daemons(context.Context) ([]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.Injected("daemons"); err != nil {
		return nil, fmt.Errorf("frr: list running daemons: %w", err)
	}
	return slices.Clone(f.daemons), nil
}

// Configured lists the daemons and "integrated" that have a configuration.
func (f *Fake) Configured() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for d := range maps.Keys(f.running) {
		out = append(out, fakeName(d))
	}
	slices.Sort(out)
	return out
}

func (f *Fake) Running(_ context.Context, daemon string) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.Injected("running " + fakeName(daemon)); err != nil {
		return nil, fmt.Errorf("frr: read running config of %s: %w", label(daemon), err)
	}
	return slices.Clone(f.running[daemon]), nil
}

func (f *Fake) Reload(_ context.Context, daemon string, config []byte) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	err := f.Do("reload "+fakeName(daemon), func() error {
		f.running[daemon] = slices.Clone(config)
		return nil
	})
	if err != nil {
		return fmt.Errorf("frr: reload %s: %w", label(daemon), err)
	}
	return nil
}

func (f *Fake) Check(context.Context, []byte) error {
	if err := f.Injected("check"); err != nil {
		return fmt.Errorf("frr: vtysh -C rejects the configuration: %w", err)
	}
	return nil
}

func (f *Fake) TestReload(_ context.Context, daemon string, _ []byte) error {
	if err := f.Injected("test-reload " + fakeName(daemon)); err != nil {
		return fmt.Errorf("frr: frr-reload.py --test of %s: %w", label(daemon), err)
	}
	return nil
}

// Restart records "restart"; afterwards zebra and the daemons in want
// answer (and watchfrr, if it did), as FRR's init starts what its daemons
// file enables and the caller asks for what it enabled there.
func (f *Fake) Restart(_ context.Context, want []string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	err := f.Do("restart", func() error {
		daemons := []string{"zebra"}
		if slices.Contains(f.daemons, "watchfrr") {
			daemons = append(daemons, "watchfrr")
		}
		for _, d := range want {
			if !slices.Contains(daemons, d) {
				daemons = append(daemons, d)
			}
		}
		f.daemons = daemons
		return nil
	})
	if err != nil {
		return fmt.Errorf("frr: restart FRR: %w", err)
	}
	return nil
}
