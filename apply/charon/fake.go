package charon

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/vtic/vtic/internal/testkit/fakerec"
)

// Fake is an in-memory charon for tests. It keeps the loaded connections
// and secrets by name with their hashes, and records every write as a line
// ("load-conn t1", "unload-conn t1", "load-shared ike-t1",
// "unload-shared ike-t1", "restart", "start"). The embedded Recorder gives FailOn
// (a rule "load-conn t1" fails that write, not "load-conn t10"),
// ClearFailures, Transcript and ResetTranscript.
type Fake struct {
	fakerec.Recorder
	mu     sync.Mutex
	conns  map[string]string // name -> Conn.Hash
	shared map[string]string // id -> Secret.Hash
	down   bool
	// LoadOnRestart, if set, is loaded after every restart and start, as
	// Debian's strongswan.service does with swanctl --load-all.
	LoadOnRestart func() ([]Conn, []Secret)
	// CannotStart, if set, is HowToStart's error: the router has no way
	// to start charon.
	CannotStart error
}

// FakeHowToStart is what a Fake's HowToStart says.
const FakeHowToStart = "systemctl start strongswan"

var _ Charon = (*Fake)(nil)

// NewFake returns a running charon with nothing loaded.
func NewFake() *Fake {
	return &Fake{conns: map[string]string{}, shared: map[string]string{}}
}

// ErrDown is returned by a Fake that is not running.
var ErrDown = fmt.Errorf("%w: connect to charon: connection refused", ErrNotRunning)

// SetDown stops (or starts) the fake: a stopped one fails every call but
// Restart and Start, which start it with nothing loaded (or what
// LoadOnRestart gives).
func (f *Fake) SetDown(down bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.down = down
	if down {
		clear(f.conns)
		clear(f.shared)
	}
}

// Loaded returns the loaded connections and secrets with their hashes.
func (f *Fake) Loaded() (conns, shared map[string]string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return maps.Clone(f.conns), maps.Clone(f.shared)
}

// Put loads a connection or secret without recording it, as if something
// else had loaded it.
func (f *Fake) Put(conns []Conn, secrets []Secret) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, c := range conns {
		f.conns[c.Name] = c.Hash
	}
	for _, s := range secrets {
		f.shared[s.ID] = s.Hash
	}
}

func (f *Fake) write(line string, do func()) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.down && line != "restart" && line != "start" {
		return ErrDown
	}
	err := f.Do(line, func() error { do(); return nil })
	if err != nil {
		return fmt.Errorf("charon %s: %w", line, err)
	}
	return nil
}

func (f *Fake) read() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.down {
		return ErrDown
	}
	return nil
}

func (f *Fake) Conns(context.Context) ([]string, error) {
	if err := f.read(); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Sorted(maps.Keys(f.conns)), nil
}

func (f *Fake) Shared(context.Context) ([]string, error) {
	if err := f.read(); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Sorted(maps.Keys(f.shared)), nil
}

func (f *Fake) LoadConn(_ context.Context, c Conn) error {
	return f.write("load-conn "+c.Name, func() { f.conns[c.Name] = c.Hash })
}

func (f *Fake) UnloadConn(_ context.Context, name string) error {
	return f.write("unload-conn "+name, func() { delete(f.conns, name) })
}

func (f *Fake) LoadShared(_ context.Context, s Secret) error {
	return f.write("load-shared "+s.ID, func() { f.shared[s.ID] = s.Hash })
}

// LoadCred records "load-cert NAME" or "load-key NAME".
func (f *Fake) LoadCred(_ context.Context, c Cred) error {
	cmd := "load-key "
	if c.CA {
		cmd = "load-cert "
	}
	return f.write(cmd+c.Name, func() {})
}

func (f *Fake) UnloadShared(_ context.Context, id string) error {
	return f.write("unload-shared "+id, func() { delete(f.shared, id) })
}

func (f *Fake) Restart(context.Context) error {
	var load func() ([]Conn, []Secret)
	err := f.write("restart", func() {
		f.down = false
		clear(f.conns)
		clear(f.shared)
		load = f.LoadOnRestart
	})
	if err == nil && load != nil {
		f.Put(load())
	}
	return err
}

// Start starts a stopped fake, with what LoadOnRestart gives loaded; a
// running one is left as it is.
func (f *Fake) Start(context.Context) error {
	var load func() ([]Conn, []Secret)
	err := f.write("start", func() {
		if f.down {
			f.down = false
			load = f.LoadOnRestart
		}
	})
	if err == nil && load != nil {
		f.Put(load())
	}
	return err
}

func (f *Fake) HowToStart(context.Context) (string, error) {
	if f.CannotStart != nil {
		return "", f.CannotStart
	}
	return FakeHowToStart, nil
}

// Down reports whether the fake is stopped.
func (f *Fake) Down() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.down
}

// String lists what is loaded, for test failure messages.
func (f *Fake) String() string {
	conns, shared := f.Loaded()
	var b strings.Builder
	for _, n := range slices.Sorted(maps.Keys(conns)) {
		b.WriteString("conn " + n + " " + short(conns[n]) + "\n")
	}
	for _, n := range slices.Sorted(maps.Keys(shared)) {
		b.WriteString("secret " + n + " " + short(shared[n]) + "\n")
	}
	return b.String()
}

func short(h string) string { return h[:min(len(h), 8)] }
