package health

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// fakeClock is a clock that moves only when the loop sleeps.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

func (c *fakeClock) sleep(ctx context.Context, d time.Duration) error {
	c.t = c.t.Add(d)
	return ctx.Err()
}

// fakeRouter answers observations from a script: the i-th call returns
// script[i], and the last entry again once the script runs out.
type fakeRouter struct {
	script [][]Observation
	calls  int
	err    error
}

func (f *fakeRouter) observe(context.Context) ([]TunnelStatus, map[string]SAPair, error) {
	if f.err != nil {
		return nil, nil, f.err
	}
	obs := f.script[min(f.calls, len(f.script)-1)]
	f.calls++
	return Statuses(obs), map[string]SAPair{}, nil
}

func tunnel(name string, change func(*Observation)) Observation {
	o := healthy()
	o.Tunnel = name
	if change != nil {
		change(&o)
	}
	return o
}

func TestRepairLoop(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	childKilled := func(o *Observation) { o.Child = SA{} }
	bgpDown := func(o *Observation) { o.BGP.State = "Active" }
	tests := []struct {
		name         string
		before       map[string]Backoff // the backoff file before the run; nil: none
		rows         []Observation      // what the check saw first
		script       [][]Observation    // what settling sees, poll by poll
		observeErr   error
		wantLines    []string
		wantVerdicts map[string]string
		wantBackoff  map[string]Backoff // nil: no file
		wantPolls    int
		wantErr      bool
	}{
		{
			name:         "nothing down: no repair, no file",
			rows:         []Observation{tunnel("t1", nil)},
			wantVerdicts: map[string]string{"t1": "healthy"},
		},
		{
			name:         "repaired tunnel comes back on the third poll: backoff cleared",
			before:       map[string]Backoff{"t1": {Attempts: 1, Next: start.Add(-time.Minute)}},
			rows:         []Observation{tunnel("t1", childKilled), tunnel("t2", nil)},
			script:       [][]Observation{{tunnel("t1", childKilled)}, {tunnel("t1", bgpDown)}, {tunnel("t1", nil)}},
			wantLines:    []string{"lock", "initiate t1", "unlock"},
			wantVerdicts: map[string]string{"t1": "healthy"},
			wantPolls:    3,
		},
		{
			name:         "still down after settle: the backoff grows from when settling ended",
			before:       map[string]Backoff{"t1": {Attempts: 1, Next: start.Add(-time.Minute)}},
			rows:         []Observation{tunnel("t1", childKilled)},
			script:       [][]Observation{{tunnel("t1", childKilled)}},
			wantLines:    []string{"lock", "initiate t1", "unlock"},
			wantVerdicts: map[string]string{"t1": "down"},
			wantBackoff:  map[string]Backoff{"t1": {Attempts: 2, Next: start.Add(6*time.Second + 2*time.Minute)}},
			wantPolls:    7, // at 0 s … 6 s: only the last is past the 5 s settle
		},
		{
			name:         "held by its backoff: no repair, backoff kept",
			before:       map[string]Backoff{"t1": {Attempts: 3, Next: start.Add(time.Minute)}},
			rows:         []Observation{tunnel("t1", childKilled)},
			wantVerdicts: map[string]string{"t1": "down"},
			wantBackoff:  map[string]Backoff{"t1": {Attempts: 3, Next: start.Add(time.Minute)}},
		},
		{
			name:         "settling cannot observe: judged by what was seen before",
			rows:         []Observation{tunnel("t1", childKilled)},
			observeErr:   errors.New("netlink gone"),
			wantLines:    []string{"lock", "initiate t1", "unlock"},
			wantVerdicts: map[string]string{"t1": "down"},
			wantErr:      true,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			if tc.before != nil {
				if err := writeBackoff(root, tc.before); err != nil {
					t.Fatal(err)
				}
			}
			clock := &fakeClock{t: start}
			router := &fakeRouter{script: tc.script, err: tc.observeErr}
			rec := &recorder{}
			l := repairLoop{
				root: root, observe: router.observe, repairer: rec.repairer(),
				settle: 5 * time.Second, now: clock.now, sleep: clock.sleep,
			}
			rows, err := l.run(context.Background(), Statuses(tc.rows), map[string]SAPair{})
			if (err != nil) != tc.wantErr {
				t.Errorf("err = %v, want error %v", err, tc.wantErr)
			}
			if d := cmp.Diff(tc.wantLines, rec.lines); d != "" {
				t.Errorf("repair transcript (-want +got):\n%s", d)
			}
			got := map[string]string{}
			for _, r := range rows {
				got[r.Tunnel] = r.Verdict
			}
			for name, v := range tc.wantVerdicts {
				if got[name] != v {
					t.Errorf("%s judged %q, want %q", name, got[name], v)
				}
			}
			if router.calls != tc.wantPolls {
				t.Errorf("observed %d times while settling, want %d", router.calls, tc.wantPolls)
			}
			_, statErr := os.Stat(filepath.Join(root, filepath.FromSlash(BackoffPath)))
			if tc.wantBackoff == nil {
				if statErr == nil {
					t.Errorf("backoff file left behind: %v", readBackoff(root))
				}
				return
			}
			if d := cmp.Diff(tc.wantBackoff, readBackoff(root)); d != "" {
				t.Errorf("backoff file (-want +got):\n%s", d)
			}
		})
	}
}

func TestRepairLoopStopsSettlingWithItsContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	clock := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	down := []Observation{tunnel("t1", func(o *Observation) { o.Child = SA{} })}
	router := &fakeRouter{script: [][]Observation{down}}
	rec := &recorder{}
	l := repairLoop{
		root: t.TempDir(), repairer: rec.repairer(), settle: time.Hour, now: clock.now,
		observe: func(ctx context.Context) ([]TunnelStatus, map[string]SAPair, error) {
			cancel() // the user gives up during the first poll
			return router.observe(ctx)
		},
		sleep: clock.sleep,
	}
	_, err := l.run(ctx, Statuses(down), map[string]SAPair{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if router.calls != 1 {
		t.Errorf("observed %d times after the context ended, want 1", router.calls)
	}
}
