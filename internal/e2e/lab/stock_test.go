package lab

import (
	"crypto/md5"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vtic/vtic/internal/testkit/require"
)

func TestParseConffiles(t *testing.T) {
	out := "frr\t8.4.4-1.1~deb12u2\tamd64\tinstalled\n" +
		" /etc/frr/daemons 7595bf34d8e42c9228e1ca3a7e471294\n" +
		" /etc/frr/old.conf 0123456789abcdef0123456789abcdef obsolete\n" +
		"gone\t1.0\tamd64\tconfig-files\n" +
		" /etc/gone.conf 0123456789abcdef0123456789abcdef\n" +
		"libc6\t2.36\tamd64\tinstalled\n" +
		"\n" +
		"libstrongswan\t5.9.8-5\tamd64\tinstalled\n" +
		" /etc/strongswan.conf cf3d1b642d68b1af384aa0d8adf31deb\n"
	got := ParseConffiles([]byte(out))
	want := []Conffile{
		{"frr", "8.4.4-1.1~deb12u2", "amd64", "/etc/frr/daemons", "7595bf34d8e42c9228e1ca3a7e471294"},
		{"libstrongswan", "5.9.8-5", "amd64", "/etc/strongswan.conf", "cf3d1b642d68b1af384aa0d8adf31deb"},
	}
	if len(got) != len(want) {
		t.Fatalf("ParseConffiles = %+v\nwant %+v (installed packages only, no obsolete conffile)", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("conffile %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestUnderAny(t *testing.T) {
	for p, want := range map[string]bool{
		"/etc/frr/daemons":      true,
		"/etc/frr":              true,
		"/etc/frrx/daemons":     false,
		"/etc/strongswan.conf":  true,
		"/etc/strongswan.d/a":   true,
		"/etc/strongswan.confx": false,
	} {
		if got := underAny(p, []string{"frr", "strongswan.conf", "strongswan.d/"}); got != want {
			t.Errorf("underAny(%q) = %v, want %v", p, got, want)
		}
	}
}

func sum(b string) string {
	h := md5.Sum([]byte(b))
	return hex.EncodeToString(h[:])
}

// TestStockFromDeb builds a small package with dpkg-deb and gives the
// stocker a machine where one conffile is as shipped, one was edited and
// one deleted: the edited and deleted ones come out of the .deb, which it
// downloads once into the cache.
func TestStockFromDeb(t *testing.T) {
	require.Programs(t, "dpkg-deb")
	shipped := map[string]string{"a.conf": "a as shipped\n", "b.conf": "b as shipped\n", "c.conf": "c as shipped\n"}

	pkg := t.TempDir()
	if err := os.MkdirAll(filepath.Join(pkg, "DEBIAN"), 0o755); err != nil {
		t.Fatal(err)
	}
	control := "Package: demo\nVersion: 1:2.0-1\nArchitecture: all\nMaintainer: lab <lab@example.org>\nDescription: demo\n"
	if err := os.WriteFile(filepath.Join(pkg, "DEBIAN", "control"), []byte(control), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, text := range shipped {
		p := filepath.Join(pkg, "etc", "demo", name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	debs := t.TempDir()
	deb := filepath.Join(debs, "demo_1%3a2.0-1_all.deb")
	if out, err := exec.Command("dpkg-deb", "--root-owner-group", "-b", pkg, deb).CombinedOutput(); err != nil {
		t.Fatalf("dpkg-deb -b: %v\n%s", err, out)
	}

	root := t.TempDir()
	etc := filepath.Join(root, "etc", "demo")
	if err := os.MkdirAll(etc, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(etc, "a.conf"), []byte(shipped["a.conf"]), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(etc, "b.conf"), []byte("b as a person edited it\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	downloads := 0
	s := stocker{root: root, dst: t.TempDir(), cacheDir: filepath.Join(t.TempDir(), "cache"), extracted: map[string]string{},
		download: func(dir, name, version string) error {
			downloads++
			if name != "demo" || version != "1:2.0-1" {
				t.Errorf("download(%s=%s), want demo=1:2.0-1", name, version)
			}
			b, err := os.ReadFile(deb)
			if err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(dir, filepath.Base(deb)), b, 0o644)
		}}
	defer s.cleanup()
	var want []Conffile
	for _, name := range []string{"a.conf", "b.conf", "c.conf"} {
		want = append(want, Conffile{Package: "demo", Version: "1:2.0-1", Arch: "all", Path: "/etc/demo/" + name, MD5: sum(shipped[name])})
	}
	fromDeb := map[string]bool{}
	for _, c := range want {
		got, err := s.writeFile(c)
		if err != nil {
			t.Fatalf("writeFile %s: %v", c.Path, err)
		}
		fromDeb[filepath.Base(c.Path)] = got
	}
	if fromDeb["a.conf"] || !fromDeb["b.conf"] || !fromDeb["c.conf"] {
		t.Errorf("taken from the .deb: %v; want b.conf (edited) and c.conf (deleted) only", fromDeb)
	}
	if downloads != 1 {
		t.Errorf("the .deb was downloaded %d times, want once", downloads)
	}
	for name, text := range shipped {
		b, err := os.ReadFile(filepath.Join(s.dst, "demo", name))
		if err != nil || string(b) != text {
			t.Errorf("%s = %q (%v), want %q as shipped", name, b, err, text)
		}
	}
	// b.conf keeps the mode this machine gave it; c.conf, missing here,
	// has the .deb's.
	for name, mode := range map[string]os.FileMode{"a.conf": 0o640, "b.conf": 0o600, "c.conf": 0o644} {
		if fi, err := os.Stat(filepath.Join(s.dst, "demo", name)); err != nil || fi.Mode().Perm() != mode {
			t.Errorf("%s: mode %v (%v), want %v", name, fi.Mode().Perm(), err, mode)
		}
	}

	// A .deb whose file does not match dpkg's record is refused.
	bad := want[1]
	bad.MD5 = sum("something else\n")
	if _, err := s.writeFile(bad); err == nil || !strings.Contains(err.Error(), "dpkg recorded") {
		t.Errorf("writeFile with a digest the .deb does not match: %v, want an error saying what dpkg recorded", err)
	}
}

// TestStockEtcThisMachine takes this machine's FRR files as its package
// ships them: the daemons file of a fresh install leaves bgpd off and
// vtysh.conf asks for the integrated configuration.
func TestStockEtcThisMachine(t *testing.T) {
	require.Programs(t, "dpkg-query", "dpkg-deb")
	if out, err := exec.Command("dpkg-query", "-W", "-f", "${db:Status-Status}", "frr").Output(); err != nil || string(out) != "installed" {
		require.SkipOrFail(t, "needs Debian's frr package installed")
	}
	dst := t.TempDir()
	files, err := StockEtc(dst, t.TempDir(), "frr")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		t.Logf("%s (from the .deb: %v)", f.Path, f.FromDeb)
	}
	daemons, err := os.ReadFile(filepath.Join(dst, "frr", "daemons"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(daemons), "\nbgpd=no\n") {
		t.Errorf("stock /etc/frr/daemons does not say bgpd=no:\n%s", daemons)
	}
	vtysh, err := os.ReadFile(filepath.Join(dst, "frr", "vtysh.conf"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(vtysh), "service integrated-vtysh-config") {
		t.Errorf("stock /etc/frr/vtysh.conf lacks service integrated-vtysh-config:\n%s", vtysh)
	}
}
