package lang

import (
	"path/filepath"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

// TestExamples loads every shipped example site (a directory of examples
// holding *.hcl files; others hold unit files and the like). In the checkout only warnings
// about secret file modes may appear (git does not keep mode 0600); a copy
// with its key files made private must load without any diagnostic.
func TestExamples(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "examples", "*", "*.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	var dirs []string
	for _, f := range files {
		if dir := filepath.Dir(f); len(dirs) == 0 || dirs[len(dirs)-1] != dir {
			dirs = append(dirs, dir)
		}
	}
	if len(dirs) == 0 {
		t.Fatal("no examples found")
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			site, diags := LoadDir(dir, Options{})
			for _, d := range diags {
				if d.Severity != hcl.DiagWarning || d.Summary != "Secret file readable by others" {
					t.Errorf("checkout: %s", showDiag(dir, d))
				}
			}
			if len(site.Tunnels) == 0 {
				t.Errorf("no tunnels in %s", dir)
			}

			private := t.TempDir()
			copyTree(t, dir, private)
			_, diags = LoadDir(private, Options{})
			for _, d := range diags {
				t.Errorf("private copy: %s", showDiag(private, d))
			}
		})
	}
}
