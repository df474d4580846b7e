package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/vtic/vtic/apply"
	"github.com/vtic/vtic/apply/charon"
	"github.com/vtic/vtic/apply/health"
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
	settle := fs.Duration("settle", 20*time.Second, "after a repair, how long to wait for tunnels to come up before judging again")
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
	if *repair && anyDown(rows) {
		rows, err = repairRouter(ctx, e, rf, rows, sas, *settle)
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

func repairRouter(ctx context.Context, e *env, rf *routerFlags, rows []tunnelStatus, sas map[string]health.SAPair, settle time.Duration) ([]tunnelStatus, error) {
	cfg := rf.config()
	backoff := readBackoff(*rf.root)
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
			_, err = apply.Apply(ctx, sys, in, apply.Options{Wait: true, FRRDaemons: splitComma(*rf.daemons), Out: e.stdout})
			return err
		},
		Control: health.VICIControl{Socket: rf.viciPath()},
		Lock:    func(ctx context.Context) (func(), error) { return apply.Lock(ctx, cfg.Root, true) },
		Log:     func(f string, a ...any) { fmt.Fprintf(e.stdout, "repair: "+f+"\n", a...) },
	}
	now := time.Now()
	acted, repairErr := rep.Repair(ctx, obs, sas, backoff, now)
	if len(acted) == 0 {
		return rows, repairErr
	}
	// Give the SAs time to come up, then judge again.
	deadline := time.Now().Add(settle)
	for {
		var err error
		rows, _, err = observe(ctx, rf)
		if err != nil {
			return nil, errors.Join(repairErr, err)
		}
		if !anyDown(rows) || time.Now().After(deadline) {
			break
		}
		select {
		case <-ctx.Done():
			return rows, errors.Join(repairErr, ctx.Err())
		case <-time.After(time.Second):
		}
	}
	for _, r := range rows {
		if r.Verdict == health.Down.String() {
			backoff[r.Tunnel] = backoff[r.Tunnel].Failed(now)
		} else {
			delete(backoff, r.Tunnel)
		}
	}
	return rows, errors.Join(repairErr, writeBackoff(*rf.root, backoff))
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
	return replaceFile(p, append(b, '\n'), 0o600)
}
