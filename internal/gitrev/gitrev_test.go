package gitrev

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// newRepo makes (git must be installed) a repository in a temporary directory with git's user and
// system configuration shut out, and returns a function running git in it.
func newRepo(t *testing.T, branch string) (string, func(args ...string) string) {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	t.Setenv("GIT_CONFIG_GLOBAL", os.DevNull)
	t.Setenv("GIT_AUTHOR_NAME", "Test")
	t.Setenv("GIT_AUTHOR_EMAIL", "test@example.com")
	t.Setenv("GIT_COMMITTER_NAME", "Test")
	t.Setenv("GIT_COMMITTER_EMAIL", "test@example.com")
	git := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return strings.TrimSpace(string(out))
	}
	git("init", "-q", "-b", branch)
	return dir, git
}

func write(t *testing.T, name, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestTreeAndBlobs(t *testing.T) {
	ctx := context.Background()
	dir, git := newRepo(t, "main")
	site := filepath.Join(dir, "sites", "lab")
	write(t, filepath.Join(site, "site.hcl"), "router \"gw1\" {}\n")
	write(t, filepath.Join(site, "secrets", "t1.psk"), "key one\n")
	write(t, filepath.Join(dir, "README"), "not in the site\n")
	git("add", ".")
	git("commit", "-q", "-m", "c1")
	c1 := git("rev-parse", "HEAD")
	write(t, filepath.Join(site, "site.hcl"), "router \"gw2\" {}\n")
	git("commit", "-q", "-am", "c2")

	repo, err := Open(ctx, site)
	if err != nil {
		t.Fatal(err)
	}
	if got := repo.Path("site.hcl"); got != "sites/lab/site.hcl" {
		t.Errorf("Path(site.hcl) = %q", got)
	}
	tree, err := repo.Tree(ctx, c1)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for name, e := range tree {
		if !e.Regular() || e.Size == 0 {
			t.Errorf("%s: %+v, want a regular file with a size", name, e)
		}
		names = append(names, name)
	}
	slices.Sort(names)
	if d := cmp.Diff([]string{"secrets/t1.psk", "site.hcl"}, names); d != "" {
		t.Errorf("tree of c1 (-want +got):\n%s", d)
	}

	blobs, err := repo.OpenBlobs(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	defer blobs.Close()
	got, err := blobs.Read(tree["site.hcl"].OID, repo.Path("site.hcl"), 1<<10)
	if err != nil || string(got) != "router \"gw1\" {}\n" {
		t.Errorf("site.hcl at c1 = %q, %v", got, err)
	}
	if _, err := blobs.Read(tree["site.hcl"].OID, repo.Path("site.hcl"), 4); err == nil || !strings.Contains(err.Error(), "the limit is 4") {
		t.Errorf("a blob over the limit: %v", err)
	}
	// The reader is still in step after skipping a blob.
	got, err = blobs.Read(tree["secrets/t1.psk"].OID, repo.Path("secrets/t1.psk"), 1<<10)
	if err != nil || string(got) != "key one\n" {
		t.Errorf("t1.psk at c1 = %q, %v", got, err)
	}
	missing := strings.Repeat("0", len(c1))
	if _, err := blobs.Read(missing, "x", 1<<10); err == nil || !strings.Contains(err.Error(), "is missing") {
		t.Errorf("a missing object: %v", err)
	}
	blobs.Close()
	blobs.Close() // twice is fine

	if id, err := repo.Resolve(ctx, "no-such-branch"); id != "" || err != nil {
		t.Errorf("Resolve(no-such-branch) = %q, %v", id, err)
	}
	// A directory the commit does not have lists as empty.
	other, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if tree, err := other.Tree(ctx, c1); err != nil || len(tree) != 3 {
		t.Errorf("tree of the root at c1: %v, %v", tree, err)
	}
	empty := filepath.Join(dir, "new")
	write(t, filepath.Join(empty, "x"), "")
	nr, err := Open(ctx, empty)
	if err != nil {
		t.Fatal(err)
	}
	if tree, err := nr.Tree(ctx, c1); err != nil || len(tree) != 0 {
		t.Errorf("tree of a directory c1 lacks: %v, %v", tree, err)
	}
}

func TestDefaultBase(t *testing.T) {
	ctx := context.Background()
	dir, git := newRepo(t, "main")
	write(t, filepath.Join(dir, "a"), "1\n")
	git("add", ".")
	git("commit", "-q", "-m", "c1")
	c1 := git("rev-parse", "HEAD")
	git("checkout", "-q", "-b", "feature")
	write(t, filepath.Join(dir, "a"), "2\n")
	git("commit", "-q", "-am", "c2")

	repo, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	rev, label, err := repo.DefaultBase(ctx)
	if err != nil || rev != c1 || label != "merge base with main" {
		t.Errorf("DefaultBase = %q, %q, %v; want %q, merge base with main", rev, label, err, c1)
	}

	dir2, git2 := newRepo(t, "trunk")
	write(t, filepath.Join(dir2, "a"), "1\n")
	git2("add", ".")
	git2("commit", "-q", "-m", "c1")
	repo2, err := Open(ctx, dir2)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := repo2.DefaultBase(ctx); !errors.Is(err, ErrNoDefaultBranch) {
		t.Errorf("DefaultBase without main or master: %v, want ErrNoDefaultBranch", err)
	}
}

func TestOpenOutsideAWorkTree(t *testing.T) {
	t.Setenv("GIT_CEILING_DIRECTORIES", os.TempDir())
	if _, err := Open(context.Background(), t.TempDir()); err == nil || !strings.Contains(err.Error(), "git rev-parse") {
		t.Errorf("Open outside a work tree: %v", err)
	}
}
