package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/vtic/vtic/internal/health"
)

func init() {
	register(command{name: "check", summary: "judge every tunnel healthy/degraded/down; --repair brings back what is down", run: runCheck, needsLinux: whyCheck})
}

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
	router := rf.router()
	rows, sas, err := router.Observe(ctx)
	if err != nil {
		return err
	}
	if *repair {
		// The repair's steps go to stderr when stdout is JSON.
		log := e.stdout
		if *asJSON {
			log = e.stderr
		}
		rows, err = router.Repair(ctx, log, rows, sas, *settle)
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
	if health.AnyDown(rows) {
		return &exitError{code: 1, err: errors.New("some tunnels are down")}
	}
	return nil
}
