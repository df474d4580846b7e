package apply

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/vtic/vtic/targets/frr"
)

// Routes into a tunnel reach the kernel through FRR's staticd: adding them
// is one reload of the configuration that holds them, a second apply does
// nothing, and a failed later step puts FRR back to the routes it had.
func TestTunnelRoutes(t *testing.T) {
	w := newWorld(t)
	w.freshInstall()
	w.mustApply(base.input(t))
	withRoutes := base.with(func(s *site) { s.Routes3 = true })
	const r1, r2 = "ip route 10.30.0.0/16 vti3\n", "ip route 10.31.0.0/16 vti3 200\n"

	// A later step fails: the reload is undone.
	before := w.snapshot()
	w.resetTranscripts()
	w.failInstall[StatePath] = w.installs[StatePath] + 2
	_, out, err := w.apply(withRoutes.input(t), Options{})
	var se *StepError
	if !errors.As(err, &se) || se.Step != "state" || se.Rollback != nil {
		t.Fatalf("err = %v\n%s", err, out)
	}
	w.same(before, w.snapshot(), "after rollback")
	if got, want := w.frr.Transcript(), []string{"reload integrated", "reload integrated"}; !slices.Equal(got, want) {
		t.Errorf("FRR transcript %q, want %q (the reload and its undo)", got, want)
	}
	if got := w.frr.State()["integrated"]; strings.Contains(got, r1) {
		t.Errorf("FRR kept the route after the rollback:\n%s", got)
	}
	clear(w.failInstall)

	w.resetTranscripts()
	res, out := w.mustApply(withRoutes.input(t))
	if got := actionsWith(res, "frr: "); !slices.Equal(got, []string{"frr: reload the integrated configuration etc/frr/frr.conf"}) {
		t.Errorf("frr actions %q\n%s", got, out)
	}
	running := w.frr.State()["integrated"]
	if !strings.Contains(running, r1) || !strings.Contains(running, r2) {
		t.Errorf("FRR runs without the tunnel's routes:\n%s", running)
	}
	if running != w.file(frr.IntegratedPath) {
		t.Error("FRR runs something else than the installed frr.conf")
	}
	if res, out := w.mustApply(withRoutes.input(t)); len(res.Actions) != 0 {
		t.Errorf("second apply:\n%s", out)
	}
}
