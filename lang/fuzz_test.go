package lang

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

// FuzzLoad feeds arbitrary site text through decoding and every rule; it
// must never panic, and every diagnostic must say what is wrong. The seeds
// are the base site and every fixture's *.hcl files.
func FuzzLoad(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "base", "*.hcl"))
	for _, name := range seeds {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(string(b))
		}
	}
	archives, _ := filepath.Glob(filepath.Join("testdata", "rules", "*", "*.txtar"))
	for _, name := range archives {
		ar, err := txtar.ParseFile(name)
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range ar.Files {
			if strings.HasSuffix(file.Name, ".hcl") {
				f.Add(string(file.Data))
			}
		}
	}
	base := map[string][]byte{}
	for _, name := range seeds {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		base[filepath.Base(name)] = b
	}
	dir := f.TempDir()
	copyTree(f, filepath.Join("testdata", "base"), dir)
	f.Fuzz(func(t *testing.T, src string) {
		sources := map[string][]byte{filepath.Join(dir, "fuzz.hcl"): []byte(src)}
		for name, b := range base {
			sources[filepath.Join(dir, name)] = b
		}
		_, diags := LoadDir(dir, Options{Sources: sources, LookupEnv: func(string) (string, bool) { return "env.key.value.1", true }})
		for _, d := range diags {
			if d.Summary == "" || d.Detail == "" {
				t.Errorf("diagnostic without summary or detail: %#v", d)
			}
		}
	})
}
