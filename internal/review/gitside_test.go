package review

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// gitSite is a repository (git must be installed) whose directory site/
// holds the test site: tag c1 with mark 10, tag broken with a syntax error
// in it, and mark 11 in the work tree.
func gitSite(t *testing.T) string {
	t.Helper()
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	t.Setenv("GIT_CONFIG_GLOBAL", os.DevNull)
	t.Setenv("GIT_AUTHOR_NAME", "Test")
	t.Setenv("GIT_AUTHOR_EMAIL", "test@example.com")
	t.Setenv("GIT_COMMITTER_NAME", "Test")
	t.Setenv("GIT_COMMITTER_EMAIL", "test@example.com")
	top := t.TempDir()
	dir := filepath.Join(top, "site")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = top
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	write := func(src string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, "site.hcl"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	git("init", "-q", "-b", "main")
	write(site{ref: "VTIC_TEST_UNSET_KEY", mark: 10}.source())
	git("add", ".")
	git("commit", "-q", "-m", "c1")
	git("tag", "c1")
	write("router \"a\" {\n")
	git("commit", "-q", "-am", "broken")
	git("tag", "broken")
	write(site{ref: "VTIC_TEST_UNSET_KEY", mark: 11}.source())
	return dir
}

func TestFromGit(t *testing.T) {
	ctx := context.Background()
	dir := gitSite(t)

	old, new, err := FromGit(ctx, dir, "c1", "", GitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if old.Label != "c1" || new.Label != "work tree" || len(old.Routers) != 2 {
		t.Errorf("sides %q (%d routers) and %q", old.Label, len(old.Routers), new.Label)
	}
	if r := Compare(old, new); !r.Changed() {
		t.Error("mark 10 at c1 and 11 in the work tree compare as unchanged")
	}
	if _, _, err := FromGit(ctx, dir, "c1", "c1", GitOptions{}); err != nil {
		t.Errorf("c1 against itself: %v", err)
	}

	// The default base is the merge base with main: HEAD here.
	_, _, err = FromGit(ctx, dir, "", "c1", GitOptions{})
	var se *SiteError
	if !errors.As(err, &se) || se.Role != "base" || !strings.HasPrefix(se.Label, "merge base with main") {
		t.Fatalf("default base at the broken commit: %v", err)
	}
	if len(se.Diags) == 0 || se.Files[filepath.Join(dir, "site.hcl")] == nil {
		t.Errorf("site error without its diagnostics or file: %+v", se)
	}
	if _, _, err := FromGit(ctx, dir, "c1", "broken", GitOptions{}); !errors.As(err, &se) || se.Role != "head" || se.Label != "broken" {
		t.Errorf("broken head: %v", err)
	}
	if _, _, err := FromGit(ctx, dir, "no-such-rev", "", GitOptions{}); err == nil || !strings.Contains(err.Error(), `unknown revision "no-such-rev"`) {
		t.Errorf("unknown base: %v", err)
	}

	t.Setenv("GIT_CEILING_DIRECTORIES", os.TempDir())
	if _, _, err := FromGit(ctx, t.TempDir(), "c1", "", GitOptions{}); err == nil || !strings.Contains(err.Error(), "is not in a git work tree") {
		t.Errorf("outside a work tree: %v", err)
	}
}

// A pull request's .gitattributes can select any filter the checkout's
// configuration defines. vtic diff does not run filters unless asked to:
// the base is read raw and the diff still works.
func TestFromGitFilters(t *testing.T) {
	ctx := context.Background()
	dir := gitSite(t)
	top := filepath.Dir(dir)
	marker := filepath.Join(t.TempDir(), "pwned")
	if err := os.WriteFile(filepath.Join(top, ".gitattributes"), []byte("*.hcl filter=pwn\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, kv := range [][2]string{{"filter.pwn.smudge", "touch '" + marker + "'; cat"}, {"filter.pwn.clean", "cat"}} {
		cmd := exec.Command("git", "config", kv[0], kv[1])
		cmd.Dir = top
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git config: %v\n%s", err, out)
		}
	}

	old, new, err := FromGit(ctx, dir, "c1", "", GitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(old.Routers) != 2 || !Compare(old, new).Changed() {
		t.Errorf("base has %d routers; changed: %v", len(old.Routers), Compare(old, new).Changed())
	}
	if _, err := os.Stat(marker); err == nil {
		t.Fatal("the filter a pull request chose ran during vtic diff")
	}

	// Asked for, filters run (and the test can tell).
	if _, _, err := FromGit(ctx, dir, "c1", "", GitOptions{Filters: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(marker); err != nil {
		t.Errorf("with filters on, the filter did not run: %v", err)
	}
}
