package main

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/vtic/vtic/internal/health"
)

func TestUpdateBackoff(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	held := health.Backoff{Attempts: 3, Next: now.Add(8 * time.Minute)}
	backoff := map[string]health.Backoff{
		"held":      held,                                       // down, not due: not acted on
		"recovered": {Attempts: 1, Next: now.Add(-time.Minute)}, // healthy again
		"again":     {Attempts: 1, Next: now.Add(-time.Minute)}, // repaired, still down
	}
	rows := []tunnelStatus{
		{Tunnel: "held", Verdict: "down"},
		{Tunnel: "recovered", Verdict: "degraded"},
		{Tunnel: "again", Verdict: "down"},
		{Tunnel: "first", Verdict: "down"},
		{Tunnel: "fine", Verdict: "healthy"},
	}
	if !updateBackoff(backoff, rows, []string{"again", "first"}, now) {
		t.Error("updateBackoff reported no change")
	}
	want := map[string]health.Backoff{
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
