package lang

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestSite(t *testing.T) {
	unsupported := `An argument named "mtu" is not expected here.`
	runCases(t, "site", []ruleCase{
		{name: "no-site-files", bare: true, detail: "holds no *.hcl files."},
		{name: "not-a-directory", dir: "routers.hcl", detail: "routers.hcl is a file. A site is a directory of *.hcl files; give its directory."},
		{name: "missing-directory", dir: "nowhere", detail: "nowhere: no such file or directory. Give the directory that holds the site's *.hcl files."},
		{name: "nul-byte", detail: "binary.hcl contains NUL bytes; site files are HCL text.",
			setup: func(t *testing.T, dir string) {
				writeFile(t, filepath.Join(dir, "binary.hcl"), []byte("router \"gw9\" {\x00}\n"))
			}},
		{name: "too-large", detail: "big.hcl is 2097153 bytes; site files are limited to 2097152 bytes. Split the site into several files.",
			setup: func(t *testing.T, dir string) {
				name := filepath.Join(dir, "big.hcl")
				writeFile(t, name, nil)
				if err := os.Truncate(name, MaxSourceSize+1); err != nil {
					t.Fatal(err)
				}
			}},
		{name: "unreadable", detail: "gone.hcl is a symbolic link; site files must be regular files in the site directory.",
			setup: func(t *testing.T, dir string) {
				if err := os.Symlink("nowhere", filepath.Join(dir, "gone.hcl")); err != nil {
					t.Fatal(err)
				}
			}},
		{name: "ok-other-files-ignored"},
		{name: "syntax-error", col: 13, detail: "Expected the start of an expression"},
		{name: "unclosed-block", col: 14, detail: "There is no closing brace for this block"},
		{name: "invalid-utf8", col: 19, detail: "All input files must be UTF-8 encoded.", more: []at{{19, "No closing marker was found for the string."}},
			setup: func(t *testing.T, dir string) {
				name := filepath.Join(dir, "tunnels2.hcl")
				b, err := os.ReadFile(name)
				if err != nil {
					t.Fatal(err)
				}
				writeFile(t, name, bytes.Replace(b, []byte("ü"), []byte{0xfc}, 1))
			}},
		{name: "unknown-block", col: 1, detail: `Blocks of type "vpn" are not expected here.`},
		{name: "unknown-top-level-attribute", col: 1, detail: `An argument named "name" is not expected here.`},
		{name: "unknown-router-attribute", col: 3, detail: unsupported},
		{name: "unknown-peer-attribute", col: 3, detail: `An argument named "interface" is not expected here.`},
		{name: "unknown-tunnel-block", col: 8, detail: "has 1 end blocks", more: []at{{3, `Blocks of type "peer" are not expected here.`}}},
		{name: "unknown-end-attribute", col: 5, detail: `An argument named "mark" is not expected here.`},
		{name: "block-as-attribute", col: 1, detail: `An argument named "router" is not expected here. Did you mean to define a block of type "router"?`},
		{name: "missing-label", col: 8, detail: "All router blocks must have 1 labels (name)."},
		{name: "extra-label", col: 14, detail: "Only 1 labels (name) are expected for router blocks."},
		{name: "missing-outside", col: 13, detail: `The argument "outside" is required, but no definition was found.`},
		{name: "missing-inside", col: 13, detail: `The argument "inside" is required`},
		{name: "attribute-redefined", col: 3, detail: `The argument "outside" was already set at `},
		{name: "unknown-provider", col: 14, detail: `The provider "gcp" is not known. Use "aws", "azure" or "generic".`},
		{name: "errors-in-several-files", col: 13, detail: `The argument "asn" must be a whole number.`,
			more: []at{{13, `"192.0.2.300" is not one`}, {3, unsupported}}},
	})
}

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
