package buildout_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/vtic/vtic/internal/buildout"
	"github.com/vtic/vtic/internal/testkit/targettest"
	"github.com/vtic/vtic/targets/bundle"
)

// What Write writes, ReadRouter reads back: every router's files as
// bundle renders them, and its manifest.
func TestWriteRead(t *testing.T) {
	plan := targettest.Compile(t, filepath.Join(targettest.ExamplesDir(), "two-routers"))
	out := filepath.Join(t.TempDir(), "out")
	for range 2 { // the second build replaces the first
		routers, files, err := buildout.Write(out, plan.Hosts)
		if err != nil {
			t.Fatal(err)
		}
		if routers != len(plan.Hosts) || files == 0 {
			t.Errorf("wrote %d routers, %d files", routers, files)
		}
	}
	for _, h := range plan.Hosts {
		want, m, err := bundle.Render(h)
		if err != nil {
			t.Fatal(err)
		}
		got, err := buildout.ReadRouter(filepath.Join(out, h.Name), h.Name)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(want, got.Files); d != "" {
			t.Errorf("%s: files (-rendered +read):\n%s", h.Name, d)
		}
		if d := cmp.Diff(m, got.Manifest); d != "" {
			t.Errorf("%s: manifest (-rendered +read):\n%s", h.Name, d)
		}
	}
	if _, err := os.Stat(filepath.Join(out, buildout.Marker)); err != nil {
		t.Errorf("no marker: %v", err)
	}
}

func TestWriteRefusesOtherDirectories(t *testing.T) {
	plan := targettest.Compile(t, filepath.Join(targettest.ExamplesDir(), "two-routers"))
	mine := t.TempDir()
	keep := filepath.Join(mine, "keep.txt")
	if err := os.WriteFile(keep, []byte("mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := buildout.Write(mine, plan.Hosts); err == nil || !strings.Contains(err.Error(), "was not made by vtic build; refusing to replace it") {
		t.Fatalf("err = %v", err)
	}
	if _, err := os.Stat(keep); err != nil {
		t.Errorf("the directory was touched: %v", err)
	}
}

func TestReadRouterRefuses(t *testing.T) {
	plan := targettest.Compile(t, filepath.Join(targettest.ExamplesDir(), "two-routers"))
	out := filepath.Join(t.TempDir(), "out")
	if _, _, err := buildout.Write(out, plan.Hosts); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(out, "gw1")
	if _, err := buildout.ReadRouter(out, "gw1"); !errors.Is(err, buildout.ErrNoManifest) {
		t.Errorf("a directory without a manifest: err = %v", err)
	}
	if _, err := buildout.ReadRouter(dir, "gw2"); err == nil || !strings.Contains(err.Error(), `is for router "gw1", not "gw2"`) {
		t.Errorf("another router's directory: err = %v", err)
	}
	manifest, err := os.ReadFile(filepath.Join(dir, bundle.ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		edit func(t *testing.T)
		want string
	}{
		{"changed", func(t *testing.T) { appendTo(t, filepath.Join(dir, "etc", "frr", "bgpd.conf")) }, "rebuild it"},
		{"elsewhere", func(t *testing.T) { editManifest(t, dir, manifest, `"etc/frr/bgpd.conf"`, `"etc/passwd"`) }, "outside the directories"},
		{"escape", func(t *testing.T) {
			editManifest(t, dir, manifest, `"etc/frr/bgpd.conf"`, `"../gw2/etc/frr/bgpd.conf"`)
		}, "not a clean relative path"},
		{"symlink", func(t *testing.T) {
			p := filepath.Join(dir, "etc", "frr", "bgpd.conf")
			if err := os.Remove(p); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink("/etc/passwd", p); err != nil {
				t.Fatal(err)
			}
		}, "not a regular file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, _, err := buildout.Write(out, plan.Hosts); err != nil {
				t.Fatal(err)
			}
			tc.edit(t)
			if _, err := buildout.ReadRouter(dir, "gw1"); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v; want %q", err, tc.want)
			}
		})
	}
}

func appendTo(t *testing.T, path string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString("! edited\n"); err != nil {
		t.Fatal(err)
	}
}

func editManifest(t *testing.T, dir string, manifest []byte, from, to string) {
	t.Helper()
	edited := strings.Replace(string(manifest), from, to, 1)
	if edited == string(manifest) {
		t.Fatalf("the manifest has no %s", from)
	}
	if err := os.WriteFile(filepath.Join(dir, bundle.ManifestName), []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
}

// A marker that is a symbolic link proves nothing about the directory: it
// may point at any file. Write must refuse such a directory and leave it
// and the link's target alone.
func TestWriteRefusesSymlinkedMarker(t *testing.T) {
	plan := targettest.Compile(t, filepath.Join(targettest.ExamplesDir(), "two-routers"))
	base := t.TempDir()
	target := filepath.Join(base, "anything")
	if err := os.WriteFile(target, []byte("not a marker\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	mine := filepath.Join(base, "mine")
	if err := os.Mkdir(mine, 0o755); err != nil {
		t.Fatal(err)
	}
	keep := filepath.Join(mine, "keep.txt")
	if err := os.WriteFile(keep, []byte("mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, filepath.Join(mine, buildout.Marker)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := buildout.Write(mine, plan.Hosts); err == nil || !strings.Contains(err.Error(), "refusing to replace it") {
		t.Fatalf("err = %v", err)
	}
	for _, p := range []string{keep, target} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s was touched: %v", p, err)
		}
	}
}

// The manifest is world-readable: it holds no digest of a secret file,
// which would let anyone check guessed keys offline.
func TestManifestHoldsNoSecretDigest(t *testing.T) {
	plan := targettest.Compile(t, filepath.Join(targettest.ExamplesDir(), "two-routers"))
	out := filepath.Join(t.TempDir(), "out")
	if _, _, err := buildout.Write(out, plan.Hosts); err != nil {
		t.Fatal(err)
	}
	for _, h := range plan.Hosts {
		files, _, err := bundle.Render(h)
		if err != nil {
			t.Fatal(err)
		}
		manifest, err := os.ReadFile(filepath.Join(out, h.Name, bundle.ManifestName))
		if err != nil {
			t.Fatal(err)
		}
		secrets := 0
		for _, f := range files {
			if !f.Secret {
				continue
			}
			secrets++
			sum := sha256.Sum256(f.Data)
			if strings.Contains(string(manifest), hex.EncodeToString(sum[:])) {
				t.Errorf("%s: the manifest holds the sha256 of secret file %s", h.Name, f.Path)
			}
		}
		if secrets < 2 {
			t.Fatalf("%s: %d secret files; the test needs the plan and the secrets file", h.Name, secrets)
		}
	}
}

// A hostile or damaged build cannot choose how apply installs a file:
// modes and the secret flag are this vtic's renderers', secret files are
// what this vtic renders from the build's plan, and only files rendered
// from the plan are accepted.
func TestReadRouterTrustsOnlyTheRenderers(t *testing.T) {
	plan := targettest.Compile(t, filepath.Join(targettest.ExamplesDir(), "two-routers"))
	out := filepath.Join(t.TempDir(), "out")
	dir := filepath.Join(out, "gw1")
	const secrets = "etc/swanctl/conf.d/vtic-secrets.conf"
	for _, tc := range []struct {
		name string
		edit func(t *testing.T)
		want string
	}{
		{"secret world-writable", func(t *testing.T) {
			editEntry(t, dir, secrets, func(e *bundle.Entry) { e.Mode = 0o666 })
		}, "manifest.json gives etc/swanctl/conf.d/vtic-secrets.conf mode 0666; vtic installs it with mode 0600"},
		{"secret flag dropped", func(t *testing.T) {
			editEntry(t, dir, secrets, func(e *bundle.Entry) { e.Secret = false })
		}, "manifest.json marks etc/swanctl/conf.d/vtic-secrets.conf as not secret"},
		{"plan not internal", func(t *testing.T) {
			editEntry(t, dir, "etc/vtic/plan.json", func(e *bundle.Entry) { e.Internal = false })
		}, "manifest.json marks etc/vtic/plan.json as not internal"},
		{"config world-writable", func(t *testing.T) {
			editEntry(t, dir, "etc/frr/bgpd.conf", func(e *bundle.Entry) { e.Mode = 0o666 })
		}, "manifest.json gives etc/frr/bgpd.conf mode 0666; vtic installs it with mode 0640"},
		{"shell-sourced file", func(t *testing.T) {
			addFile(t, dir, "etc/frr/daemons", "bgpd=yes\n")
		}, `file "etc/frr/daemons": outside the directories`},
		{"file the plan does not make", func(t *testing.T) {
			addFile(t, dir, "etc/vtic/tunnels/other/vti.init", "#!/bin/sh\n")
		}, "etc/vtic/tunnels/other/vti.init is not among the files this vtic renders from the build's plan"},
		{"file left out", func(t *testing.T) {
			m := readManifest(t, dir)
			m.Files = slices.DeleteFunc(m.Files, func(e bundle.Entry) bool { return e.Path == secrets })
			writeManifest(t, dir, m)
		}, "the build lacks etc/swanctl/conf.d/vtic-secrets.conf, which this vtic renders from its plan"},
		{"secret edited", func(t *testing.T) { appendTo(t, filepath.Join(dir, filepath.FromSlash(secrets))) },
			"etc/swanctl/conf.d/vtic-secrets.conf is not what this vtic renders from the build's plan; rebuild it with this vtic"},
		{"plan edited", func(t *testing.T) { appendTo(t, filepath.Join(dir, "etc", "vtic", "plan.json")) },
			"etc/vtic/plan.json"},
		// A plan changed consistently with itself (found by FuzzRender):
		// the files that are not secret, which the manifest's digests
		// still match, must also be what the plan renders.
		{"plan at odds with the files", func(t *testing.T) {
			replaceIn(t, filepath.Join(dir, "etc", "vtic", "plan.json"), `"description": "gw1 to gw2"`, `"description": "gw1 to gw3"`)
		}, "is not what this vtic renders from the build's plan"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, _, err := buildout.Write(out, plan.Hosts); err != nil {
				t.Fatal(err)
			}
			if _, err := buildout.ReadRouter(dir, "gw1"); err != nil {
				t.Fatalf("the unedited build: %v", err)
			}
			tc.edit(t)
			if _, err := buildout.ReadRouter(dir, "gw1"); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v; want %q", err, tc.want)
			}
		})
	}
}

func readManifest(t *testing.T, dir string) *bundle.Manifest {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, bundle.ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	m, err := bundle.DecodeManifest(data)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func writeManifest(t *testing.T, dir string, m *bundle.Manifest) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, bundle.ManifestName), m.Encode(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// editEntry changes the manifest entry of path.
func editEntry(t *testing.T, dir, path string, edit func(*bundle.Entry)) {
	t.Helper()
	m := readManifest(t, dir)
	i := slices.IndexFunc(m.Files, func(e bundle.Entry) bool { return e.Path == path })
	if i < 0 {
		t.Fatalf("the manifest has no %s", path)
	}
	edit(&m.Files[i])
	writeManifest(t, dir, m)
}

// addFile adds a file to the build and lists it, with its right sum, in
// the manifest.
func addFile(t *testing.T, dir, path, data string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(path))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	m := readManifest(t, dir)
	sum := sha256.Sum256([]byte(data))
	m.Files = append(m.Files, bundle.Entry{Path: path, Mode: 0o644, SHA256: hex.EncodeToString(sum[:])})
	writeManifest(t, dir, m)
}

// A build by an older vtic has no plan; vtic diff still reads it, by the
// digests its manifest holds for every file, and Host is nil. Without a
// plan and without a digest a secret file cannot be checked: refused.
func TestReadRouterWithoutPlan(t *testing.T) {
	plan := targettest.Compile(t, filepath.Join(targettest.ExamplesDir(), "two-routers"))
	out := filepath.Join(t.TempDir(), "out")
	if _, _, err := buildout.Write(out, plan.Hosts); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(out, "gw1")
	m := readManifest(t, dir)
	m.Files = slices.DeleteFunc(m.Files, func(e bundle.Entry) bool { return e.Path == "etc/vtic/plan.json" })
	writeManifest(t, dir, m)
	if _, err := buildout.ReadRouter(dir, "gw1"); err == nil || !strings.Contains(err.Error(), "no digest of etc/swanctl/conf.d/vtic-secrets.conf") {
		t.Fatalf("no plan, no digest: err = %v", err)
	}
	for i, e := range m.Files {
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(e.Path)))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(data)
		m.Files[i].SHA256 = hex.EncodeToString(sum[:])
	}
	writeManifest(t, dir, m)
	r, err := buildout.ReadRouter(dir, "gw1")
	if err != nil {
		t.Fatal(err)
	}
	if r.Host != nil || len(r.Files) != len(m.Files) {
		t.Errorf("Host = %v, %d files; want no plan and %d files", r.Host, len(r.Files), len(m.Files))
	}
	appendTo(t, filepath.Join(dir, "etc", "swanctl", "conf.d", "vtic-secrets.conf"))
	if _, err := buildout.ReadRouter(dir, "gw1"); err == nil || !strings.Contains(err.Error(), "rebuild it") {
		t.Fatalf("edited secret: err = %v", err)
	}
}

// replaceIn replaces the one occurrence of old in the file name.
func replaceIn(t *testing.T, name, old, new string) {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Count(b, []byte(old)) != 1 {
		t.Fatalf("%s holds %q %d times", name, old, bytes.Count(b, []byte(old)))
	}
	if err := os.WriteFile(name, bytes.Replace(b, []byte(old), []byte(new), 1), 0o600); err != nil {
		t.Fatal(err)
	}
}
