package apply

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/vtic/vtic/apply/firewall"
	"github.com/vtic/vtic/apply/install"
	"github.com/vtic/vtic/apply/netdev"
	"github.com/vtic/vtic/targets/iptables"
	"github.com/vtic/vtic/targets/vtiinit"
)

// undoStep puts back what one step changed outside the files.
type undoStep struct {
	step string
	fn   func(context.Context) error
}

// rollbackTimeout bounds a rollback, which runs even when the apply was
// interrupted (its context cancelled).
const rollbackTimeout = 2 * time.Minute

// exitCrashed is the status of an apply stopped by CrashAfter: that of a
// process killed by SIGKILL.
const exitCrashed = 137

func (r *run) pushUndo(step string, fn func(context.Context) error) {
	r.undo = append(r.undo, undoStep{step, fn})
}

// execute runs the steps in order; on the first failure it rolls back and
// returns a StepError.
func (r *run) execute() error {
	steps := []struct {
		name string
		fn   func(context.Context) error
	}{
		{"begin", r.begin},
		{"files", r.files},
		{"devices", r.devices},
		{"firewall", r.firewall},
		{"charon", r.charonStep},
		{"libreswan", r.libreswanStep},
		{"frr", r.frrStep},
		{"bird", r.birdStep},
		{"state", r.commit},
	}
	for _, s := range steps {
		err := r.ctx.Err()
		if err == nil {
			err = s.fn(r.ctx)
		}
		if err != nil {
			return &StepError{Step: s.name, Err: err, Rollback: r.rollback()}
		}
		if r.opts.CrashAfter == s.name {
			r.opts.exit(exitCrashed)
		}
	}
	return nil
}

// rollback puts everything back: the files first, since restarting or
// reloading a daemon reads them, then every other step in reverse order.
func (r *run) rollback() error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.ctx), rollbackTimeout)
	defer cancel()
	var errs []error
	for i := len(r.backups) - 1; i >= 0; i-- {
		if err := r.root.Restore(r.backups[i]); err != nil {
			errs = append(errs, fmt.Errorf("files: %w", err))
		}
	}
	for i := len(r.undo) - 1; i >= 0; i-- {
		if err := r.undo[i].fn(ctx); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", r.undo[i].step, err))
		}
	}
	return errors.Join(errs...)
}

// begin records the union of what is owned before and after (see
// pendingState).
func (r *run) begin(context.Context) error {
	return r.writeState(r.pendingState())
}

func (r *run) commit(context.Context) error {
	return r.writeState(r.next)
}

func (r *run) writeState(s *State) error {
	b, err := r.root.Install(install.File{Path: StatePath, Data: s.encode(), Mode: 0o600, Secret: true})
	if err == nil {
		r.backups = append(r.backups, b)
	}
	return err
}

func (r *run) files(context.Context) error {
	for _, f := range r.writes {
		b, err := r.root.Install(f)
		if err != nil {
			return err
		}
		r.backups = append(r.backups, b)
	}
	for _, p := range r.removes {
		// Directories vtic made for a tunnel go with its last file;
		// directories elsewhere (etc/frr) are the system's.
		stop := path.Dir(p)
		if strings.HasPrefix(p, vtiinit.Dir+"/") {
			stop = path.Dir(vtiinit.Dir)
		}
		b, err := r.root.Remove(p, stop)
		if err != nil {
			return err
		}
		r.backups = append(r.backups, b)
	}
	return nil
}

func (r *run) devices(context.Context) error {
	if len(r.devOps) == 0 {
		return nil
	}
	snap, err := netdev.Capture(r.sys.Kernel, r.desired)
	if err != nil {
		return err
	}
	r.pushUndo("devices", func(context.Context) error {
		_, err := netdev.Restore(r.sys.Kernel, snap)
		return err
	})
	_, err = netdev.Apply(r.sys.Kernel, r.devOps)
	return err
}

func (r *run) firewall(ctx context.Context) error {
	if r.fw.Empty() {
		return nil
	}
	r.pushUndo("firewall", func(ctx context.Context) error {
		return firewall.Undo(ctx, r.sys.Firewall, r.fwState, r.fwRules, iptables.Chains)
	})
	return firewall.Apply(ctx, r.sys.Firewall, r.fwFile, r.fw)
}

// reannounceAddrs replaces, unchanged, the address of every VTI this apply
// created (every wanted VTI after an apply that did not finish), so that
// the kernel announces it to zebra once more. FRR 8.4's zebra reads links
// and addresses on different threads and drops an address that arrives
// before it has seen the new link (FRRouting/frr#13288): the VTI then has
// no address in zebra, and the BGP session over it waits for next-hop
// tracking forever. The lab met this on about one new VTI in six. This
// step comes after the firewall and charon steps, by when zebra has seen
// the link. Replacing an address with itself changes nothing in the
// kernel but sends RTM_NEWADDR again.
func (r *run) reannounceAddrs() error {
	created := map[string]bool{}
	for _, o := range r.devOps {
		if o.Kind == netdev.OpCreate {
			created[o.VTI.Name] = true
		}
	}
	for _, v := range r.desired.VTIs {
		if !created[v.Name] && !r.old.Pending {
			continue
		}
		if err := r.sys.Kernel.ReplaceAddr(v.Name, v.Address); err != nil {
			return fmt.Errorf("announce the address of %s to zebra again: %w", v.Name, err)
		}
	}
	return nil
}
