package apply

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/vtic/vtic/compile"
	"github.com/vtic/vtic/lang"
	"github.com/vtic/vtic/targets/bird"
	"github.com/vtic/vtic/targets/libreswan"
)

// mixedSite is a router that runs libreswan and BIRD (ls1), a strongSwan
// router at the other end of one tunnel, and a peer at the other end of a
// second tunnel that can be left out.
type mixedSite struct {
	DPD string // dpd_delay of ls1-ss1
	Far bool   // declare the tunnel ls1-far
}

func (s mixedSite) input(t *testing.T) Input {
	t.Helper()
	dir := t.TempDir()
	hcl := `
router "ls1" {
  asn      = 65101
  outside  = "192.0.2.1"
  gateway  = "192.0.2.254"
  announce = ["10.11.0.0/16"]
  ike      = "libreswan"
  routing  = "bird"
}
router "ss1" {
  asn     = 65102
  outside = "203.0.113.12"
}
peer "far" {
  outside = "198.51.100.7"
}
tunnel "ls1-ss1" {
  psk     = file("secrets/k.psk")
  options = { dpd_delay = "` + s.DPD + `" }
  end "ls1" {
    interface = "vti4"
    inside    = "169.254.40.1/30"
  }
  end "ss1" {
    interface = "vti4"
    inside    = "169.254.40.2/30"
  }
}
`
	if s.Far {
		hcl += `
tunnel "ls1-far" {
  psk = file("secrets/k.psk")
  end "ls1" {
    interface = "vti5"
    inside    = "169.254.41.1/30"
  }
  end "far" {
    inside = "169.254.41.2/30"
  }
}
`
	}
	if err := os.WriteFile(filepath.Join(dir, "site.hcl"), []byte(hcl), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "secrets"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "secrets", "k.psk"), []byte(`a "quoted" key\`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	st, diags := lang.LoadDir(dir, lang.Options{})
	if diags.HasErrors() {
		t.Fatalf("test site: %v", diags)
	}
	plan, err := compile.Compile(st)
	if err != nil {
		t.Fatal(err)
	}
	in, err := FromHost(plan.Host("ls1"))
	if err != nil {
		t.Fatal(err)
	}
	return in
}

var mixedBase = mixedSite{DPD: "5s", Far: true}

// transcripts returns what each daemon was told since the last call.
func (w *world) daemonTranscripts() map[string][]string {
	out := map[string][]string{
		"pluto":  w.pluto.Transcript(),
		"bird":   w.bird.Transcript(),
		"charon": w.charon.Transcript(),
		"frr":    w.frr.Transcript(),
	}
	w.pluto.ResetTranscript()
	w.bird.ResetTranscript()
	w.charon.ResetTranscript()
	w.frr.ResetTranscript()
	return out
}

func wantDaemons(t *testing.T, w *world, pluto, bird []string) {
	t.Helper()
	want := map[string][]string{"pluto": pluto, "bird": bird, "charon": nil, "frr": nil}
	if d := cmp.Diff(want, w.daemonTranscripts(), cmpopts.EquateEmpty()); d != "" {
		t.Errorf("daemons were told (-want +got):\n%s", d)
	}
}

// A libreswan and BIRD router: the first apply loads and initiates every
// conn and reconfigures BIRD; charon and FRR are never touched. A no-op
// apply tells no daemon anything; a changed conn is replaced alone; a
// removed tunnel's conn is deleted.
func TestApplyLibreswanBird(t *testing.T) {
	w := newWorld(t)
	res, out := w.mustApply(mixedBase.input(t))
	wantDaemons(t, w,
		[]string{"rereadsecrets", "replace ls1-far", "up ls1-far", "replace ls1-ss1", "up ls1-ss1"},
		[]string{"configure"})
	for _, p := range []string{libreswan.ConnsPath, libreswan.SecretsPath, bird.Path} {
		if !strings.Contains(out, "files: create "+p) {
			t.Errorf("first apply does not create %s:\n%s", p, out)
		}
	}
	fi, err := os.Stat(filepath.Join(w.root, filepath.FromSlash(libreswan.SecretsPath)))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("%s: %v, mode %v; want 0600", libreswan.SecretsPath, err, fi.Mode())
	}
	if got := w.pluto.Loaded(); !cmp.Equal(got, []string{"ls1-far", "ls1-ss1"}) {
		t.Errorf("loaded conns %v", got)
	}
	_ = res

	res, out = w.mustApply(mixedBase.input(t))
	if len(res.Actions) != 0 {
		t.Errorf("no-op apply plans %v\n%s", res.Actions, out)
	}
	wantDaemons(t, w, nil, nil)

	w.mustApply(mixedBase.with(func(s *mixedSite) { s.DPD = "7s" }).input(t))
	wantDaemons(t, w, []string{"replace ls1-ss1", "up ls1-ss1"}, nil)

	w.mustApply(mixedSite{DPD: "7s"}.input(t))
	wantDaemons(t, w, []string{"rereadsecrets", "delete ls1-far"}, []string{"configure"})
	if got := w.pluto.Loaded(); !cmp.Equal(got, []string{"ls1-ss1"}) {
		t.Errorf("loaded conns %v", got)
	}
}

func (s mixedSite) with(f func(*mixedSite)) mixedSite { f(&s); return s }

// A step that fails after pluto was told puts every conn back as the
// installed plan had it, after the files.
func TestApplyLibreswanRollback(t *testing.T) {
	w := newWorld(t)
	w.mustApply(mixedBase.input(t))
	w.daemonTranscripts()
	w.bird.FailOnce("configure", errInjected)
	_, out, err := w.apply(mixedSite{DPD: "7s"}.input(t), Options{})
	var se *StepError
	if !errors.As(err, &se) || se.Step != "bird" || se.Rollback != nil {
		t.Fatalf("apply: %v, want a rolled back failure of step bird\n%s", err, out)
	}
	wantDaemons(t, w,
		[]string{
			"rereadsecrets", "delete ls1-far", "replace ls1-ss1", "up ls1-ss1", // the apply
			"rereadsecrets", "replace ls1-far", "up ls1-far", "replace ls1-ss1", "up ls1-ss1", // its undo
		},
		[]string{"configure"}) // the undo's; the apply's failed
	res, out := w.mustApply(mixedBase.input(t))
	if len(res.Actions) != 0 {
		t.Errorf("after the rollback, the old site plans %v\n%s", res.Actions, out)
	}
}

// A configuration the daemons' parsers refuse stops the apply while
// planning: nothing is installed and no daemon is told anything.
func TestApplyLibreswanBirdCheck(t *testing.T) {
	for _, who := range []string{"pluto", "bird"} {
		t.Run(who, func(t *testing.T) {
			w := newWorld(t)
			if who == "pluto" {
				w.pluto.FailOn("check", errInjected)
			} else {
				w.bird.FailOn("check", errInjected)
			}
			_, out, err := w.apply(mixedBase.input(t), Options{})
			if !errors.Is(err, errInjected) {
				t.Fatalf("apply: %v\n%s", err, out)
			}
			if _, err := os.Stat(filepath.Join(w.root, filepath.FromSlash(libreswan.ConnsPath))); !os.IsNotExist(err) {
				t.Errorf("%s installed after a failed check: %v", libreswan.ConnsPath, err)
			}
			wantDaemons(t, w, nil, nil)
		})
	}
}

// Daemons that do not run read the installed files when they start: apply
// installs them and says so.
func TestApplyLibreswanBirdNotRunning(t *testing.T) {
	w := newWorld(t)
	w.pluto.Down, w.bird.Down = true, true
	_, out := w.mustApply(mixedBase.input(t))
	for _, note := range []string{"pluto is not running", "BIRD is not running"} {
		if !strings.Contains(out, note) {
			t.Errorf("no note %q:\n%s", note, out)
		}
	}
	wantDaemons(t, w, nil, nil)
}
