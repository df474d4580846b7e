package review

import (
	"crypto/sha256"
	"encoding/hex"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/vtic/vtic/internal/testkit/targettest"
	"github.com/vtic/vtic/targets"
	"github.com/vtic/vtic/targets/bundle"
	"github.com/vtic/vtic/targets/plan"
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
			m.Files = append(m.Files, bundle.Entry{Path: f.Path, Mode: f.Mode, SHA256: hex.EncodeToString(sum[:]), Secret: f.Secret, Internal: f.Internal, Repeats: f.Repeats})
		}
		if err := os.WriteFile(filepath.Join(dir, r.Name, bundle.ManifestName), m.Encode(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// withoutPlan drops the plan from every router's files, as a build by a
// vtic that did not write it would have them.
func withoutPlan(s Side) Side {
	out := s
	out.Routers = nil
	for _, r := range s.Routers {
		r.Tunnels = nil
		r.Files = slices.DeleteFunc(slices.Clone(r.Files), func(f targets.File) bool { return f.Path == plan.Path })
		out.Routers = append(out.Routers, r)
	}
	out.HasPlan = false
	return out
}

// cmpSide compares sides whose tunnels went through the plan's encoding.
var cmpSide = []cmp.Option{cmpopts.EquateEmpty(), cmpopts.EquateComparable(netip.Addr{}, netip.Prefix{})}

func TestReadBuildDir(t *testing.T) {
	old := site{ref: "PSK_AB", key: key1, mark: 10}
	want := old.side(t, "x")
	dir := writeBuild(t, want)
	got, err := ReadBuildDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	// The plan in each router's directory gives its tunnels.
	want.Label = dir
	if d := cmp.Diff(want, got, cmpSide...); d != "" {
		t.Errorf("side (-want +got):\n%s", d)
	}

	// Reading both sides from build directories finds the rotated key
	// in the plan and in the secrets file, and keeps it out of the report.
	newDir := writeBuild(t, with(old, func(s *site) { s.key = key2 }).side(t, "y"))
	newSide, err := ReadBuildDir(newDir)
	if err != nil {
		t.Fatal(err)
	}
	r := Compare(got, newSide)
	if !r.TunnelsCompared || !r.Changed() {
		t.Errorf("TunnelsCompared = %v, Changed = %v", r.TunnelsCompared, r.Changed())
	}
	if d := cmp.Diff(Compare(old.side(t, "x"), with(old, func(s *site) { s.key = key2 }).side(t, "y")).Routers, r.Routers); d != "" {
		t.Errorf("build directories compare otherwise than the sites they were built from (-site +dirs):\n%s", d)
	}
	checkNoKeys(t, r, key1, key2)
}

// A build directory without plans (from an older vtic) has files but no
// tunnels; they are not compared, and the report says so.
func TestReadBuildDirWithoutPlan(t *testing.T) {
	old := site{ref: "PSK_AB", key: key1, mark: 10}
	want := withoutPlan(old.side(t, "x"))
	dir := writeBuild(t, want)
	got, err := ReadBuildDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	want.Label = dir
	if d := cmp.Diff(want, got, cmpSide...); d != "" {
		t.Errorf("side (-want +got):\n%s", d)
	}
	withPlan, err := ReadBuildDir(writeBuild(t, with(old, func(s *site) { s.key = key2 }).side(t, "y")))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []*Report{Compare(got, withPlan), Compare(withPlan, got)} {
		if r.TunnelsCompared || !r.Changed() {
			t.Errorf("TunnelsCompared = %v, Changed = %v", r.TunnelsCompared, r.Changed())
		}
		checkNoKeys(t, r, key1, key2)
	}
}

// A plan that is not the router's, or not a plan, is an error.
func TestReadBuildDirBadPlan(t *testing.T) {
	s := site{ref: "PSK_AB", key: key1, mark: 10}.side(t, "x")
	swap := func(f func(r *Router, i int)) Side {
		out := s
		out.Routers = nil
		for _, r := range s.Routers {
			r.Files = slices.Clone(r.Files)
			for i := range r.Files {
				if r.Files[i].Path == plan.Path {
					f(&r, i)
				}
			}
			out.Routers = append(out.Routers, r)
		}
		return out
	}
	other := swap(func(r *Router, i int) {
		if r.Name == "a" {
			r.Files[i].Data = s.Routers[1].Files[i].Data // b's plan
		}
	})
	if _, err := ReadBuildDir(writeBuild(t, other)); err == nil || !strings.Contains(err.Error(), `is for router "b"`) {
		t.Errorf("another router's plan: %v", err)
	}
	garbage := swap(func(r *Router, i int) { r.Files[i].Data = []byte("{") })
	if _, err := ReadBuildDir(writeBuild(t, garbage)); err == nil || !strings.Contains(err.Error(), plan.Path) {
		t.Errorf("a plan that does not decode: %v", err)
	}
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
