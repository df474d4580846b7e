package birdc

import (
	"context"
	"fmt"

	"github.com/vtic/vtic/internal/testkit/fakerec"
)

// Fake is an in-memory BIRD. Configure records "configure"; Running and
// Check record nothing and fail when a test injected "running" or
// "check". The embedded Recorder gives FailOn, Transcript and the rest.
type Fake struct {
	fakerec.Recorder
	Down bool // BIRD does not run
}

var _ Bird = (*Fake)(nil)

func (f *Fake) Running(context.Context) error {
	if err := f.Injected("running"); err != nil {
		return err
	}
	if f.Down {
		return fmt.Errorf("%w (fake)", ErrNotRunning)
	}
	return nil
}

func (f *Fake) Check(context.Context, []byte) error { return f.Injected("check") }

func (f *Fake) Configure(context.Context) error {
	return f.Do("configure", func() error { return nil })
}
