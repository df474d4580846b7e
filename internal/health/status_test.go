package health

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestStatuses(t *testing.T) {
	drifted := tunnel("t2", func(o *Observation) { o.Device.Drift = []string{"mtu 1400, want 1436"} })
	missing := tunnel("t3", func(o *Observation) { o.Device = Device{} })
	rows := Statuses([]Observation{tunnel("t1", nil), drifted, missing})
	type row struct {
		Tunnel, Verdict string
		Matches         bool
	}
	var got []row
	for _, r := range rows {
		got = append(got, row{r.Tunnel, r.Verdict, r.MatchesSite})
	}
	want := []row{{"t1", "healthy", true}, {"t2", "healthy", false}, {"t3", "down", false}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("statuses (-want +got):\n%s", d)
	}
	if rows[2].Reasons[0] != "device vti1 is missing" {
		t.Errorf("reasons of t3: %q", rows[2].Reasons)
	}
	if !AnyDown(rows) || AnyDown(rows[:2]) {
		t.Errorf("AnyDown: %v for all rows, %v without the missing device", AnyDown(rows), AnyDown(rows[:2]))
	}
}
