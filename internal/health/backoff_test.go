package health

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestUpdateBackoff(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	held := Backoff{Attempts: 3, Next: now.Add(8 * time.Minute)}
	backoff := map[string]Backoff{
		"held":      held,                                       // down, not due: not acted on
		"recovered": {Attempts: 1, Next: now.Add(-time.Minute)}, // healthy again
		"again":     {Attempts: 1, Next: now.Add(-time.Minute)}, // repaired, still down
	}
	rows := []TunnelStatus{
		{Tunnel: "held", Verdict: "down"},
		{Tunnel: "recovered", Verdict: "degraded"},
		{Tunnel: "again", Verdict: "down"},
		{Tunnel: "first", Verdict: "down"},
		{Tunnel: "fine", Verdict: "healthy"},
	}
	if !updateBackoff(backoff, rows, []string{"again", "first"}, now) {
		t.Error("updateBackoff reported no change")
	}
	want := map[string]Backoff{
		"held":  held,
		"again": {Attempts: 2, Next: now.Add(2 * time.Minute)},
		"first": {Attempts: 1, Next: now.Add(time.Minute)},
	}
	if d := cmp.Diff(want, backoff); d != "" {
		t.Errorf("backoff (-want +got):\n%s", d)
	}
	if updateBackoff(backoff, rows[:1], nil, now) {
		t.Error("a run that only saw a held tunnel changed the backoff")
	}
}

func TestBackoffFailedGrowsToItsLimit(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var b Backoff
	var got []time.Duration
	for range 8 {
		b = b.Failed(now)
		got = append(got, b.Next.Sub(now))
	}
	m := time.Minute
	want := []time.Duration{m, 2 * m, 4 * m, 8 * m, 16 * m, 30 * m, 30 * m, 30 * m}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("waits (-want +got):\n%s", d)
	}
	if b.Attempts != 8 || b.Due(now) || !b.Due(b.Next) {
		t.Errorf("after 8 failures: %+v, due now %v, due at next %v", b, b.Due(now), b.Due(b.Next))
	}
}

func TestBackoffFile(t *testing.T) {
	root := t.TempDir()
	p := filepath.Join(root, filepath.FromSlash(BackoffPath))
	if got := readBackoff(root); len(got) != 0 {
		t.Fatalf("no file read as %v", got)
	}
	next := time.Date(2026, 1, 1, 0, 2, 0, 0, time.UTC)
	want := map[string]Backoff{"t1": {Attempts: 2, Next: next}}
	if err := writeBackoff(root, want); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(p); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("backoff file: %v, err %v; want mode 0600", st, err)
	}
	if d := cmp.Diff(want, readBackoff(root)); d != "" {
		t.Errorf("read back (-want +got):\n%s", d)
	}
	if err := writeBackoff(root, map[string]Backoff{}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p); !os.IsNotExist(err) {
		t.Errorf("an empty backoff left the file behind: %v", err)
	}
	if err := writeBackoff(root, nil); err != nil {
		t.Errorf("removing an absent file: %v", err)
	}
	if err := os.WriteFile(p, []byte(`{"t1": {"attempts": "many"`), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := readBackoff(root); len(got) != 0 {
		t.Errorf("a damaged file read as %v, want an empty backoff", got)
	}
}
