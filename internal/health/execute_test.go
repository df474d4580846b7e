package health

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

type recorder struct {
	lines   []string
	failOn  string
	locked  bool
	nesting bool
}

func (r *recorder) do(line string) error {
	r.lines = append(r.lines, line)
	if line == r.failOn {
		return errors.New("boom")
	}
	return nil
}

func (r *recorder) Terminate(id string) error { return r.do("terminate " + id) }
func (r *recorder) Initiate(c string) error {
	if !r.locked {
		r.nesting = true
	}
	return r.do("initiate " + c)
}

func (r *recorder) repairer() Repairer {
	return Repairer{
		Restart: func(context.Context) error { return r.do("restart charon") },
		Converge: func(context.Context) error {
			if r.locked {
				r.nesting = true // converge takes the lock itself
			}
			return r.do("converge")
		},
		Control: r,
		Lock: func(context.Context) (func(), error) {
			r.locked = true
			r.lines = append(r.lines, "lock")
			return func() { r.locked = false; r.lines = append(r.lines, "unlock") }, nil
		},
	}
}

func TestRepair(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	down := func(name string, change func(*Observation)) Observation {
		o := healthy()
		o.Tunnel = name
		change(&o)
		return o
	}
	childKilled := func(o *Observation) { o.Child = SA{} }
	tests := []struct {
		name    string
		obs     []Observation
		backoff map[string]Backoff
		failOn  string
		want    []string
		acted   []string
		wantErr bool
	}{
		{name: "healthy tunnels are left alone", obs: []Observation{healthy()}, want: nil},
		{name: "degraded tunnels are left alone", obs: []Observation{down("t1", func(o *Observation) { o.BGP.State = "Active" })}},
		{name: "killed child SA", obs: []Observation{down("t1", childKilled), healthy()},
			want:  []string{"lock", "terminate 7", "initiate t1", "unlock"},
			acted: []string{"t1"}},
		{name: "both stale IKE SAs of a tunnel both ends initiated are ended", obs: []Observation{down("t4", childKilled)},
			want:  []string{"lock", "terminate 11", "terminate 12", "initiate t4", "unlock"},
			acted: []string{"t4"}},
		{name: "deleted device", obs: []Observation{down("t2", func(o *Observation) { o.Device = Device{} })},
			want:  []string{"converge", "lock", "unlock"},
			acted: []string{"t2"}},
		{name: "stopped charon: restart and converge, no racing initiate",
			obs:   []Observation{down("t1", func(o *Observation) { o.CharonUp = false; o.IKE, o.Child = SA{}, SA{} })},
			want:  []string{"lock", "restart charon", "unlock", "converge", "lock", "unlock"},
			acted: []string{"t1"}},
		{name: "backoff holds a tunnel that keeps failing",
			obs:     []Observation{down("t1", childKilled), down("t3", childKilled)},
			backoff: map[string]Backoff{"t1": {Attempts: 2, Next: now.Add(time.Minute)}},
			want:    []string{"lock", "terminate 9", "initiate t3", "unlock"},
			acted:   []string{"t3"}},
		{name: "a failed initiate is reported, the next tunnel still tried",
			obs:     []Observation{down("t1", childKilled), down("t3", childKilled)},
			failOn:  "initiate t1",
			want:    []string{"lock", "terminate 7", "initiate t1", "terminate 9", "initiate t3", "unlock"},
			acted:   []string{"t1", "t3"},
			wantErr: true},
		{name: "a failed restart stops the repair",
			obs:     []Observation{down("t1", func(o *Observation) { o.CharonUp = false })},
			failOn:  "restart charon",
			want:    []string{"lock", "restart charon", "unlock"},
			acted:   []string{"t1"},
			wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := &recorder{failOn: tc.failOn}
			sas := map[string]SAPair{"t1": {IKEIDs: []string{"7"}}, "t3": {IKEIDs: []string{"9"}}, "t4": {IKEIDs: []string{"11", "12"}}}
			acted, err := r.repairer().Repair(context.Background(), tc.obs, sas, tc.backoff, now)
			if (err != nil) != tc.wantErr {
				t.Errorf("err = %v, want error %v", err, tc.wantErr)
			}
			if d := cmp.Diff(tc.want, r.lines); d != "" {
				t.Errorf("transcript (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tc.acted, acted); d != "" {
				t.Errorf("acted on (-want +got):\n%s", d)
			}
			if r.nesting {
				t.Error("converge ran under the lock, or initiate ran without it")
			}
		})
	}
}
