package apply

import (
	"context"
	"errors"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vtic/vtic/apply/charon"
	"github.com/vtic/vtic/internal/testkit/testdaemon"
	"github.com/vtic/vtic/targets/swanctl"
)

// The first apply on a router whose charon is not running starts it, in
// the charon step: after the files, so that it reads vtic's settings
// snippet (no restart is needed on top), and it says so in the plan.
func TestCharonStartedOnFirstApply(t *testing.T) {
	w := newWorld(t)
	w.charon.SetDown(true)
	settingsAtStart := false
	w.charon.LoadOnRestart = func() ([]charonConn, []charonSecret) {
		_, err := os.Stat(filepath.Join(w.root, swanctl.SettingsPath))
		settingsAtStart = err == nil
		return nil, nil
	}
	in := base.input(t)
	res, out := w.mustApply(in)
	if got := actionsWith(res, "charon: "); !slices.Equal(got[:1], []string{"charon: start (not running; " + charon.FakeHowToStart + ")"}) {
		t.Errorf("charon actions %q\n%s", got, out)
	}
	if slices.ContainsFunc(res.Actions, func(a string) bool { return strings.HasPrefix(a, "charon: restart") }) {
		t.Errorf("a restart is planned on top of the start:\n%s", out)
	}
	if got := w.charon.Transcript(); len(got) == 0 || got[0] != "start" {
		t.Errorf("charon writes %q; want the start first", got)
	}
	if !settingsAtStart {
		t.Error("charon was started before the settings snippet was installed")
	}
	conns, secrets := inputCharon(t, in)
	gotConns, gotSecrets := w.charon.Loaded()
	if !slices.Equal(slices.Sorted(maps.Keys(gotConns)), connNames(conns)) || len(gotSecrets) != len(secrets) {
		t.Errorf("loaded after the start:\n%s", w.charon)
	}
	if res, _ := w.mustApply(in); len(res.Actions) != 0 {
		t.Errorf("second apply: %q", res.Actions)
	}
}

func connNames(conns []charon.Conn) []string {
	var out []string
	for _, c := range conns {
		out = append(out, c.Name)
	}
	return out
}

// A converged router whose charon stopped (a crash, a boot where it is not
// a service): apply starts it and loads the connections again. Where the
// service loads the files itself on start (swanctl --load-all), nothing is
// left to load.
func TestCharonStartedWhenStopped(t *testing.T) {
	for _, service := range []bool{false, true} {
		w := newWorld(t)
		in := base.input(t)
		w.mustApply(in)
		w.resetTranscripts()
		w.charon.SetDown(true)
		if service {
			conns, secrets := inputCharon(t, in)
			w.charon.LoadOnRestart = func() ([]charonConn, []charonSecret) { return conns, secrets }
		}
		res, out := w.mustApply(in)
		want := []string{"charon: start (not running; " + charon.FakeHowToStart + ")",
			"charon: load-shared ike-gw1-gw2", "charon: load-shared ike-gw1-gw3",
			"charon: load-conn gw1-gw2", "charon: load-conn gw1-gw3"}
		if !slices.Equal(res.Actions, want) {
			t.Errorf("service %v: actions %q; want %q\n%s", service, res.Actions, want, out)
		}
		wantWrites := []string{"start", "load-shared ike-gw1-gw2", "load-shared ike-gw1-gw3", "load-conn gw1-gw2", "load-conn gw1-gw3"}
		if service {
			wantWrites = wantWrites[:1]
		}
		if got := w.charon.Transcript(); !slices.Equal(got, wantWrites) {
			t.Errorf("service %v: charon writes %q; want %q", service, got, wantWrites)
		}
		if got := w.writes(); got != "kernel 0, charon "+strconv.Itoa(len(wantWrites))+", frr 0, iptables 0" {
			t.Errorf("service %v: writes %s; want charon's only", service, got)
		}
		if res, _ := w.mustApply(in); len(res.Actions) != 0 {
			t.Errorf("service %v: second apply: %q", service, res.Actions)
		}
	}
}

// When charon is not running and cannot be started, apply fails before it
// changes anything, with one line that names what to start. A dry run
// says the same.
func TestCharonCannotStart(t *testing.T) {
	w := newWorld(t)
	w.mustApply(base.input(t))
	w.resetTranscripts()
	w.charon.SetDown(true)
	w.charon.CannotStart = errors.New("strongswan.service is not installed; start charon, then apply again")
	before := w.snapshot()
	for _, dry := range []bool{false, true} {
		_, out, err := w.apply(base.with(func(s *site) { s.MTU2 = 1380 }).input(t), Options{DryRun: dry})
		if err == nil {
			t.Fatalf("dry run %v: apply succeeded\n%s", dry, out)
		}
		msg := err.Error()
		if !strings.Contains(msg, "charon is not running") || !strings.Contains(msg, "strongswan.service") || strings.Contains(msg, "\n") {
			t.Errorf("dry run %v: error %q; want one line saying charon is not running and naming the unit", dry, msg)
		}
		w.same(before, w.snapshot(), "apply with a charon that cannot start")
		if got := w.writes(); got != "kernel 0, charon 0, frr 0, iptables 0" {
			t.Errorf("dry run %v: writes %s", dry, got)
		}
	}
}

// A dry run plans the start and starts nothing.
func TestCharonStartDryRun(t *testing.T) {
	w := newWorld(t)
	w.mustApply(base.input(t))
	w.resetTranscripts()
	w.charon.SetDown(true)
	res, out, err := w.apply(base.input(t), Options{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Actions) == 0 || res.Actions[0] != "charon: start (not running; "+charon.FakeHowToStart+")" {
		t.Errorf("dry run actions %q\n%s", res.Actions, out)
	}
	if !w.charon.Down() || len(w.charon.Transcript()) != 0 {
		t.Errorf("a dry run touched charon: down %v, writes %q", w.charon.Down(), w.charon.Transcript())
	}
}

// A step after a start fails: the started charon stays running, with the
// previous configuration loaded, whatever the service's swanctl
// --load-all loaded from the new files.
func TestCharonStartRolledBack(t *testing.T) {
	w := newWorld(t)
	old := base.with(func(s *site) { s.Enabled3 = false }).input(t)
	w.mustApply(old)
	oldConns, oldSecrets := w.charon.Loaded()
	w.resetTranscripts()
	w.charon.SetDown(true)
	in := base.input(t) // enables gw1-gw3 and so changes gw1-gw2's files too
	conns, secrets := inputCharon(t, in)
	w.charon.LoadOnRestart = func() ([]charonConn, []charonSecret) { return conns, secrets }
	w.failInstall[StatePath] = w.installs[StatePath] + 2 // the state step, the last one
	_, out, err := w.apply(in, Options{})
	var se *StepError
	if !errors.As(err, &se) || se.Step != "state" || se.Rollback != nil {
		t.Fatalf("err = %v; want a state step failure, fully rolled back\n%s", err, out)
	}
	if w.charon.Down() {
		t.Fatal("charon was stopped by the rollback")
	}
	gotConns, gotSecrets := w.charon.Loaded()
	if !maps.Equal(gotConns, oldConns) || !maps.Equal(gotSecrets, oldSecrets) {
		t.Errorf("after the rollback charon holds\n%swant the previous configuration (%v, %v)", w.charon, oldConns, oldSecrets)
	}
}

// A start that fails leaves charon as it was, not running, and the rest
// is rolled back.
func TestCharonStartFails(t *testing.T) {
	w := newWorld(t)
	w.mustApply(base.input(t))
	w.charon.SetDown(true)
	before := w.snapshot()
	w.charon.FailOn("start", errors.New("job for strongswan.service failed"))
	_, out, err := w.apply(base.with(func(s *site) { s.MTU2 = 1380 }).input(t), Options{})
	var se *StepError
	if !errors.As(err, &se) || se.Step != "charon" || se.Rollback != nil || !strings.Contains(err.Error(), "strongswan.service failed") {
		t.Fatalf("err = %v; want a charon step failure, fully rolled back\n%s", err, out)
	}
	w.same(before, w.snapshot(), "apply whose charon start failed")
}

// With a real charon that is stopped before the first apply: apply starts
// it with the start command (here the one its test service manager
// takes), after installing the files, and loads the connections.
func TestCharonStartAgainstCharon(t *testing.T) {
	ch := testdaemon.StartCharon(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if out, err := exec.Command("/bin/sh", "-c", ch.Stop).CombinedOutput(); err != nil {
		t.Fatalf("stop charon: %v\n%s", err, out)
	}
	w := newWorld(t)
	vici := &charon.VICI{Socket: ch.URI, RestartCommand: ch.Restart, StartCommand: ch.Start, StartTimeout: 20 * time.Second}
	sys := w.system()
	sys.Charon = vici
	in := base.input(t)
	var out strings.Builder
	res, err := Apply(ctx, sys, in, Options{Out: &out})
	if err != nil {
		t.Fatalf("%v\n%s\n%s", err, out.String(), ch.LogTail())
	}
	if got := actionsWith(res, "charon: "); len(got) == 0 || got[0] != "charon: start (not running; "+ch.Start+")" {
		t.Errorf("charon actions %q", got)
	}
	conns, err := vici.Conns(ctx)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(conns)
	if want := []string{"gw1-gw2", "gw1-gw3"}; !slices.Equal(conns, want) {
		t.Errorf("charon holds %v; want %v", conns, want)
	}
	if res, err := Apply(ctx, sys, in, Options{}); err != nil || len(res.Actions) != 0 {
		t.Errorf("second apply: %v, %v", res, err)
	}
}
