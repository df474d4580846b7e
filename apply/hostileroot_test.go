package apply

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A root whose directories or files are symbolic links must not lead
// apply anywhere else: every file it reads or writes under the root (the
// installed files, the state file, the lock file, the plan) is opened
// beneath the root without following links. Each case plants a link to a
// directory outside the root and checks that apply refuses with an error
// naming the link and that nothing appears or changes outside.
func TestHostileRoot(t *testing.T) {
	for _, tc := range []struct {
		name string
		link string // relative to the root
		dir  bool   // the link points at a directory, else at a file
	}{
		{"parent directory", "etc/frr", true},
		{"grandparent directory", "etc", true},
		{"installed file", "etc/frr/bgpd.conf", false},
		{"secrets file", "etc/swanctl/conf.d/vtic-secrets.conf", false},
		{"plan", "etc/vtic/plan.json", false},
		{"state file", StatePath, false},
		{"state directory", "var/lib/vtic", true},
		{"lock file", LockPath, false},
		{"lock directory", "run", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			outside := t.TempDir()
			target := outside
			if !tc.dir {
				target = filepath.Join(outside, "victim")
				if err := os.WriteFile(target, []byte("victim\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			p := filepath.Join(w.root, filepath.FromSlash(tc.link))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(target, p); err != nil {
				t.Fatal(err)
			}
			before := listTree(t, outside)
			_, out, err := w.apply(base.input(t), Options{})
			if err == nil || !strings.Contains(err.Error(), "symbolic link") {
				t.Fatalf("apply: err = %v; want a refusal naming the symbolic link\n%s", err, out)
			}
			if after := listTree(t, outside); after != before {
				t.Errorf("apply changed the directory outside the root:\nbefore:\n%s\nafter:\n%s", before, after)
			}
		})
	}
}

// Lock, for vtic check --repair, refuses a lock file that is a link.
func TestLockRefusesSymlink(t *testing.T) {
	root := t.TempDir()
	outside := filepath.Join(t.TempDir(), "lock")
	if err := os.MkdirAll(filepath.Join(root, "run"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(root, filepath.FromSlash(LockPath))); err != nil {
		t.Fatal(err)
	}
	release, err := Lock(context.Background(), root, false)
	if err == nil {
		release()
		t.Fatal("Lock took a lock through a symbolic link")
	}
	if !strings.Contains(err.Error(), "symbolic link") {
		t.Errorf("err = %v; want it to name the symbolic link", err)
	}
	if _, err := os.Lstat(outside); !os.IsNotExist(err) {
		t.Errorf("the lock file was created outside the root: %v", err)
	}
}

// FromInstalled reads the state file and the installed files beneath the
// root too.
func TestFromInstalledRefusesSymlinks(t *testing.T) {
	w := newWorld(t)
	w.mustApply(base.input(t))
	outside := filepath.Join(t.TempDir(), "bgpd.conf")
	if err := os.WriteFile(outside, []byte("! elsewhere\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(w.root, "etc", "frr", "bgpd.conf")
	if err := os.Remove(p); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, p); err != nil {
		t.Fatal(err)
	}
	if _, err := FromInstalled(w.root, "gw1"); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Fatalf("err = %v; want a refusal naming the symbolic link", err)
	}
}

// listTree describes every file under dir with its content.
func listTree(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() {
			b.WriteString(rel + "/\n")
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		b.WriteString(rel + ": " + string(data) + "\n")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}
