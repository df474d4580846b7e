package keepalived

import (
	"context"
	"sync"

	"github.com/vtic/vtic/internal/testkit/fakerec"
)

// Fake is an in-memory keepalived service: Start, Reload and Stop record
// "start", "reload" and "stop" and fail when a test injected that line;
// Active records nothing.
type Fake struct {
	fakerec.Recorder
	mu     sync.Mutex
	active bool
}

var _ Service = (*Fake)(nil)

// SetActive sets whether keepalived runs.
func (f *Fake) SetActive(active bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.active = active
}

func (f *Fake) Active(context.Context) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.active, nil
}

func (f *Fake) Start(context.Context) error {
	return f.Do("start", func() error { f.SetActive(true); return nil })
}

func (f *Fake) Reload(context.Context) error {
	return f.Do("reload", func() error { return nil })
}

func (f *Fake) Stop(context.Context) error {
	return f.Do("stop", func() error { f.SetActive(false); return nil })
}
