package bundle_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/vtic/vtic/compile"
	"github.com/vtic/vtic/internal/testkit/targettest"
	"github.com/vtic/vtic/lang"
	"github.com/vtic/vtic/targets/bundle"
)

// TestMeshExampleMatchesHandWritten proves that examples/mesh, written
// with mesh blocks, gives every router the files the hand-written site
// (testdata/mesh-handwritten) gave it, byte for byte, manifest included.
func TestMeshExampleMatchesHandWritten(t *testing.T) {
	example := filepath.Join(targettest.ExamplesDir(), "mesh")
	hand := t.TempDir()
	if err := os.CopyFS(hand, os.DirFS("testdata/mesh-handwritten")); err != nil {
		t.Fatal(err)
	}
	if err := os.CopyFS(filepath.Join(hand, "secrets"), os.DirFS(filepath.Join(example, "secrets"))); err != nil {
		t.Fatal(err)
	}
	want, got := buildAll(t, hand), buildAll(t, example)
	if len(want) == 0 || len(got) != len(want) {
		t.Fatalf("the mesh example has %d routers, the hand-written site %d", len(got), len(want))
	}
	for router, files := range want {
		for path, data := range files {
			if g, ok := got[router][path]; !ok {
				t.Errorf("%s: %s missing from the mesh example's build", router, path)
			} else if !bytes.Equal(g, data) {
				t.Errorf("%s: %s differs:\n--- hand-written\n%s\n--- mesh\n%s", router, path, data, g)
			}
		}
		for path := range got[router] {
			if _, ok := files[path]; !ok {
				t.Errorf("%s: %s only in the mesh example's build", router, path)
			}
		}
	}
}

// buildAll renders every router of a site: router → path → bytes, the
// mode in front of the content and the manifest as one more file.
func buildAll(t *testing.T, dir string) map[string]map[string][]byte {
	t.Helper()
	site, diags := lang.LoadDir(dir, lang.Options{})
	if diags.HasErrors() {
		t.Fatalf("%s: %s", dir, diags.Error())
	}
	plan, err := compile.Compile(site)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string][]byte{}
	for _, h := range plan.Hosts {
		files, m, err := bundle.Render(h)
		if err != nil {
			t.Fatal(err)
		}
		out[h.Name] = map[string][]byte{"manifest.json": m.Encode()}
		for _, f := range files {
			out[h.Name][f.Path] = append([]byte(f.Mode.String()+"\n"), f.Data...)
		}
	}
	return out
}
