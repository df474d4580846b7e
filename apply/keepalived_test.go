package apply

import (
	"errors"
	"slices"
	"strings"
	"testing"

	kconf "github.com/vtic/vtic/targets/keepalived"
)

// A router that joins a pair gets keepalived.conf and keepalived started;
// the same apply again does nothing to it; a changed address reloads it;
// leaving the pair removes the file and stops keepalived.
func TestKeepalivedConverges(t *testing.T) {
	w := newWorld(t)
	w.freshInstall()
	paired := base.with(func(s *site) { s.PairAddr = "10.1.0.1/16" })

	res, _ := w.mustApply(paired.input(t))
	if got := actionsWith(res, "keepalived: "); !slices.Equal(got, []string{"keepalived: start"}) {
		t.Errorf("first apply: keepalived actions %q, want start", got)
	}
	if !strings.Contains(w.file(kconf.Path), "\t\t10.1.0.1/16 dev lan0\n") {
		t.Errorf("keepalived.conf:\n%s", w.file(kconf.Path))
	}

	w.keep.ResetTranscript()
	res, _ = w.mustApply(paired.input(t))
	if got := actionsWith(res, "keepalived: "); len(got) != 0 || len(w.keep.Transcript()) != 0 {
		t.Errorf("unchanged apply: keepalived actions %q, transcript %q; want none", got, w.keep.Transcript())
	}

	moved := base.with(func(s *site) { s.PairAddr = "10.1.0.9/16" })
	w.mustApply(moved.input(t))
	if got := w.keep.Transcript(); !slices.Equal(got, []string{"reload"}) {
		t.Errorf("changed address: transcript %q, want reload", got)
	}

	w.keep.ResetTranscript()
	w.mustApply(base.input(t))
	if got := w.keep.Transcript(); !slices.Equal(got, []string{"stop"}) || w.exists(kconf.Path) {
		t.Errorf("left the pair: transcript %q, file exists %v; want stop and no file", got, w.exists(kconf.Path))
	}
}

// A keepalived that fails to start rolls the apply back: no file.
func TestKeepalivedStartFails(t *testing.T) {
	w := newWorld(t)
	w.freshInstall()
	w.keep.FailOn("start", errors.New("keepalived: start keepalived.service: exit status 1"))
	_, out, err := w.apply(base.with(func(s *site) { s.PairAddr = "10.1.0.1/16" }).input(t), Options{})
	if err == nil {
		t.Fatalf("apply succeeded:\n%s", out)
	}
	if w.exists(kconf.Path) {
		t.Error("keepalived.conf stayed after the rollback")
	}
}
