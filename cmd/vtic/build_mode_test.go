package main

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/vtic/vtic/targets/bundle"
)

// TestBuildModesUnderAnyUmask builds the two-router example under umasks
// that would widen nothing (0), narrow everything (077) and forbid owner
// writes (0277), and requires every file to carry exactly the mode the
// manifest records (secrets 0600, FRR's files 0640, the rest 0644).
func TestBuildModesUnderAnyUmask(t *testing.T) {
	vtic, err := exec.LookPath("vtic")
	if err != nil {
		t.Fatalf("the vtic command set up by TestMain is not on PATH: %v", err)
	}
	site := filepath.Join(t.TempDir(), "site")
	copyDir(t, filepath.Join("..", "..", "examples", "two-routers"), site)
	for _, mask := range []int{0, 0o077, 0o277} {
		out := filepath.Join(t.TempDir(), "out")
		old := syscall.Umask(mask) // inherited by the child
		b, err := exec.Command(vtic, "build", site, "-o", out).CombinedOutput()
		syscall.Umask(old)
		if err != nil {
			t.Fatalf("umask %04o: vtic build: %v\n%s", mask, err, b)
		}
		seen := map[fs.FileMode]int{}
		for _, router := range []string{"gw1", "gw2"} {
			b, err := os.ReadFile(filepath.Join(out, router, bundle.ManifestName))
			if err != nil {
				t.Fatal(err)
			}
			m, err := bundle.DecodeManifest(b)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range m.Files {
				st, err := os.Stat(filepath.Join(out, router, filepath.FromSlash(f.Path)))
				if err != nil {
					t.Fatal(err)
				}
				if st.Mode().Perm() != f.Mode.Perm() {
					t.Errorf("umask %04o: %s/%s has mode %04o, want %04o", mask, router, f.Path, st.Mode().Perm(), f.Mode.Perm())
				}
				if f.Secret && f.Mode.Perm() != 0o600 {
					t.Errorf("%s/%s is a secret of mode %04o in the manifest, want 0600", router, f.Path, f.Mode.Perm())
				}
				seen[f.Mode.Perm()]++
			}
		}
		if seen[0o600] == 0 || len(seen) < 3 {
			t.Errorf("umask %04o: files by mode %v; want secrets (0600) and at least three modes", mask, seen)
		}
	}
}
