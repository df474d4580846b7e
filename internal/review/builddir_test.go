package review

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/vtic/vtic/internal/testkit/targettest"
	"github.com/vtic/vtic/targets/bundle"
)

// writeBuild writes a side the way vtic build does: <router>/<files> and
// <router>/manifest.json.
func writeBuild(t *testing.T, s Side) string {
	t.Helper()
	dir := t.TempDir()
	for _, r := range s.Routers {
		targettest.WriteTree(t, filepath.Join(dir, r.Name), r.Files)
		m := &bundle.Manifest{Host: r.Name}
		for _, f := range r.Files {
			sum := sha256.Sum256(f.Data)
			m.Files = append(m.Files, bundle.Entry{Path: f.Path, Mode: f.Mode, SHA256: hex.EncodeToString(sum[:]), Secret: f.Secret, Internal: f.Internal})
		}
		if err := os.WriteFile(filepath.Join(dir, r.Name, bundle.ManifestName), m.Encode(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestReadBuildDir(t *testing.T) {
	old := site{ref: "PSK_AB", key: key1, mark: 10}
	want := old.side(t, "x")
	dir := writeBuild(t, want)
	got, err := ReadBuildDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for i := range want.Routers {
		want.Routers[i].Tunnels = nil // a build directory has no plan
	}
	want.Label, want.HasPlan = dir, false
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("side (-want +got):\n%s", d)
	}

	// Reading both sides from build directories finds the rotated key
	// in the secrets file, and keeps it out of the report.
	newDir := writeBuild(t, with(old, func(s *site) { s.key = key2 }).side(t, "y"))
	newSide, err := ReadBuildDir(newDir)
	if err != nil {
		t.Fatal(err)
	}
	r := Compare(got, newSide)
	if r.TunnelsCompared || !r.Changed() {
		t.Errorf("TunnelsCompared = %v, Changed = %v", r.TunnelsCompared, r.Changed())
	}
	checkNoKeys(t, r, key1, key2)
}

func TestReadBuildDirErrors(t *testing.T) {
	empty := t.TempDir()
	if _, err := ReadBuildDir(empty); err == nil || !strings.Contains(err.Error(), "holds no router") {
		t.Errorf("empty directory: %v", err)
	}
	escape := t.TempDir()
	if err := os.MkdirAll(filepath.Join(escape, "a"), 0o755); err != nil {
		t.Fatal(err)
	}
	m := &bundle.Manifest{Host: "a", Files: []bundle.Entry{{Path: "../../etc/passwd", Mode: 0o644}}}
	if err := os.WriteFile(filepath.Join(escape, "a", bundle.ManifestName), m.Encode(), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadBuildDir(escape); err == nil || !strings.Contains(err.Error(), "not a clean relative path") {
		t.Errorf("path outside: %v", err)
	}
}
