package health

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/vtic/vtic/internal/testkit/targettest"
)

// The example's certificates are judged by their own dates: far from
// expiry now, expiring 29 days before their end, expired after it.
func TestCertStatuses(t *testing.T) {
	plan := targettest.Compile(t, filepath.Join(targettest.ExamplesDir(), "certificates"))
	h := plan.Host("gw1")
	rows, err := CertStatuses(h, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].Name != "certificate" || rows[1].Name != "authority lab" {
		t.Fatalf("rows = %+v", rows)
	}
	end := rows[0].NotAfter
	for _, c := range []struct {
		at       time.Time
		expiring bool
		days     int
	}{
		{end.Add(-31 * 24 * time.Hour), false, 31},
		{end.Add(-29 * 24 * time.Hour), true, 29},
		{end.Add(time.Hour), true, 0},
	} {
		rows, err := CertStatuses(h, c.at)
		if err != nil {
			t.Fatal(err)
		}
		if rows[0].Expiring != c.expiring || rows[0].DaysLeft != c.days {
			t.Errorf("at %s: %+v, want expiring %v, %d days", c.at, rows[0], c.expiring, c.days)
		}
	}
}
