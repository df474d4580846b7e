package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/vtic/vtic/apply"
	"github.com/vtic/vtic/lang"
)

func init() {
	register(command{name: "apply", summary: "converge this router to its files", run: runApply, needsLinux: whyApply})
}

const applySynopsis = `--host NAME [DIR | --from OUT/NAME] [--root /] [--dry-run] [--wait]
       vtic apply --installed [--host NAME] [--root /] [--dry-run] [--wait]

Makes the router this runs on what the site declares for router NAME: its
files installed under --root, its VTIs, peer routes and sysctls, vtic's
iptables chains, and its connections and keys loaded into charon and its
BGP configuration into FRR, changing only what differs. DIR (default .) is
a site, which is loaded, validated and rendered; --from is a router's
directory of a vtic build output, whose files are checked against its
manifest and against what this vtic renders from the build's plan (modes,
secret files). Nothing under --root is reached through a symbolic link.
--installed converges the router to what the last apply
installed (the plan and files under --root), without the site: what a
router runs at boot (examples/systemd/vtic-boot.service) to bring back its
devices, routes, sysctls, iptables chains and SAs; --host defaults to the
router the state file names.

A charon that is not running is started the way the router runs it
(--charon-start auto: systemctl start strongswan under systemd, else
charon-systemd or /usr/lib/ipsec/charon, then swanctl --load-all), after
the files are installed; --charon-start none makes apply fail instead,
naming what to start.

A second apply with nothing changed makes no change at all. If a step fails,
everything is put back as it was and the error names the step. One apply
runs at a time (ROOT/run/vtic.lock); --wait waits for a running one.

For crash-safety tests, VTIC_APPLY_CRASH_AFTER=STEP makes an apply with
changes exit with status 137 right after STEP: begin, files, devices,
firewall, charon, frr or state.`

// newSystem builds the live router; tests replace it with fakes.
var newSystem = apply.NewSystem

func runApply(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "apply", applySynopsis)
	host := fs.String("host", "", "the router to apply (required, but for --installed)")
	from := fs.String("from", "", "apply a build output directory OUT/NAME instead of a site")
	installed := fs.Bool("installed", false, "apply what the last apply installed under --root, without a site (at boot)")
	root := fs.String("root", "/", "directory the files are installed under")
	dryRun := fs.Bool("dry-run", false, "print the changes and make none")
	wait := fs.Bool("wait", false, "wait for a running apply to finish instead of failing")
	vici := fs.String("vici", "unix:///var/run/charon.vici", "charon's VICI socket")
	restart := fs.String("charon-restart", "systemctl restart strongswan", "shell command that restarts charon (run when its settings change)")
	start := fs.String("charon-start", "auto", "how to start a charon that is not running: auto, none or a shell command")
	frrReload := fs.String("frr-reload", "/usr/lib/frr/frr-reload.py", "frr-reload.py command, with any leading arguments such as -N NAME")
	vtysh := fs.String("vtysh", "vtysh", "vtysh command, with any leading arguments such as -N NAME")
	daemons := fs.String("frr-daemons", strings.Join(apply.DefaultFRRDaemons, ","), "FRR daemons to reload when their files change")
	ipt := fs.String("iptables", "iptables", "iptables command")
	iptRestore := fs.String("iptables-restore", "iptables-restore", "iptables-restore command")
	pos, err := parse(fs, args, 1)
	if err != nil {
		return err
	}
	switch {
	case *installed && (*from != "" || len(pos) > 0):
		return usagef("--installed applies what is installed: give no site DIR or --from")
	case *host == "" && !*installed:
		return usagef("missing --host NAME")
	case *from != "" && len(pos) > 0:
		return usagef("give either a site DIR or --from OUT/NAME, not both")
	}
	var in apply.Input
	switch {
	case *installed:
		if *host == "" {
			if *host, err = apply.InstalledHost(*root); err != nil {
				return err
			}
		}
		if in, err = apply.FromInstalled(*root, *host); err != nil {
			return err
		}
	case *from != "":
		if in, err = apply.FromBuild(*from, *host); err != nil {
			return err
		}
	default:
		dir := "."
		if len(pos) == 1 {
			dir = pos[0]
		}
		_, plan, err := loadPlan(e.stderr, "text", dir, lang.Options{Context: ctx})
		if err != nil {
			return err
		}
		h := plan.Host(*host)
		if h == nil {
			return fmt.Errorf("no router named %q in %s", *host, dir)
		}
		if in, err = apply.FromHost(h); err != nil {
			return err
		}
	}
	sys, closeSys, err := newSystem(apply.Config{
		Root:            *root,
		VICI:            *vici,
		CharonRestart:   *restart,
		CharonStart:     *start,
		FRRReload:       strings.Fields(*frrReload),
		Vtysh:           strings.Fields(*vtysh),
		Iptables:        strings.Fields(*ipt),
		IptablesRestore: strings.Fields(*iptRestore),
	})
	if err != nil {
		return err
	}
	defer closeSys()
	_, err = apply.Apply(ctx, sys, in, apply.Options{
		DryRun:     *dryRun,
		Wait:       *wait,
		FRRDaemons: splitComma(*daemons),
		Out:        e.stdout,
		CrashAfter: e.getenv("VTIC_APPLY_CRASH_AFTER"),
	})
	return err
}

// splitComma splits a comma-separated flag value, dropping empty items.
func splitComma(s string) []string {
	out := []string{}
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}
