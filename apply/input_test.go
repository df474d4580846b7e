package apply

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vtic/vtic/targets/bundle"
	"github.com/vtic/vtic/targets/plan"
	"github.com/vtic/vtic/targets/swanctl"
)

// writeBuild writes an input as vtic build does and returns the
// directory and its manifest.
func writeBuild(t *testing.T, in Input) (string, *bundle.Manifest) {
	t.Helper()
	dir := t.TempDir()
	m := &bundle.Manifest{Host: in.Host.Name}
	for _, f := range in.Files {
		p := filepath.Join(dir, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, f.Mode); err != nil {
			t.Fatal(err)
		}
		m.Files = append(m.Files, bundle.Entry{Path: f.Path, Mode: f.Mode, SHA256: sum(f.Data), Secret: f.Secret, Internal: f.Internal, Repeats: f.Repeats})
	}
	writeManifest(t, dir, m)
	return dir, m
}

func writeManifest(t *testing.T, dir string, m *bundle.Manifest) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, bundle.ManifestName), m.Encode(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestFromBuild(t *testing.T) {
	in := base.input(t)
	dir, m := writeBuild(t, in)
	got, err := FromBuild(dir, "gw1")
	if err != nil {
		t.Fatal(err)
	}
	if got.Host == nil || got.Host.Name != "gw1" || len(got.Host.Tunnels) != len(in.Host.Tunnels) {
		t.Errorf("the plan read back is %+v; want gw1's", got.Host)
	}
	if len(got.Files) != len(in.Files) {
		t.Fatalf("%d files; want %d", len(got.Files), len(in.Files))
	}
	for i, f := range got.Files {
		w := in.Files[i]
		if f.Path != w.Path || f.Mode != w.Mode || f.Secret != w.Secret || string(f.Data) != string(w.Data) {
			t.Errorf("file %d = %s %v %v; want %s %v %v", i, f.Path, f.Mode, f.Secret, w.Path, w.Mode, w.Secret)
		}
	}

	for _, tc := range []struct {
		name string
		edit func(m *bundle.Manifest)
		want string
	}{
		{"escape", func(m *bundle.Manifest) { m.Files[0].Path = "../../etc/passwd" }, "not a clean relative path"},
		{"elsewhere", func(m *bundle.Manifest) { m.Files[0].Path = "usr/sbin/charon" }, "outside the directories"},
		{"sum", func(m *bundle.Manifest) { m.Files[0].SHA256 = strings.Repeat("0", 64) }, "rebuild it"},
		{"secret mode", func(m *bundle.Manifest) { entry(m, swanctl.SecretsPath).Mode = 0o666 }, "vtic installs it with mode 0600"},
		{"secret flag", func(m *bundle.Manifest) { entry(m, swanctl.SecretsPath).Secret = false }, "as not secret"},
		{"shell-sourced", func(m *bundle.Manifest) { m.Files[0].Path = "etc/frr/daemons" }, "outside the directories"},
		{"missing", func(m *bundle.Manifest) { m.Files[0].Path = "etc/vtic/tunnels/none/vti.init" }, "no such file"},
		{"no plan", func(m *bundle.Manifest) {
			m.Files = slices.DeleteFunc(m.Files, func(e bundle.Entry) bool { return e.Path == plan.Path })
		},
			"has no plan (etc/vtic/plan.json); rebuild it with this vtic"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := *m
			c.Files = append([]bundle.Entry(nil), m.Files...)
			tc.edit(&c)
			writeManifest(t, dir, &c)
			defer writeManifest(t, dir, m)
			if _, err := FromBuild(dir, "gw1"); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v; want %q", err, tc.want)
			}
		})
	}
	// The manifest only carries permission bits.
	data := strings.Replace(string(m.Encode()), `"mode": "0600"`, `"mode": "4755"`, 1)
	if err := os.WriteFile(filepath.Join(dir, bundle.ManifestName), []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := FromBuild(dir, "gw1"); err == nil || !strings.Contains(err.Error(), "invalid mode") {
		t.Errorf("setuid mode: %v", err)
	}
	writeManifest(t, dir, m)
	if _, err := FromBuild(dir, "gw2"); err == nil || !strings.Contains(err.Error(), `for router "gw1", not "gw2"`) {
		t.Errorf("wrong host: %v", err)
	}
	if _, err := FromBuild(t.TempDir(), "gw1"); err == nil || !strings.Contains(err.Error(), "manifest.json") {
		t.Errorf("no manifest: %v", err)
	}
}

// entry is the manifest entry of path.
func entry(m *bundle.Manifest, path string) *bundle.Entry {
	i := slices.IndexFunc(m.Files, func(e bundle.Entry) bool { return e.Path == path })
	return &m.Files[i]
}
