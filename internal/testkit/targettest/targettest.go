// Package targettest holds what every renderer's tests share: the shipped
// examples compiled into host plans, and golden-file comparison with one
// update switch (VTIC_UPDATE=1) for the whole repository.
package targettest

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/vtic/vtic/compile"
	"github.com/vtic/vtic/lang"
	"github.com/vtic/vtic/targets"
)

// Update reports whether golden files should be rewritten.
func Update() bool { return os.Getenv("VTIC_UPDATE") == "1" }

// ExamplesDir is the repository's examples directory.
func ExamplesDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..", "examples")
}

// Example is one shipped example, compiled.
type Example struct {
	Name string
	Dir  string
	Plan *compile.Plan
}

// Examples loads and compiles every example site. Secrets files are copied
// with mode 0600 first, since git does not keep file modes and the
// permission warning is not what these tests are about.
func Examples(t testing.TB) []Example {
	t.Helper()
	entries, err := os.ReadDir(ExamplesDir())
	if err != nil {
		t.Fatal(err)
	}
	var out []Example
	for _, e := range entries {
		dir := filepath.Join(ExamplesDir(), e.Name())
		if hcl, _ := filepath.Glob(filepath.Join(dir, "*.hcl")); len(hcl) == 0 {
			continue
		}
		out = append(out, Example{Name: e.Name(), Dir: dir, Plan: Compile(t, dir)})
	}
	if len(out) == 0 {
		t.Fatal("no examples found")
	}
	return out
}

// Compile loads a site directory and fails the test on any error.
func Compile(t testing.TB, dir string) *compile.Plan {
	t.Helper()
	site, diags := lang.LoadDir(dir, lang.Options{})
	for _, d := range diags {
		if d.Severity == 1 { // hcl.DiagError
			t.Fatalf("%s: %s", dir, diags.Error())
		}
	}
	plan, err := compile.Compile(site)
	if err != nil {
		t.Fatalf("compile %s: %v", dir, err)
	}
	return plan
}

// Golden renders every host of every example with r, checks that a second
// render gives the same bytes, and compares the files with
// testdata/<example>/<host>/<path> in the calling package. It returns the
// rendered files by example and host for further checks.
func Golden(t *testing.T, r targets.Renderer) map[string]map[string][]targets.File {
	t.Helper()
	out := map[string]map[string][]targets.File{}
	for _, ex := range Examples(t) {
		out[ex.Name] = map[string][]targets.File{}
		for _, h := range ex.Plan.Hosts {
			files, err := r.Render(h)
			if err != nil {
				t.Fatalf("%s/%s: %v", ex.Name, h.Name, err)
			}
			again, err := r.Render(h)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(files, again); d != "" {
				t.Errorf("%s/%s: second render differs (-first +second):\n%s", ex.Name, h.Name, d)
			}
			out[ex.Name][h.Name] = files
			for _, f := range files {
				CompareGolden(t, filepath.Join("testdata", ex.Name, h.Name, filepath.FromSlash(f.Path)), f.Data)
			}
		}
	}
	return out
}

// CompareGolden compares got with the golden file, or rewrites it when
// VTIC_UPDATE=1.
func CompareGolden(t testing.TB, path string, got []byte) {
	t.Helper()
	if Update() {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with VTIC_UPDATE=1 to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from its golden file (-want +got):\n%s", path, cmp.Diff(string(want), string(got)))
	}
}

// WriteTree writes rendered files under root, keeping their modes, for
// checks by real programs.
func WriteTree(t testing.TB, root string, files []targets.File) {
	t.Helper()
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	for _, f := range files {
		p := filepath.Join(root, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, f.Mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, f.Mode); err != nil {
			t.Fatal(err)
		}
	}
}
