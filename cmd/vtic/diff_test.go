package main

import (
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vtic/vtic/internal/testkit/targettest"
)

// checkNoKeys fails when any output shows a key, as written or in the hex
// the secrets file stores it in.
func checkNoKeys(t *testing.T, name string, outputs ...string) {
	t.Helper()
	for _, k := range fixtureKeys {
		h := hex.EncodeToString([]byte(k))
		for _, out := range outputs {
			for _, needle := range []string{k, h, strings.ToUpper(h)} {
				if strings.Contains(out, needle) {
					t.Errorf("%s: output shows the key %q (as %q)", name, k, needle)
				}
			}
		}
	}
}

func TestDiffGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	bin := vticPath(t)
	env := baseEnv(t)
	r := buildHistory(t, env)
	siteDir := filepath.Join(r.dir, "sites", "lab")

	// The work tree differs from the feature branch too: a description
	// is added, and a key file is gone, as in CI where no secret exists.
	// The key must not show as changed: its reference is the same.
	r.write("sites/lab/tunnels.hcl", tunnels(112, 1380, "gw1 to gw2"))
	r.remove("sites/lab/secrets/gw1-gw2.psk")

	cases := []struct {
		name string
		args []string
		code int
	}{
		{"tunnel-added", []string{"--base", "c1", "--head", "c2"}, 2},
		{"mark-changed", []string{"--base", "c2", "--head", "c3"}, 2},
		{"psk-rotated", []string{"--base", "c3", "--head", "c4"}, 2},
		{"router-removed", []string{"--base", "c4", "--head", "c5"}, 2},
		{"all", []string{"--base", "c1", "--head", "c5"}, 2},
		// Default base: the merge base with main (c5); head: the work tree.
		{"worktree", nil, 2},
		{"no-change", []string{"--base", "c5", "--head", "main"}, 0},
	}
	formats := map[string]string{"text": "txt", "markdown": "md", "json": "json"}
	for _, c := range cases {
		for format, ext := range formats {
			t.Run(c.name+"/"+format, func(t *testing.T) {
				args := append([]string{"diff", "--format", format}, c.args...)
				res := runVtic(t, bin, siteDir, env, args...)
				if res.code != c.code {
					t.Fatalf("exit code %d, want %d\nstderr:\n%s", res.code, c.code, res.stderr)
				}
				if res.stderr != "" {
					t.Errorf("stderr:\n%s", res.stderr)
				}
				if format == "json" && !json.Valid([]byte(res.stdout)) {
					t.Errorf("output is not JSON")
				}
				checkNoKeys(t, c.name, res.stdout, res.stderr)
				targettest.CompareGolden(t, filepath.Join("testdata", "diff", c.name+"."+ext), []byte(res.stdout))
				if again := runVtic(t, bin, siteDir, env, args...); again != res {
					t.Errorf("a second run gives different output")
				}
			})
		}
	}

	t.Run("unresolved", func(t *testing.T) {
		// The key of gw2-gw3 is unresolved: shown so, never as empty.
		res := runVtic(t, bin, siteDir, env, "diff", "--base", "c1", "--head", "c2")
		want := `psk env("VTIC_TEST_GW2_GW3_PSK") (unresolved)`
		if !strings.Contains(res.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, res.stdout)
		}
	})

	t.Run("broken base names the repository's file", func(t *testing.T) {
		res := runVtic(t, bin, r.dir, env, "diff", "sites/lab", "--base", "broken", "--head", "c5")
		if res.code != 1 {
			t.Fatalf("exit code %d, want 1", res.code)
		}
		if res.stdout != "" {
			t.Errorf("stdout: %s", res.stdout)
		}
		if strings.Contains(res.stderr, os.TempDir()) || strings.Contains(res.stderr, "vtic-diff-") {
			t.Errorf("stderr names a temporary path:\n%s", res.stderr)
		}
		targettest.CompareGolden(t, filepath.Join("testdata", "diff", "broken.stderr"), []byte(res.stderr))
	})

	t.Run("site missing at base", func(t *testing.T) {
		// Before c1 the site does not exist: every router is added.
		r2 := newRepo(t, env)
		r2.write("README", "empty\n")
		r2.commit("empty", "nothing yet")
		for _, name := range []string{"routers.hcl", "tunnels.hcl", "secrets/gw1-gw2.psk", "secrets/gw1-gw3.psk"} {
			b, err := os.ReadFile(filepath.Join(r.dir, "sites", "lab", filepath.FromSlash(name)))
			if os.IsNotExist(err) {
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			r2.write("sites/lab/"+name, string(b))
		}
		res := runVtic(t, bin, filepath.Join(r2.dir, "sites", "lab"), env, "diff", "--base", "empty")
		if res.code != 2 {
			t.Fatalf("exit code %d, want 2\n%s", res.code, res.stderr)
		}
		if !strings.Contains(res.stdout, "Routers: 2 added, 0 removed, 0 changed, 0 unchanged.") {
			t.Errorf("unexpected summary:\n%s", res.stdout)
		}
	})
}

// TestDiffExitCodes checks that bad usage exits 1, never 2 (which means
// "changes"), and says why.
func TestDiffExitCodes(t *testing.T) {
	bin := vticPath(t)
	env := baseEnv(t)
	plain := t.TempDir() // not a git work tree
	cases := []struct {
		name   string
		args   []string
		stderr string
	}{
		{"unknown format", []string{"diff", "--format", "yaml"}, `unknown format "yaml"`},
		{"unknown flag", []string{"diff", "--nope"}, "flag provided but not defined"},
		{"two directories without --dirs", []string{"diff", "a", "b"}, `unexpected argument "b"`},
		{"one directory with --dirs", []string{"diff", "--dirs", "a"}, "--dirs needs two build directories"},
		{"--dirs with --base", []string{"diff", "--dirs", "--base", "main", "a", "b"}, "--base, --head and --git-filters do not apply"},
		{"--dirs with --git-filters", []string{"diff", "--dirs", "--git-filters", "a", "b"}, "--base, --head and --git-filters do not apply"},
		{"revision like an option", []string{"diff", "--base=--output=x", "."}, `invalid revision "--output=x"`},
		{"not a git work tree", []string{"diff", "."}, "is not in a git work tree"},
		{"missing build directory", []string{"diff", "--dirs", "old", "new"}, "read build directory old"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := runVtic(t, bin, plain, env, c.args...)
			if res.code != 1 {
				t.Errorf("exit code %d, want 1", res.code)
			}
			if !strings.Contains(res.stderr, c.stderr) {
				t.Errorf("stderr lacks %q:\n%s", c.stderr, res.stderr)
			}
		})
	}
	t.Run("help", func(t *testing.T) {
		res := runVtic(t, bin, plain, env, "diff", "-h")
		if res.code != 0 || !strings.Contains(res.stdout, "Usage: vtic diff") {
			t.Errorf("exit code %d, stdout:\n%s", res.code, res.stdout)
		}
	})
}

// TestDiffDirs compares two directories written by vtic build.
func TestDiffDirs(t *testing.T) {
	bin := vticPath(t)
	env := baseEnv(t)
	work := t.TempDir()
	site := filepath.Join(work, "site")
	write := func(name, content string) {
		p := filepath.Join(site, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	build := func(out string) {
		if res := runVtic(t, bin, work, env, "build", "site", "-o", out); res.code != 0 {
			t.Fatalf("vtic build: exit %d\n%s", res.code, res.stderr)
		}
	}
	write("routers.hcl", routersV1)
	write("tunnels.hcl", tunnels(12, 1400, "", tunnelGW1GW3))
	write("secrets/gw1-gw2.psk", fixtureKeys[0])
	write("secrets/gw1-gw3.psk", fixtureKeys[1])
	build("old")
	write("tunnels.hcl", tunnels(112, 1400, "", tunnelGW1GW3))
	write("secrets/gw1-gw3.psk", fixtureKeys[2])
	build("new")

	for format, ext := range map[string]string{"text": "txt", "markdown": "md", "json": "json"} {
		t.Run(format, func(t *testing.T) {
			res := runVtic(t, bin, work, env, "diff", "--dirs", "old", "new", "--format", format)
			if res.code != 2 {
				t.Fatalf("exit code %d, want 2\n%s", res.code, res.stderr)
			}
			checkNoKeys(t, "dirs", res.stdout, res.stderr)
			targettest.CompareGolden(t, filepath.Join("testdata", "diff", "dirs."+ext), []byte(res.stdout))
		})
	}
	if res := runVtic(t, bin, work, env, "diff", "--dirs", "old", "old"); res.code != 0 {
		t.Errorf("same directory: exit code %d, want 0\n%s%s", res.code, res.stdout, res.stderr)
	}
}

// TestDiffGitFilters: a pull request's .gitattributes that selects a
// filter configured in the checkout does not make vtic diff run it; only
// --git-filters does.
func TestDiffGitFilters(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	bin := vticPath(t)
	env := baseEnv(t)
	r := buildHistory(t, env)
	marker := filepath.Join(t.TempDir(), "pwned")
	r.write(".gitattributes", "*.hcl filter=pwn\n*.psk filter=pwn\n")
	r.git("config", "filter.pwn.smudge", "touch '"+marker+"'; cat")
	r.git("config", "filter.pwn.clean", "cat")
	siteDir := filepath.Join(r.dir, "sites", "lab")

	res := runVtic(t, bin, siteDir, env, "diff", "--base", "c1", "--head", "c2")
	if res.code != 2 {
		t.Fatalf("exit code %d, want 2\n%s", res.code, res.stderr)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Fatal("vtic diff ran the filter the work tree's .gitattributes chose")
	}
	res = runVtic(t, bin, siteDir, env, "diff", "--git-filters", "--base", "c1", "--head", "c2")
	if res.code != 2 {
		t.Fatalf("--git-filters: exit code %d, want 2\n%s", res.code, res.stderr)
	}
	if _, err := os.Stat(marker); err != nil {
		t.Errorf("--git-filters did not run the filter: %v", err)
	}
}
