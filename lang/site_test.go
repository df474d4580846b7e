package lang

import (
	"os"
	"path/filepath"
	"testing"
)

// TestLoadDirSources loads site text given in Options.Sources, as vtic diff
// does for a git revision: the *.hcl files on disk are not read, and file()
// secrets still come from the directory.
func TestLoadDirSources(t *testing.T) {
	dir := t.TempDir()
	copyTree(t, filepath.Join("testdata", "base"), dir)
	writeFile(t, filepath.Join(dir, "broken.hcl"), []byte("this is not a site {\n"))
	sources := map[string][]byte{}
	for _, name := range []string{"routers.hcl", "peers.hcl", "tunnels.hcl"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		sources[filepath.Join(dir, name)] = b
	}
	sources[filepath.Join(dir, "tunnels2.hcl")] = []byte(`
tunnel "gw2-far" {
  mark = 50
  psk  = file("secrets/missing.psk")

  end "gw2" {
    interface = "vti2"
    inside    = "169.254.30.1/30"
  }
  end "far" {
    inside = "169.254.30.2/30"
  }
}
`)
	lookup := func(name string) (string, bool) { return testEnv[name], name == "PSK" }

	site, diags := LoadDir(dir, Options{Sources: sources, LookupEnv: lookup})
	if len(diags) != 1 || diags[0].Summary != "Secret file not found" ||
		diags[0].Subject.Filename != filepath.Join(dir, "tunnels2.hcl") || diags[0].Subject.Start.Line != 4 {
		t.Errorf("diagnostics = %v; want only Secret file not found at tunnels2.hcl:4", diags)
	}
	if len(site.Tunnels) != 3 {
		t.Fatalf("got %d tunnels, want 3", len(site.Tunnels))
	}
	if psk := site.Tunnels[1].PSK; site.Tunnels[1].Name != "gw1-aws1" || !psk.Resolved || string(psk.Value) != "Base.key_for.aws1" {
		t.Errorf("file() secret of %s: resolved %v, value %q", site.Tunnels[1].Name, psk.Resolved, psk.Value)
	}

	_, diags = LoadDir(dir, Options{Sources: sources, LookupEnv: lookup, AllowUnresolvedSecrets: true})
	if len(diags) != 0 {
		t.Errorf("with unresolved secrets allowed: %v", diags)
	}
}
