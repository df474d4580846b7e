package apply

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/vtic/vtic/compile"
	"github.com/vtic/vtic/targets"
	"github.com/vtic/vtic/targets/bundle"
)

// motdRenderer is a render-only target that exists only in this test: one
// file per router, under a path of its own.
type motdRenderer struct{ text string }

func (motdRenderer) Name() string    { return "motd" }
func (motdRenderer) Paths() []string { return []string{"etc/vtic/motd/"} }
func (r motdRenderer) Render(h *compile.Host) ([]targets.File, error) {
	return []targets.File{{Path: "etc/vtic/motd/" + h.Name, Mode: 0o644, Data: []byte(r.text + "\n")}}, nil
}

// withRenderer adds r to the registry for the rest of the test.
func withRenderer(t *testing.T, r targets.Renderer) {
	saved := slices.Clone(bundle.Renderers)
	bundle.Renderers = append(bundle.Renderers, r)
	t.Cleanup(func() { bundle.Renderers = saved })
}

// TestRenderOnlyTargetNeedsOnlyTheRegistry is the claim of
// docs/ARCHITECTURE.md: a target registered in bundle.Renderers is
// installed, updated, left alone on a no-op and removed by apply, with no
// change to apply.
func TestRenderOnlyTargetNeedsOnlyTheRegistry(t *testing.T) {
	w := newWorld(t)
	path := filepath.Join(w.root, "etc", "vtic", "motd", "gw1")
	read := func() string {
		t.Helper()
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}

	withRenderer(t, motdRenderer{"first"})
	w.mustApply(base.input(t))
	if got := read(); got != "first\n" {
		t.Fatalf("after the first apply the file holds %q", got)
	}
	if res, out := w.mustApply(base.input(t)); len(res.Actions) != 0 {
		t.Fatalf("second apply of the same target changed something:\n%s", out)
	}

	bundle.Renderers[len(bundle.Renderers)-1] = motdRenderer{"second"}
	res, out := w.mustApply(base.input(t))
	if !slices.Contains(res.Actions, "files: update etc/vtic/motd/gw1") {
		t.Fatalf("changed target not updated:\n%s", out)
	}
	if got := read(); got != "second\n" {
		t.Fatalf("after the update the file holds %q", got)
	}

	bundle.Renderers = bundle.Renderers[:len(bundle.Renderers)-1]
	res, out = w.mustApply(base.input(t))
	if !slices.Contains(res.Actions, "files: remove etc/vtic/motd/gw1") {
		t.Fatalf("target dropped from the registry but its file not removed:\n%s", out)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("file still there after its target was dropped: %v", err)
	}
}

// TestStateCannotNameFilesElsewhere: the state file may name a file no
// renderer declares only inside the directories vtic has always owned.
func TestStateCannotNameFilesElsewhere(t *testing.T) {
	for _, tt := range []struct {
		path string
		ok   bool
	}{
		{"etc/vtic/old-target.conf", true},
		{"etc/frr/old.conf", true},
		{"etc/passwd", false},
		{"etc/vtic/../passwd", false},
		{"../etc/vtic/x", false},
		{"usr/sbin/charon", false},
	} {
		err := checkRemovable(tt.path)
		if (err == nil) != tt.ok {
			t.Errorf("checkRemovable(%q) = %v, want ok=%v", tt.path, err, tt.ok)
		}
	}
}
