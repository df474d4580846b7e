package health

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Repairer carries out repairs. Restart and Converge are whole-router steps
// (restart charon; converge the router to its installed files, which also
// reloads whatever a restarted charon lost); Control acts on one tunnel's
// SAs. Lock takes the apply lock for the restart and for the per-tunnel
// steps; Converge takes it itself, so the two are never nested.
type Repairer struct {
	Restart  func(ctx context.Context) error
	Converge func(ctx context.Context) error
	Control  Control
	Lock     func(ctx context.Context) (release func(), err error)
	Log      func(format string, args ...any)
}

// Repair runs the repairs the observations call for, for tunnels whose
// backoff allows one now. It returns the tunnels it acted on.
func (r Repairer) Repair(ctx context.Context, obs []Observation, sas map[string]SAPair, backoff map[string]Backoff, now time.Time) ([]string, error) {
	var jobs []job
	restart, converge := false, false
	for _, o := range obs {
		v, _ := Judge(o)
		acts := Repairs(o, v)
		if len(acts) == 0 || !backoff[o.Tunnel].Due(now) {
			continue
		}
		jobs = append(jobs, job{o, acts})
		for _, a := range acts {
			restart = restart || a == RestartCharon
			converge = converge || a == ConvergeDevice || a == RestartCharon
		}
	}
	if len(jobs) == 0 {
		return nil, nil
	}
	var errs []error
	if restart {
		release, err := r.Lock(ctx)
		if err != nil {
			return names(jobs), err
		}
		r.log("restarting charon")
		err = r.Restart(ctx)
		release()
		if err != nil {
			// Without charon nothing else can work; stop here.
			return names(jobs), fmt.Errorf("restart charon: %w", err)
		}
	}
	if converge {
		r.log("converging devices and configuration to the installed files")
		if err := r.Converge(ctx); err != nil {
			errs = append(errs, fmt.Errorf("converge: %w", err))
		}
	}
	release, err := r.Lock(ctx)
	if err != nil {
		return names(jobs), errors.Join(append(errs, err)...)
	}
	defer release()
	for _, j := range jobs {
		for _, a := range j.acts {
			switch {
			case a == TerminateIKE:
				// Every IKE SA of the tunnel is stale: none carries an
				// installed CHILD SA, or the tunnel would not be down.
				for _, id := range sas[j.o.Tunnel].IKEIDs {
					r.log("%s: terminating stale IKE SA #%s", j.o.Tunnel, id)
					if err := r.Control.Terminate(id); err != nil {
						errs = append(errs, fmt.Errorf("tunnel %s: %w", j.o.Tunnel, err))
					}
				}
			case a == Initiate && !restart:
				// A restarted charon initiates every connection this
				// end initiates as it loads it (start_action includes
				// start); a second initiate would only race it.
				r.log("%s: initiating", j.o.Tunnel)
				if err := r.Control.Initiate(j.o.Tunnel); err != nil {
					errs = append(errs, fmt.Errorf("tunnel %s: %w", j.o.Tunnel, err))
				}
			}
		}
	}
	return names(jobs), errors.Join(errs...)
}

func (r Repairer) log(format string, args ...any) {
	if r.Log != nil {
		r.Log(format, args...)
	}
}

// job is one tunnel's repair.
type job struct {
	o    Observation
	acts []Action
}

func names(jobs []job) []string {
	out := make([]string, len(jobs))
	for i, j := range jobs {
		out[i] = j.o.Tunnel
	}
	return out
}
