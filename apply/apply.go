package apply

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"

	"github.com/vtic/vtic/apply/birdc"
	"github.com/vtic/vtic/apply/charon"
	"github.com/vtic/vtic/apply/firewall"
	"github.com/vtic/vtic/apply/frrreload"
	"github.com/vtic/vtic/apply/netdev"
	"github.com/vtic/vtic/apply/pluto"
)

// System is the router apply converges: the directory its files go under
// and the kernel and daemons it talks to. Devices and daemons are always
// the live ones; Root only moves the files (and the state and lock files).
type System struct {
	Root     string
	Kernel   netdev.Kernel
	Charon   charon.Charon
	Pluto    pluto.Pluto
	FRR      frrreload.FRR
	Bird     birdc.Bird
	Firewall firewall.Firewall
}

// Options tune one apply.
type Options struct {
	// DryRun plans and reports, and changes nothing (it does not even
	// take the lock, which would create the lock file).
	DryRun bool
	// Wait waits for another apply to finish instead of failing.
	Wait bool
	// FRRDaemons are the FRR daemons whose files (etc/frr/DAEMON.conf)
	// apply reloads when they change, on a router whose FRR reads one
	// file per daemon; nil means DefaultFRRDaemons. (In integrated mode
	// apply reloads frr.conf as a whole.)
	FRRDaemons []string
	// Out receives the report: the plan, then the outcome.
	Out io.Writer
	// CrashAfter makes apply exit with status 137 right after the named
	// step (see Steps), as if killed there. It is the hook crash-safety
	// tests use (VTIC_APPLY_CRASH_AFTER in the CLI); it only fires in an
	// apply that has changes to make.
	CrashAfter string

	exit     func(int)               // os.Exit, replaced in tests
	wrapRoot func(fileRoot) fileRoot // tests: fail chosen file writes
}

// DefaultFRRDaemons are reloaded when their files change. Debian's FRR
// always runs staticd next to zebra.
var DefaultFRRDaemons = []string{"bgpd", "staticd"}

// Steps are the steps of an apply with changes, in order:
//
//	begin     the state file records the union of what is owned before
//	          and after, so a crash from here on cannot lose track of a
//	          file, device or connection apply creates
//	files     files installed and removed
//	devices   VTIs, addresses, sysctls and peer routes converged
//	firewall  vtic's iptables chains and jumps converged
//	charon    charon restarted if its settings changed; secrets and
//	          connections loaded and unloaded
//	libreswan on a router that runs libreswan: secrets reread when they
//	          changed; conns that changed replaced (and initiated where
//	          this end initiates), conns no longer declared deleted
//	frr       FRR's daemons file enables the daemons the configuration
//	          needs, FRR restarted through its init if one did not run,
//	          and the configuration that changed reloaded (frr.conf, or
//	          each daemon's file)
//	bird      on a router that runs BIRD: birdc configure when bird.conf
//	          changed
//	state     the state file records the new state
var Steps = []string{"begin", "files", "devices", "firewall", "charon", "libreswan", "frr", "bird", "state"}

// Result is what an apply did, or would do in a dry run.
type Result struct {
	// Actions are the changes, one line each ("files: update
	// etc/frr/bgpd.conf"); none means the router was already converged.
	Actions []string
	// Notes are remarks that are not changes.
	Notes []string
}

// StepError is the error of an apply that failed after it started
// changing the router. Everything it changed was put back unless Rollback
// says otherwise.
type StepError struct {
	Step     string
	Err      error
	Rollback error
}

func (e *StepError) Error() string {
	if e.Rollback != nil {
		return fmt.Sprintf("step %s failed: %v\nrollback incomplete, the router may be half-applied: %v", e.Step, e.Err, e.Rollback)
	}
	return fmt.Sprintf("step %s failed: %v\nrolled back: files, devices and daemons are as they were before", e.Step, e.Err)
}

func (e *StepError) Unwrap() error { return e.Err }

// Apply converges the router sys to in.
func Apply(ctx context.Context, sys System, in Input, opts Options) (*Result, error) {
	if opts.Out == nil {
		opts.Out = io.Discard
	}
	if opts.FRRDaemons == nil {
		opts.FRRDaemons = DefaultFRRDaemons
	}
	if opts.exit == nil {
		opts.exit = os.Exit
	}
	if opts.CrashAfter != "" && !validStep(opts.CrashAfter) {
		return nil, fmt.Errorf("unknown crash step %q (steps: %v)", opts.CrashAfter, Steps)
	}
	if !opts.DryRun {
		release, err := lock(ctx, sys.Root, opts.Wait)
		if err != nil {
			return nil, err
		}
		defer release()
	}
	r, err := newRun(ctx, sys, in, opts)
	if err != nil {
		return nil, err
	}
	if err := r.plan(); err != nil {
		return nil, err
	}
	res := &Result{Actions: r.actions, Notes: r.notes}
	r.report(res)
	if opts.DryRun || len(r.actions) == 0 {
		return res, nil
	}
	if err := r.execute(); err != nil {
		return res, err
	}
	fmt.Fprintf(opts.Out, "%s: applied %d changes.\n", in.Host.Name, len(r.actions))
	return res, nil
}

func validStep(s string) bool {
	for _, x := range Steps {
		if x == s {
			return true
		}
	}
	return false
}

func (r *run) report(res *Result) {
	// One write, not one per line: a plan has several lines per tunnel,
	// and Out is usually an unbuffered stdout.
	w := bufio.NewWriterSize(r.opts.Out, 64<<10)
	defer w.Flush()
	for _, n := range res.Notes {
		fmt.Fprintf(w, "%s: note: %s\n", r.in.Host.Name, n)
	}
	switch {
	case len(res.Actions) == 0:
		fmt.Fprintf(w, "%s: no changes.\n", r.in.Host.Name)
		return
	case r.opts.DryRun:
		fmt.Fprintf(w, "%s: %d changes (dry run: nothing is changed):\n", r.in.Host.Name, len(res.Actions))
	default:
		fmt.Fprintf(w, "%s: %d changes:\n", r.in.Host.Name, len(res.Actions))
	}
	for _, a := range res.Actions {
		fmt.Fprintf(w, "  %s\n", a)
	}
}
