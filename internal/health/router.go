package health

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/vtic/vtic/apply"
	"github.com/vtic/vtic/apply/charon"
)

// Router is the router vtic status and vtic check run on: its name in the
// site, where its files are installed and how to reach its daemons.
type Router struct {
	Host   string
	Config apply.Config
	// FRRDaemons are the FRR daemons a repair's converge reloads when their
	// files change.
	FRRDaemons []string
}

// socket is the path of charon's unix:// VICI address.
func (r Router) socket() string {
	return strings.TrimPrefix(r.Config.VICI, "unix://")
}

// Observe reads the router's installed tunnels and their live state, and
// judges each. The SAs are charon's, by connection, for a repair.
func (r Router) Observe(ctx context.Context) ([]TunnelStatus, map[string]SAPair, error) {
	in, err := apply.FromInstalled(r.Config.Root, r.Host)
	if err != nil {
		return nil, nil, err
	}
	tunnels, err := in.Tunnels()
	if err != nil {
		return nil, nil, err
	}
	k, closeK, err := openKernel()
	if err != nil {
		return nil, nil, err
	}
	defer closeK()
	obs, sas, err := Collect(ctx, Sources{
		Socket: r.socket(), Vtysh: r.Config.Vtysh, Kernel: k, Stats: NetlinkStats,
	}, tunnels)
	if err != nil {
		return nil, nil, err
	}
	return Statuses(obs), sas, nil
}

// Repair repairs the tunnels of rows that are down and whose backoff
// allows it, gives them up to settle to come back, and records the
// backoff under the router's root. It returns the rows to judge by: the
// last observation after a repair, else rows. What it does is written to
// log.
func (r Router) Repair(ctx context.Context, log io.Writer, rows []TunnelStatus, sas map[string]SAPair, settle time.Duration) ([]TunnelStatus, error) {
	l := repairLoop{
		root:     r.Config.Root,
		observe:  r.Observe,
		repairer: r.repairer(log),
		settle:   settle,
		now:      time.Now,
		sleep:    sleep,
	}
	return l.run(ctx, rows, sas)
}

// repairer carries out repairs on the live router: charon restarted with
// its restart command, devices and configuration converged by apply, SAs
// controlled over VICI, under apply's lock.
func (r Router) repairer(log io.Writer) Repairer {
	cfg := r.Config
	return Repairer{
		Restart: func(ctx context.Context) error {
			return (&charon.VICI{Socket: cfg.VICI, RestartCommand: cfg.CharonRestart}).Restart(ctx)
		},
		Converge: func(ctx context.Context) error {
			in, err := apply.FromInstalled(cfg.Root, r.Host)
			if err != nil {
				return err
			}
			sys, closeSys, err := apply.NewSystem(cfg)
			if err != nil {
				return err
			}
			defer closeSys()
			_, err = apply.Apply(ctx, sys, in, apply.Options{Wait: true, FRRDaemons: r.FRRDaemons, Out: log})
			return err
		},
		Control: VICIControl{Socket: r.socket()},
		Lock:    func(ctx context.Context) (func(), error) { return apply.Lock(ctx, cfg.Root, true) },
		Log:     func(f string, a ...any) { fmt.Fprintf(log, "repair: "+f+"\n", a...) },
	}
}

// sleep waits for d or the end of ctx.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
