package apply

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vtic/vtic/apply/frrreload"
	"github.com/vtic/vtic/targets/frr"
)

// Debian 12's FRR as installed: the package's files (abridged) and the
// daemons its init starts.
const (
	debianVtysh   = "service integrated-vtysh-config\n"
	debianFRRConf = "# default to using syslog. /etc/rsyslog.d/45-frr.conf places the log in\n# /var/log/frr/frr.log\n#\nlog syslog informational\n"
	debianDaemons = "# This file tells the frr package which daemons to start.\nbgpd=no\nospfd=no\n#\nvtysh_enable=yes\nzebra_options=\"  -A 127.0.0.1 -s 90000000\"\nbgpd_options=\"   -A 127.0.0.1\"\n"
)

// freshInstall makes the world's router one with FRR as Debian installs
// it: integrated, bgpd off.
func (w *world) freshInstall() {
	w.t.Helper()
	w.put(frrreload.VtyshConfPath, debianVtysh)
	w.put(frr.IntegratedPath, debianFRRConf)
	w.put(frrreload.DaemonsPath, debianDaemons)
	w.frr.SetDaemons("zebra", "staticd", "watchfrr")
}

// put writes a file under the world's root.
func (w *world) put(rel, data string) {
	w.t.Helper()
	p := filepath.Join(w.root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		w.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o640); err != nil {
		w.t.Fatal(err)
	}
}

func (w *world) exists(rel string) bool {
	_, err := os.Stat(filepath.Join(w.root, filepath.FromSlash(rel)))
	return err == nil
}

func hasNote(res *Result, sub string) bool {
	return slices.ContainsFunc(res.Notes, func(n string) bool { return strings.Contains(n, sub) })
}

// On a fresh install apply writes the integrated frr.conf, enables bgpd,
// restarts FRR once and reloads; the per-daemon files are not installed.
func TestFRRFreshInstall(t *testing.T) {
	w := newWorld(t)
	w.freshInstall()
	res, out := w.mustApply(base.input(t))
	if got, want := actionsWith(res, "frr: "), []string{
		"frr: enable bgpd in etc/frr/daemons and restart FRR",
		"frr: reload the integrated configuration etc/frr/frr.conf",
	}; !slices.Equal(got, want) {
		t.Errorf("frr actions %q, want %q\n%s", got, want, out)
	}
	if !slices.Contains(res.Actions, "files: update etc/frr/frr.conf") {
		t.Errorf("frr.conf not replaced:\n%s", out)
	}
	for _, a := range res.Actions {
		if strings.Contains(a, frr.BGPPath) || strings.Contains(a, frr.StaticPath) {
			t.Errorf("a per-daemon file in integrated mode: %s", a)
		}
	}
	for _, n := range []string{
		"frr: integrated mode (etc/frr/vtysh.conf says service integrated-vtysh-config): vtic installs etc/frr/frr.conf, not etc/frr/bgpd.conf, etc/frr/staticd.conf",
		"frr: etc/frr/frr.conf was not written by vtic; it holds no configuration that vtic's does not",
	} {
		if !hasNote(res, n) {
			t.Errorf("no note %q:\n%s", n, out)
		}
	}
	if !strings.Contains(out, "gw1: note: frr: integrated mode") {
		t.Errorf("the mode is not in the report:\n%s", out)
	}
	if got, want := w.file(frrreload.DaemonsPath), strings.Replace(debianDaemons, "bgpd=no", "bgpd=yes", 1); got != want {
		t.Errorf("daemons file:\n%s\nwant:\n%s", got, want)
	}
	if got := w.frr.Transcript(); !slices.Equal(got, []string{"restart", "reload integrated"}) {
		t.Errorf("FRR transcript %q", got)
	}
	if got := w.frr.State()["integrated"]; got != w.file(frr.IntegratedPath) || !strings.Contains(got, "router bgp 65001") {
		t.Errorf("FRR runs\n%s", got)
	}
	if w.exists(frr.BGPPath) || w.exists(frr.StaticPath) {
		t.Error("per-daemon files installed in integrated mode")
	}
	if res, out := w.mustApply(base.input(t)); len(res.Actions) != 0 || len(res.Notes) != 0 {
		t.Errorf("second apply:\n%s", out)
	}

	// A change is one reload, without a restart.
	w.resetTranscripts()
	res, out = w.mustApply(base.with(func(s *site) { s.Third = false }).input(t))
	if got := actionsWith(res, "frr: "); !slices.Equal(got, []string{"frr: reload the integrated configuration etc/frr/frr.conf"}) {
		t.Errorf("frr actions of a change %q\n%s", got, out)
	}
	if got := w.frr.Transcript(); !slices.Equal(got, []string{"reload integrated"}) {
		t.Errorf("FRR transcript %q", got)
	}
}

// A `write memory` rewrites frr.conf with what runs. The next apply says
// so, writes vtic's file again and reloads it, which drops what is not
// the site's (listed), and nothing of vtic's is lost or doubled.
func TestFRRAfterWriteMemory(t *testing.T) {
	w := newWorld(t)
	w.freshInstall()
	in := base.input(t)
	w.mustApply(in)
	vtic := w.file(frr.IntegratedPath)
	written := "frr version 8.4.4\nfrr defaults traditional\nhostname gw1\n" + vtic + "ip prefix-list OPERATOR seq 5 permit 10.99.0.0/24\n!\nend\n"
	w.put(frr.IntegratedPath, written)
	w.resetTranscripts()

	res, out := w.mustApply(in)
	if want := []string{"files: update etc/frr/frr.conf", "frr: reload the integrated configuration etc/frr/frr.conf"}; !slices.Equal(res.Actions, want) {
		t.Errorf("actions %q, want %q", res.Actions, want)
	}
	if !hasNote(res, "frr: etc/frr/frr.conf was changed since vtic wrote it (by vtysh's write memory, or by hand); vtic owns it and writes its own, which drops from it and from FRR: ip prefix-list OPERATOR seq 5 permit 10.99.0.0/24") {
		t.Errorf("no note naming what is dropped:\n%s", out)
	}
	if w.file(frr.IntegratedPath) != vtic || w.frr.State()["integrated"] != vtic {
		t.Errorf("after the apply, frr.conf and FRR run\n%s\n%s", w.file(frr.IntegratedPath), w.frr.State()["integrated"])
	}

	// A write memory of nothing but vtic's configuration drops nothing.
	w.put(frr.IntegratedPath, "frr version 8.4.4\nfrr defaults traditional\n"+vtic+"end\n")
	res, out = w.mustApply(in)
	if !hasNote(res, "frr: etc/frr/frr.conf was changed since vtic wrote it (by vtysh's write memory, or by hand); it holds no configuration that vtic's does not") {
		t.Errorf("note:\n%s", out)
	}
}

// A router set up per daemon gets bgpd.conf and staticd.conf, reloaded per
// daemon, and no frr.conf.
func TestFRRPerDaemon(t *testing.T) {
	w := newWorld(t)
	w.put(frrreload.VtyshConfPath, "no service integrated-vtysh-config\n")
	w.put(frrreload.DaemonsPath, debianDaemons)
	w.frr.SetDaemons("zebra", "staticd", "watchfrr")
	res, out := w.mustApply(base.input(t))
	if got, want := actionsWith(res, "frr: "), []string{
		"frr: enable bgpd in etc/frr/daemons and restart FRR", "frr: reload bgpd", "frr: reload staticd",
	}; !slices.Equal(got, want) {
		t.Errorf("frr actions %q, want %q", got, want)
	}
	if !hasNote(res, "frr: per-daemon mode (etc/frr/vtysh.conf says no service integrated-vtysh-config): vtic installs etc/frr/bgpd.conf, etc/frr/staticd.conf, not etc/frr/frr.conf") {
		t.Errorf("notes:\n%s", out)
	}
	if w.exists(frr.IntegratedPath) || !w.exists(frr.BGPPath) || !w.exists(frr.StaticPath) {
		t.Error("per-daemon mode: wrong files installed")
	}
}

// Switching a router from integrated to per-daemon mode removes vtic's
// frr.conf and installs the per-daemon files.
func TestFRRModeSwitch(t *testing.T) {
	w := newWorld(t)
	w.freshInstall()
	w.mustApply(base.input(t))
	w.put(frrreload.VtyshConfPath, "no service integrated-vtysh-config\n")
	res, out := w.mustApply(base.input(t))
	for _, want := range []string{
		"files: create etc/frr/bgpd.conf (0640)", "files: create etc/frr/staticd.conf (0640)", "files: remove etc/frr/frr.conf",
		"frr: reload bgpd", "frr: reload staticd",
	} {
		if !slices.Contains(res.Actions, want) {
			t.Errorf("actions lack %q:\n%s", want, out)
		}
	}
	if w.exists(frr.IntegratedPath) {
		t.Error("frr.conf kept")
	}
}

// Per-daemon mode beside a frr.conf vtic did not write: FRR's daemons
// would ignore vtic's files, so apply refuses before changing anything.
func TestFRRPerDaemonBesideFRRConf(t *testing.T) {
	w := newWorld(t)
	w.put(frrreload.VtyshConfPath, "no service integrated-vtysh-config\n")
	w.put(frr.IntegratedPath, debianFRRConf)
	before := w.snapshot()
	_, out, err := w.apply(base.input(t), Options{})
	if err == nil || !strings.Contains(err.Error(), "plan frr: FRR reads one file per daemon here") ||
		!strings.Contains(err.Error(), "etc/frr/frr.conf exists") {
		t.Fatalf("err = %v\n%s", err, out)
	}
	w.same(before, w.snapshot(), "refused apply")
}

// A configuration FRR rejects fails the plan with FRR's message; nothing
// changes, not even the daemons file.
func TestFRRRejects(t *testing.T) {
	for _, fault := range []string{"check", "test-reload integrated"} {
		t.Run(fault, func(t *testing.T) {
			w := newWorld(t)
			w.freshInstall()
			w.put(LockPath, "") // the lock is taken before planning
			before, inodes := w.snapshot(), w.inodes()
			w.frr.FailOn(fault, errors.New("line 12: % Unknown command: neighbor 10.0.0.1 frobnicate"))
			_, out, err := w.apply(base.input(t), Options{})
			if err == nil || !strings.Contains(err.Error(), "plan frr: etc/frr/frr.conf: frr: ") ||
				!strings.Contains(err.Error(), "% Unknown command: neighbor 10.0.0.1 frobnicate") {
				t.Fatalf("err = %v\n%s", err, out)
			}
			w.same(before, w.snapshot(), "rejected apply")
			if d := cmpMaps(inodes, w.inodes()); d != "" {
				t.Errorf("rejected apply touched files:\n%s", d)
			}
			if got := w.writes(); got != "kernel 0, charon 0, frr 0, iptables 0" {
				t.Errorf("rejected apply wrote: %s", got)
			}
		})
	}
}

// bgpd started some other way than FRR's init: the daemons file is fixed
// for the next boot, FRR is not restarted.
func TestFRREnableWithoutRestart(t *testing.T) {
	w := newWorld(t)
	w.freshInstall()
	w.frr.SetDaemons("zebra", "bgpd", "staticd")
	res, out := w.mustApply(base.input(t))
	if got := actionsWith(res, "frr: enable"); !slices.Equal(got, []string{
		"frr: enable bgpd in etc/frr/daemons (it runs already; FRR's init starts it from now on)",
	}) {
		t.Errorf("frr actions %q\n%s", got, out)
	}
	if slices.Contains(w.frr.Transcript(), "restart") {
		t.Error("FRR restarted")
	}
}

// Daemons enabled but not running (FRR stopped): one restart, no edit.
func TestFRRRestartWhenDown(t *testing.T) {
	w := newWorld(t)
	w.freshInstall()
	w.put(frrreload.DaemonsPath, strings.Replace(debianDaemons, "bgpd=no", "bgpd=yes", 1))
	w.frr.SetDaemons()
	res, out := w.mustApply(base.input(t))
	if got := actionsWith(res, "frr: re"); !slices.Equal(got, []string{
		"frr: restart FRR (bgpd and staticd do not run)", "frr: reload the integrated configuration etc/frr/frr.conf",
	}) {
		t.Errorf("frr actions %q\n%s", got, out)
	}
	if got := w.frr.Transcript(); !slices.Equal(got, []string{"restart", "reload integrated"}) {
		t.Errorf("FRR transcript %q", got)
	}
}

// Without a daemons file there is nothing to enable bgpd in: apply says
// what to do before it changes anything.
func TestFRRDaemonMissingNoDaemonsFile(t *testing.T) {
	w := newWorld(t)
	w.frr.SetDaemons("zebra", "staticd")
	before := w.snapshot()
	_, _, err := w.apply(base.input(t), Options{})
	if err == nil || !strings.Contains(err.Error(), "plan frr: FRR's bgpd does not run, and there is no etc/frr/daemons") {
		t.Fatalf("err = %v", err)
	}
	w.same(before, w.snapshot(), "refused apply")
}

// A failure after the frr step on a fresh install puts everything back:
// frr.conf and the daemons file as installed, FRR restarted with its
// earlier daemons and running what it ran.
func TestFRRRollbackAfterRestart(t *testing.T) {
	w := newWorld(t)
	w.freshInstall()
	before := w.snapshot()
	w.failInstall[StatePath] = 2 // the state step, after frr
	_, out, err := w.apply(base.input(t), Options{})
	var se *StepError
	if !errors.As(err, &se) || se.Step != "state" || se.Rollback != nil {
		t.Fatalf("err = %v\n%s", err, out)
	}
	w.same(before, w.snapshot(), "after rollback")
	if got, want := w.frr.Transcript(), []string{
		"restart", "reload integrated", // the apply
		"reload integrated", "restart", "reload integrated", // its undo
	}; !slices.Equal(got, want) {
		t.Errorf("FRR transcript %q, want %q", got, want)
	}
}

// When FRR fails during the rollback (a daemon died), the message says
// what is left and how to recover.
func TestFRRRollbackIncomplete(t *testing.T) {
	w := newWorld(t)
	w.freshInstall()
	w.mustApply(base.input(t))
	clear(w.installs)
	w.failInstall[StatePath] = 2
	w.onFail = func() { w.frr.FailOn("reload integrated", errors.New("vtysh: bgpd is not running")) }
	_, _, err := w.apply(base.with(func(s *site) { s.Third = false }).input(t), Options{})
	var se *StepError
	if !errors.As(err, &se) || se.Rollback == nil {
		t.Fatalf("err = %v", err)
	}
	for _, want := range []string{
		"rollback incomplete", "frr: put back what FRR ran before: frr: reload the integrated configuration: vtysh: bgpd is not running",
		"FRR's files under etc/frr are as they were before the apply: restart FRR through its init (systemctl restart frr, or /usr/lib/frr/frrinit.sh restart",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message lacks %q:\n%v", want, err)
		}
	}
}

// TestRollbackAtEachStep on a router with FRR as Debian installs it: the
// first apply enables bgpd and restarts FRR, every apply reloads FRR's
// integrated configuration. A failure at any step leaves files, kernel
// and daemons as they were.
func TestRollbackAtEachStepIntegrated(t *testing.T) {
	faultsHere := append(slices.Clone(faults), fault{"frr", func(w *world, _ transition) { w.frr.FailOn("restart", errInjected) }})
	for _, tr := range transitions {
		for i, f := range faultsHere {
			name := tr.name + "/" + f.step
			if i == len(faultsHere)-1 {
				if tr.from != nil {
					continue // only the first apply restarts FRR
				}
				name += "/restart"
			}
			t.Run(name, func(t *testing.T) {
				w := newWorld(t)
				w.freshInstall()
				if tr.from != nil {
					w.mustApply(tr.from.input(t))
				}
				w.resetTranscripts()
				clear(w.installs)
				in := tr.to.input(t)
				before := w.snapshot()
				if f.step == "frr" && i != len(faultsHere)-1 {
					w.frr.FailOn("reload integrated", errInjected)
				} else {
					f.inject(w, tr)
				}
				_, out, err := w.apply(in, Options{})
				var se *StepError
				if !errors.As(err, &se) || se.Step != f.step || se.Rollback != nil || !errors.Is(err, errInjected) {
					t.Fatalf("err = %v; want step %q failed and rolled back\n%s", err, f.step, out)
				}
				w.same(before, w.snapshot(), "after rollback")
				w.clearFaults()
				w.mustApply(in)
				if res, _ := w.mustApply(in); len(res.Actions) != 0 {
					t.Errorf("after recovering: %v", res.Actions)
				}
			})
		}
	}
}
