package install

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestInstallAndRestore(t *testing.T) {
	r := New(t.TempDir())
	f := File{Path: "etc/vtic/tunnels/t1/vti.init", Data: []byte("A=1\n"), Mode: 0o644}
	if d, err := r.Differs(f); err != nil || !d {
		t.Fatalf("Differs on a missing file = %v, %v; want true", d, err)
	}
	old, err := r.Install(f)
	if err != nil {
		t.Fatal(err)
	}
	if old.Existed || len(old.Dirs) != 4 {
		t.Fatalf("backup of a new file = %+v; want not existing, 4 created dirs", old)
	}
	got, err := os.ReadFile(r.Path(f.Path))
	if err != nil || !bytes.Equal(got, f.Data) {
		t.Fatalf("installed %q, %v", got, err)
	}
	if d, _ := r.Differs(f); d {
		t.Fatal("Differs after Install = true")
	}
	if d, _ := r.Differs(File{Path: f.Path, Data: f.Data, Mode: 0o600}); !d {
		t.Fatal("Differs ignores the mode")
	}
	if err := r.Restore(old); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(r.Path("etc")); !os.IsNotExist(err) {
		t.Fatalf("restore of a new file left its directories: %v", err)
	}
}

// The umask must not change the modes the renderers chose.
func TestModesAreExact(t *testing.T) {
	old := syscallUmask(0o077)
	defer syscallUmask(old)
	r := New(t.TempDir())
	for _, f := range []File{
		{Path: "etc/s.conf", Data: []byte("k"), Mode: 0o600, Secret: true},
		{Path: "etc/sub/p.conf", Data: []byte("p"), Mode: 0o644},
	} {
		if _, err := r.Install(f); err != nil {
			t.Fatal(err)
		}
		fi, err := os.Stat(r.Path(f.Path))
		if err != nil || fi.Mode().Perm() != f.Mode {
			t.Fatalf("%s: mode %v, %v; want %v", f.Path, fi.Mode().Perm(), err, f.Mode)
		}
	}
	if fi, err := os.Stat(r.Path("etc/sub")); err != nil || fi.Mode().Perm() != 0o755 {
		t.Fatalf("created dir mode %v, %v; want 0755", fi.Mode().Perm(), err)
	}
}

func TestReplaceKeepsOldForRestore(t *testing.T) {
	r := New(t.TempDir())
	p := r.Path("etc/frr/bgpd.conf")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte("old\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	old, err := r.Install(File{Path: "etc/frr/bgpd.conf", Data: []byte("new\n"), Mode: 0o644})
	if err != nil {
		t.Fatal(err)
	}
	if !old.Existed || string(old.Data) != "old\n" || old.Mode != 0o640 || len(old.Dirs) != 0 {
		t.Fatalf("backup = %+v", old)
	}
	if err := r.Restore(old); err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(p)
	data, _ := os.ReadFile(p)
	if string(data) != "old\n" || fi.Mode().Perm() != 0o640 {
		t.Fatalf("restored %q mode %v", data, fi.Mode().Perm())
	}
	entries, _ := os.ReadDir(filepath.Dir(p))
	if len(entries) != 1 {
		t.Fatalf("temporary files left behind: %v", entries)
	}
}

func TestRemovePrunesEmptyDirsUpToStop(t *testing.T) {
	r := New(t.TempDir())
	for _, p := range []string{"etc/vtic/tunnels/t1/vti.init", "etc/vtic/iptables.rules"} {
		if _, err := r.Install(File{Path: p, Data: []byte("x"), Mode: 0o644}); err != nil {
			t.Fatal(err)
		}
	}
	old, err := r.Remove("etc/vtic/tunnels/t1/vti.init", "etc/vtic")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(r.Path("etc/vtic/tunnels")); !os.IsNotExist(err) {
		t.Fatalf("empty tunnels dir kept: %v", err)
	}
	if _, err := os.Stat(r.Path("etc/vtic")); err != nil {
		t.Fatalf("stop dir removed: %v", err)
	}
	if err := r.Restore(old); err != nil {
		t.Fatal(err)
	}
	if data, err := os.ReadFile(r.Path("etc/vtic/tunnels/t1/vti.init")); err != nil || string(data) != "x" {
		t.Fatalf("restore after remove: %q, %v", data, err)
	}
	if old, err := r.Remove("etc/missing", "etc"); err != nil || old.Existed {
		t.Fatalf("removing a missing file = %+v, %v", old, err)
	}
}

func TestRefusesPathsOutsideRoot(t *testing.T) {
	r := New(t.TempDir())
	for _, p := range []string{"../x", "/etc/passwd", "", "a/../../b"} {
		if _, err := r.Install(File{Path: p, Data: nil, Mode: 0o644}); err == nil {
			t.Errorf("Install(%q) succeeded", p)
		}
	}
}

func TestReadRefusesNonRegular(t *testing.T) {
	r := New(t.TempDir())
	if err := os.MkdirAll(r.Path("etc/x"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Read("etc/x"); err == nil {
		t.Fatal("Read of a directory succeeded")
	}
}

// No operation follows a symbolic link under the root, whether the link is
// the file itself or one of its directories: each is refused, naming the
// link, and nothing outside the root is read, written or removed.
func TestRefusesSymlinks(t *testing.T) {
	for _, tc := range []struct {
		name, link string
		dir        bool
	}{
		{"parent", "etc/frr", true},
		{"grandparent", "etc", true},
		{"file", "etc/frr/bgpd.conf", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := New(t.TempDir())
			outside := t.TempDir()
			victim := filepath.Join(outside, "bgpd.conf")
			if err := os.WriteFile(victim, []byte("victim\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			target := victim
			if tc.dir {
				target = outside
				if tc.link == "etc" {
					if err := os.Mkdir(filepath.Join(outside, "frr"), 0o755); err != nil {
						t.Fatal(err)
					}
					victim = filepath.Join(outside, "frr", "bgpd.conf")
					if err := os.WriteFile(victim, []byte("victim\n"), 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
			p := r.Path(tc.link)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(target, p); err != nil {
				t.Fatal(err)
			}
			f := File{Path: "etc/frr/bgpd.conf", Data: []byte("new\n"), Mode: 0o640}
			check := func(what string, err error) {
				t.Helper()
				if err == nil || !strings.Contains(err.Error(), "symbolic link") {
					t.Errorf("%s: err = %v; want a refusal naming the symbolic link", what, err)
				}
			}
			_, err := r.Read(f.Path)
			check("Read", err)
			_, err = r.Differs(f)
			check("Differs", err)
			_, err = r.Install(f)
			check("Install", err)
			_, err = r.Remove(f.Path, "etc")
			check("Remove", err)
			lock, err := r.OpenFile("etc/frr/bgpd.conf")
			if err == nil {
				lock.Close()
			}
			check("OpenFile", err)
			// A rollback replaces or removes a link that took the
			// file's place (the link, never its target), so it only
			// refuses a link among the directories.
			for _, b := range []Backup{{Path: f.Path, Existed: true, Data: []byte("restored\n"), Mode: 0o644}, {Path: f.Path}} {
				if err := r.Restore(b); tc.dir || err != nil {
					check("Restore", err)
				}
			}
			if data, err := os.ReadFile(victim); err != nil || string(data) != "victim\n" {
				t.Errorf("the file outside the root is now %q, %v", data, err)
			}
			entries, _ := os.ReadDir(filepath.Dir(victim))
			if len(entries) != 1 {
				t.Errorf("files appeared outside the root: %v", entries)
			}
		})
	}
}

// OpenFile creates a file (and its directories) beneath the root and opens
// it for reading and writing, as the apply lock needs.
func TestOpenFile(t *testing.T) {
	r := New(t.TempDir())
	f, err := r.OpenFile("run/vtic.lock")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if fi, err := os.Lstat(r.Path("run/vtic.lock")); err != nil || !fi.Mode().IsRegular() {
		t.Fatalf("lock file: %v, %v", fi, err)
	}
}
