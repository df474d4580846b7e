package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/vtic/vtic/apply"
	"github.com/vtic/vtic/apply/charon"
	"github.com/vtic/vtic/internal/atomicfile"
	"github.com/vtic/vtic/internal/health"
)

func init() {
	register(command{name: "check", summary: "judge every tunnel healthy/degraded/down; --repair brings back what is down", run: runCheck})
}

// backoffPath keeps each tunnel's repair backoff between runs.
const backoffPath = "var/lib/vtic/check.json"

func runCheck(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "check", "--host NAME [--root /] [--repair] [--json]")
	rf := addRouterFlags(fs)
	repair := fs.Bool("repair", false, "repair what is down: restart charon, re-create devices, re-initiate SAs")
	asJSON := fs.Bool("json", false, "print JSON")
	settle := fs.Duration("settle", 30*time.Second, "after a repair, how long to wait for the repaired tunnels to become healthy before judging them")
	if _, err := parse(fs, args, 0); err != nil {
		return err
	}
	if *rf.host == "" {
		return usagef("missing --host NAME")
	}
	rows, sas, err := observe(ctx, rf)
	if err != nil {
		return err
	}
	if *repair {
		// The repair's steps go to stderr when stdout is JSON.
		log := e.stdout
		if *asJSON {
			log = e.stderr
		}
		rows, err = repairRouter(ctx, log, rf, rows, sas, *settle)
		if err != nil {
			fmt.Fprintf(e.stderr, "vtic check: repair: %v\n", err)
		}
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rows); err != nil {
			return err
		}
	} else {
		for _, r := range rows {
			fmt.Fprintf(e.stdout, "%s: %s\n", r.Tunnel, r.Verdict)
			for _, why := range r.Reasons {
				fmt.Fprintf(e.stdout, "  %s\n", why)
			}
		}
	}
	if anyDown(rows) {
		return &exitError{code: 1, err: errors.New("some tunnels are down")}
	}
	return nil
}

func anyDown(rows []tunnelStatus) bool {
	for _, r := range rows {
		if r.Verdict == health.Down.String() {
			return true
		}
	}
	return false
}

// repairRouter repairs the tunnels that are down and whose backoff allows
// it, waits for them to come back, and records the backoff: a tunnel that
// is still down after its repair waits longer before the next one, and a
// tunnel that is not down starts afresh.
func repairRouter(ctx context.Context, log io.Writer, rf *routerFlags, rows []tunnelStatus, sas map[string]health.SAPair, settle time.Duration) ([]tunnelStatus, error) {
	backoff := readBackoff(*rf.root)
	var acted []string
	var repairErr error
	if anyDown(rows) {
		acted, repairErr = runRepairs(ctx, log, rf, rows, sas, backoff)
	}
	if len(acted) > 0 {
		settled, err := settleRepairs(ctx, rf, acted, settle)
		if err != nil {
			// Judge by what was seen before the repair.
			return rows, errors.Join(repairErr, err)
		}
		rows = settled
	}
	if !updateBackoff(backoff, rows, acted, time.Now()) {
		return rows, repairErr
	}
	return rows, errors.Join(repairErr, writeBackoff(*rf.root, backoff))
}

// updateBackoff records the outcome of a check --repair run and reports
// whether it changed anything: a tunnel acted on that is still down waits
// longer before its next repair, and a tunnel that is not down starts
// afresh. A down tunnel that was not acted on (its backoff held it) keeps
// its backoff as it was.
func updateBackoff(backoff map[string]health.Backoff, rows []tunnelStatus, acted []string, now time.Time) bool {
	changed := false
	for _, r := range rows {
		switch {
		case r.Verdict == health.Down.String() && slices.Contains(acted, r.Tunnel):
			backoff[r.Tunnel] = backoff[r.Tunnel].Failed(now)
			changed = true
		case r.Verdict != health.Down.String():
			if _, ok := backoff[r.Tunnel]; ok {
				delete(backoff, r.Tunnel)
				changed = true
			}
		}
	}
	return changed
}

// runRepairs runs the repairs the observations call for and returns the
// tunnels it acted on. What it does is written to log.
func runRepairs(ctx context.Context, log io.Writer, rf *routerFlags, rows []tunnelStatus, sas map[string]health.SAPair, backoff map[string]health.Backoff) ([]string, error) {
	cfg := rf.config()
	obs := make([]health.Observation, len(rows))
	for i, r := range rows {
		obs[i] = r.Observation
	}
	rep := health.Repairer{
		Restart: func(ctx context.Context) error {
			return (&charon.VICI{Socket: cfg.VICI, RestartCommand: cfg.CharonRestart}).Restart(ctx)
		},
		Converge: func(ctx context.Context) error {
			in, err := apply.FromInstalled(cfg.Root, *rf.host)
			if err != nil {
				return err
			}
			sys, closeSys, err := newSystem(cfg)
			if err != nil {
				return err
			}
			defer closeSys()
			_, err = apply.Apply(ctx, sys, in, apply.Options{Wait: true, FRRDaemons: splitComma(*rf.daemons), Out: log})
			return err
		},
		Control: health.VICIControl{Socket: rf.viciPath()},
		Lock:    func(ctx context.Context) (func(), error) { return apply.Lock(ctx, cfg.Root, true) },
		Log:     func(f string, a ...any) { fmt.Fprintf(log, "repair: "+f+"\n", a...) },
	}
	return rep.Repair(ctx, obs, sas, backoff, time.Now())
}

// settleRepairs gives repaired tunnels time to come back: it observes the
// router every second until every tunnel it acted on is healthy (its SAs
// up and its BGP session, if any, established again) or settle has passed,
// and returns the last observation.
func settleRepairs(ctx context.Context, rf *routerFlags, acted []string, settle time.Duration) ([]tunnelStatus, error) {
	deadline := time.Now().Add(settle)
	for {
		rows, _, err := observe(ctx, rf)
		if err != nil {
			return nil, err
		}
		healthy := true
		for _, r := range rows {
			if slices.Contains(acted, r.Tunnel) && r.Verdict != health.Healthy.String() {
				healthy = false
			}
		}
		if healthy || time.Now().After(deadline) {
			return rows, nil
		}
		select {
		case <-ctx.Done():
			return rows, ctx.Err()
		case <-time.After(time.Second):
		}
	}
}

func readBackoff(root string) map[string]health.Backoff {
	m := map[string]health.Backoff{}
	b, err := os.ReadFile(filepath.Join(root, backoffPath))
	if err == nil {
		_ = json.Unmarshal(b, &m) // a damaged file only resets the backoff
	}
	return m
}

func writeBackoff(root string, m map[string]health.Backoff) error {
	p := filepath.Join(root, backoffPath)
	if len(m) == 0 {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return nil
	}
	b, _ := json.MarshalIndent(m, "", "  ")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return atomicfile.WriteFile(p, append(b, '\n'), 0o600)
}
