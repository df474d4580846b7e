package frrreload

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// restartTimeout bounds the wait for FRR after its init returned: watchfrr
// gives a daemon 90 s to start before it gives up on it.
const restartTimeout = 2 * time.Minute

func (s *Script) Restart(ctx context.Context, want []string) error {
	cmd := s.RestartCommand
	if len(cmd) == 0 {
		cmd = DefaultRestart()
	}
	if _, err := run(ctx, cmd); err != nil {
		return fmt.Errorf("frr: restart FRR with %s: %w", strings.Join(cmd, " "), err)
	}
	// FRR's init returns once watchfrr has seen every daemon answer, but
	// the job that started a daemon may still be loading its
	// configuration (vtysh -b -d DAEMON).
	deadline := time.Now().Add(restartTimeout)
	for {
		up, err := s.Daemons(ctx)
		var status string
		switch {
		case err != nil:
			status = err.Error()
		case !containsAll(up, want):
			status = "daemons answering: " + strings.Join(up, " ")
		case !slices.Contains(up, "watchfrr"):
			return nil
		default:
			out, err := run(ctx, s.vtysh(), "-c", "show watchfrr")
			if err == nil && watchfrrSettled(string(out)) {
				return nil
			}
			status = strings.TrimSpace(string(out))
			if err != nil {
				status = err.Error()
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("frr: restarted FRR with %s, but %s did not come up and load its configuration within %v (%s)",
				strings.Join(cmd, " "), strings.Join(want, " and "), restartTimeout, status)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("frr: wait for FRR after its restart: %w", ctx.Err())
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func containsAll(have, want []string) bool {
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}

// watchfrrSettled reports whether vtysh's "show watchfrr" says watchfrr is
// idle: its phase is Idle, every daemon it watches is Up, and no start or
// restart job of its runs (the job that starts a daemon also loads the
// daemon's configuration). Its lines (FRR 8.4, watchfrr_status):
//
//	watchfrr global phase: Idle
//	    global restart running, pid 123
//	  zebra                Up
//	      restart running, pid 456
func watchfrrSettled(status string) bool {
	idle := false
	for _, l := range strings.Split(status, "\n") {
		switch {
		case strings.TrimSpace(l) == "watchfrr global phase: Idle":
			idle = true
		case strings.Contains(l, "running, pid") || strings.Contains(l, "restarting in"):
			return false
		case strings.HasPrefix(l, "  ") && !strings.HasPrefix(l, "   "):
			// A daemon's line: its name, then its state.
			if f := strings.Fields(l); len(f) != 2 || !strings.HasPrefix(f[1], "Up") {
				return false
			}
		}
	}
	return idle
}
