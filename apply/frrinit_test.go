package apply

import (
	"context"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/vtic/vtic/apply/frrreload"
	"github.com/vtic/vtic/internal/testkit/testdaemon"
	"github.com/vtic/vtic/targets/frr"
)

// frrInitWorld is a world whose router is FRR run by its own init with
// the frr package's files (testdaemon.StartFRRInit); kernel, charon and
// iptables stay fakes.
func frrInitWorld(t *testing.T, opts testdaemon.FRRInitOptions) (*world, *testdaemon.FRRInit) {
	t.Helper()
	f := testdaemon.StartFRRInit(t, opts)
	w := newWorld(t)
	w.root = f.Root
	w.realFRR = &frrreload.Script{Command: f.Reload(), Vtysh: f.Vtysh(), RestartCommand: f.Init("restart")}
	return w, f
}

// running is the real FRR's whole running configuration.
func (w *world) running() string {
	w.t.Helper()
	b, err := w.realFRR.Running(context.Background(), frrreload.Integrated)
	if err != nil {
		w.t.Fatal(err)
	}
	return string(b)
}

// once fails unless each line occurs exactly once in the running
// configuration: nothing of vtic's lost or doubled.
func (w *world) once(what string, lines ...string) {
	w.t.Helper()
	run := w.running()
	for _, l := range lines {
		if n := strings.Count(run, l+"\n"); n != 1 {
			w.t.Errorf("%s: %q runs %d times:\n%s", what, l, n, run)
		}
	}
}

// vticLines are lines of gw1's configuration in the base site.
var vticLines = []string{
	"router bgp 65001",
	" neighbor 169.254.20.2 remote-as 65002",
	" neighbor 169.254.30.2 remote-as 65003",
	"route-map VTIC-IN permit 10",
	"ip route 198.51.100.1/32 192.0.2.254",
	"ip route 203.0.113.1/32 192.0.2.254",
}

// reboot stops FRR and starts it again through its init, as a reboot
// does.
func reboot(t *testing.T, f *testdaemon.FRRInit) {
	t.Helper()
	n := len(f.Prefix)
	f.Run(t, f.Init("stop")[n:]...)
	f.Run(t, f.Init("start")[n:]...)
	f.WaitSettled(t)
}

// TestFRRInitIntegrated runs apply against FRR as a fresh Debian install
// runs it (integrated, bgpd=no): a failed first apply puts everything
// back, restart included; the first apply enables bgpd, restarts FRR and
// loads vtic's configuration; a change is reloaded; a write memory in
// vtysh and another apply leave vtic's configuration exactly once; a
// configuration FRR rejects changes nothing; and after a reboot FRR runs
// the same.
func TestFRRInitIntegrated(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and restarts FRR several times; about 60 s")
	}
	w, f := frrInitWorld(t, testdaemon.FRRInitOptions{})
	in := base.input(t)
	packageDaemons := w.file(frrreload.DaemonsPath)
	if frrreload.DaemonEnabled([]byte(packageDaemons), "bgpd") {
		t.Fatal("the package's daemons file enables bgpd")
	}

	// A failure after the frr step: frr.conf and the daemons file as the
	// package installed them, FRR restarted without bgpd, running what it
	// ran.
	before := w.snapshot()
	w.failInstall[StatePath] = 2
	_, out, err := w.apply(in, Options{})
	var se *StepError
	if !errors.As(err, &se) || se.Step != "state" || se.Rollback != nil {
		t.Fatalf("err = %v\n%s", err, out)
	}
	w.same(before, w.snapshot(), "after the rollback of a first apply")
	clear(w.failInstall)

	res, out := w.mustApply(in)
	t.Logf("first apply:\n%s", out)
	for _, want := range []string{
		"files: update etc/frr/frr.conf",
		"frr: enable bgpd in etc/frr/daemons and restart FRR",
		"frr: reload the integrated configuration etc/frr/frr.conf",
	} {
		if !slices.Contains(res.Actions, want) {
			t.Errorf("first apply: no %q:\n%s", want, out)
		}
	}
	if !strings.Contains(out, "note: frr: integrated mode (etc/frr/vtysh.conf says service integrated-vtysh-config)") {
		t.Errorf("first apply: the mode is not shown:\n%s", out)
	}
	if got, want := w.file(frrreload.DaemonsPath), strings.Replace(packageDaemons, "\nbgpd=no\n", "\nbgpd=yes\n", 1); got != want {
		t.Errorf("daemons file after the first apply differs from the package's in more than bgpd=yes:\n%s", got)
	}
	if up, _ := w.realFRR.Daemons(context.Background()); !slices.Contains(up, "bgpd") {
		t.Errorf("bgpd does not run: %v", up)
	}
	vtic := w.file(frr.IntegratedPath)
	if vtic != string(fileOf(in, frr.IntegratedPath)) {
		t.Errorf("frr.conf is not vtic's:\n%s", vtic)
	}
	if w.exists(frr.BGPPath) {
		t.Error("bgpd.conf installed in integrated mode")
	}
	w.once("after the first apply", vticLines...)
	if res, out := w.mustApply(in); len(res.Actions) != 0 {
		t.Errorf("second apply:\n%s", out)
	}

	// A change: a reload, no restart.
	less := base.with(func(s *site) { s.Third = false }).input(t)
	res, out = w.mustApply(less)
	if got := actionsWith(res, "frr: "); !slices.Equal(got, []string{"frr: reload the integrated configuration etc/frr/frr.conf"}) {
		t.Errorf("the change: frr actions %q\n%s", got, out)
	}
	if run := w.running(); strings.Contains(run, "169.254.30.2") || strings.Contains(run, "198.51.100.1/32") {
		t.Errorf("the removed tunnel still runs:\n%s", run)
	}
	w.mustApply(in)

	// write memory: vtysh rewrites frr.conf with what runs; the next
	// apply writes vtic's file again and nothing runs twice.
	f.Run(t, "vtysh", "-c", "write memory")
	if w.file(frr.IntegratedPath) == vtic {
		t.Fatal("write memory did not rewrite frr.conf")
	}
	res, out = w.mustApply(in)
	if !slices.Contains(res.Actions, "files: update etc/frr/frr.conf") ||
		!hasNote(res, "etc/frr/frr.conf was changed since vtic wrote it (by vtysh's write memory, or by hand); it holds no configuration that vtic's does not") {
		t.Errorf("apply after write memory:\n%s", out)
	}
	if w.file(frr.IntegratedPath) != vtic {
		t.Error("frr.conf is not vtic's again")
	}
	w.once("after write memory and an apply", vticLines...)

	// Configuration made in vtysh and saved is not the site's: the apply
	// names it and drops it.
	f.Run(t, "vtysh", "-c", "configure", "-c", "ip prefix-list OPERATOR seq 5 permit 10.99.0.0/24", "-c", "end", "-c", "write memory")
	res, out = w.mustApply(in)
	t.Logf("apply after an operator's write memory:\n%s", out)
	if !hasNote(res, "which drops from it and from FRR: ip prefix-list OPERATOR seq 5 permit 10.99.0.0/24") {
		t.Errorf("apply after an operator's write memory:\n%s", out)
	}
	if strings.Contains(w.running(), "OPERATOR") {
		t.Error("the operator's prefix-list still runs")
	}
	w.once("after an operator's write memory and an apply", vticLines...)

	// A configuration FRR rejects: the apply fails in the plan with
	// FRR's message, and nothing changes.
	bad := base.input(t)
	setFile(bad, frr.IntegratedPath, append(fileOf(bad, frr.IntegratedPath), "router bgp 65001\n neighbor 169.254.20.2 frobnicate\n"...))
	before = w.snapshot()
	_, out, err = w.apply(bad, Options{})
	if err == nil || !strings.Contains(err.Error(), "plan frr: etc/frr/frr.conf: frr: vtysh -C rejects the configuration") ||
		!strings.Contains(err.Error(), "frobnicate") {
		t.Fatalf("a configuration FRR rejects: err = %v\n%s", err, out)
	}
	t.Logf("a configuration FRR rejects: %v", err)
	w.same(before, w.snapshot(), "after a rejected configuration")

	// A reboot: FRR's init loads vtic's frr.conf; nothing to apply.
	running := w.running()
	reboot(t, f)
	if got := w.running(); got != running {
		t.Errorf("after a reboot FRR runs\n%s\nbefore it ran\n%s", got, running)
	}
	if res, out := w.mustApply(in); len(res.Actions) != 0 {
		t.Errorf("apply after a reboot:\n%s", out)
	}
}

// TestFRRInitPerDaemon runs apply against FRR set up per daemon: the
// first apply installs bgpd.conf and staticd.conf, enables bgpd and
// restarts FRR; a failure after a reload puts the running configuration
// back; write memory and an apply leave vtic's configuration once; a
// reboot runs the same. FRR's daemons do not read their own files while a
// frr.conf exists, which is why apply refuses that setup.
func TestFRRInitPerDaemon(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and restarts FRR several times; about 40 s")
	}
	w, f := frrInitWorld(t, testdaemon.FRRInitOptions{PerDaemon: true})
	in := base.input(t)
	res, out := w.mustApply(in)
	for _, want := range []string{
		"files: update etc/frr/staticd.conf", // FRR's init made it, empty
		"files: create etc/frr/bgpd.conf (0640)",
		"frr: enable bgpd in etc/frr/daemons and restart FRR",
		"frr: reload bgpd", "frr: reload staticd",
	} {
		if !slices.Contains(res.Actions, want) {
			t.Errorf("first apply: no %q:\n%s", want, out)
		}
	}
	if w.exists(frr.IntegratedPath) {
		t.Error("frr.conf installed in per-daemon mode")
	}
	w.once("after the first apply", vticLines...)

	// A failure after the reloads puts back what ran.
	before := w.snapshot()
	clear(w.installs)
	w.failInstall[StatePath] = 2
	if _, out, err := w.apply(base.with(func(s *site) { s.Third = false }).input(t), Options{}); err == nil {
		t.Fatalf("the injected failure did not fail the apply:\n%s", out)
	}
	w.same(before, w.snapshot(), "after a rollback")
	clear(w.failInstall)

	f.Run(t, "vtysh", "-c", "write memory")
	res, out = w.mustApply(in)
	if !slices.Contains(res.Actions, "files: update etc/frr/bgpd.conf") || !hasNote(res, "etc/frr/bgpd.conf was changed since vtic wrote it") {
		t.Errorf("apply after write memory:\n%s", out)
	}
	w.once("after write memory and an apply", vticLines...)

	running := w.running()
	reboot(t, f)
	if got := w.running(); got != running {
		t.Errorf("after a reboot FRR runs\n%s\nbefore it ran\n%s", got, running)
	}
	if res, out := w.mustApply(in); len(res.Actions) != 0 {
		t.Errorf("apply after a reboot:\n%s", out)
	}

	// With a frr.conf, FRR's daemons start without their own files.
	w.put(frr.IntegratedPath, debianFRRConf)
	reboot(t, f)
	if run := w.running(); strings.Contains(run, "router bgp") {
		t.Errorf("bgpd read bgpd.conf although frr.conf exists:\n%s", run)
	}
	if _, _, err := w.apply(in, Options{}); err == nil || !strings.Contains(err.Error(), "FRR's daemons do not read their own files while it does") {
		t.Errorf("apply beside a frr.conf: err = %v", err)
	}
	if err := os.Remove(w.root + "/" + frr.IntegratedPath); err != nil {
		t.Fatal(err)
	}
}

// fileOf returns the data of one of in's files.
func fileOf(in Input, path string) []byte {
	for _, f := range in.Files {
		if f.Path == path {
			return f.Data
		}
	}
	return nil
}

func setFile(in Input, path string, data []byte) {
	for i := range in.Files {
		if in.Files[i].Path == path {
			in.Files[i].Data = data
		}
	}
}
