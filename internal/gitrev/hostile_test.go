package gitrev

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// hostileFilter makes the work tree of dir say, as a pull request can,
// that every .hcl file goes through the filter "pwn", and configures that
// filter, as a checkout might, to create marker when it runs. The filter
// passes the content through unchanged otherwise.
func hostileFilter(t *testing.T, dir string, git func(args ...string) string) (marker string) {
	t.Helper()
	marker = filepath.Join(t.TempDir(), "pwned")
	write(t, filepath.Join(dir, ".gitattributes"), "*.hcl filter=pwn\n")
	cmd := "touch '" + marker + "'; cat"
	git("config", "filter.pwn.smudge", cmd)
	git("config", "filter.pwn.clean", "cat")
	return marker
}

// Blobs are read raw unless filters are asked for: a filter that a pull
// request selects with .gitattributes does not run, for base blobs either.
func TestBlobsWithoutFilters(t *testing.T) {
	ctx := context.Background()
	dir, git := newRepo(t, "main")
	write(t, filepath.Join(dir, "site.hcl"), "router \"gw1\" {}\n")
	git("add", ".")
	git("commit", "-q", "-m", "c1")
	marker := hostileFilter(t, dir, git)

	repo, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	tree, err := repo.Tree(ctx, "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	read := func(filters bool) string {
		t.Helper()
		blobs, err := repo.OpenBlobs(ctx, filters)
		if err != nil {
			t.Fatal(err)
		}
		defer blobs.Close()
		got, err := blobs.Read(tree["site.hcl"].OID, repo.Path("site.hcl"), 1<<10)
		if err != nil {
			t.Fatal(err)
		}
		return string(got)
	}
	if got := read(false); got != "router \"gw1\" {}\n" {
		t.Errorf("site.hcl = %q", got)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Fatal("the filter ran although filters are off")
	}
	// Asked for, the filter runs: the marker proves the test can fail.
	if got := read(true); got != "router \"gw1\" {}\n" {
		t.Errorf("site.hcl through the filter = %q", got)
	}
	if _, err := os.Stat(marker); err != nil {
		t.Errorf("the filter did not run with filters on: %v", err)
	}
}

// A configured fsmonitor hook is not run by any command gitrev runs.
func TestNoFSMonitor(t *testing.T) {
	ctx := context.Background()
	dir, git := newRepo(t, "main")
	write(t, filepath.Join(dir, "site.hcl"), "x\n")
	git("add", ".")
	git("commit", "-q", "-m", "c1")
	marker := filepath.Join(t.TempDir(), "pwned")
	hook := filepath.Join(t.TempDir(), "hook")
	write(t, hook, "#!/bin/sh\ntouch '"+marker+"'\n")
	if err := os.Chmod(hook, 0o755); err != nil {
		t.Fatal(err)
	}
	git("config", "core.fsmonitor", hook)
	git("status", "--porcelain") // proves the hook runs for commands that read the index
	if _, err := os.Stat(marker); err != nil {
		t.Fatalf("git status did not run the fsmonitor hook: %v", err)
	}
	if err := os.Remove(marker); err != nil {
		t.Fatal(err)
	}
	repo, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := repo.DefaultBase(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := repo.Tree(ctx, "HEAD"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Error("the fsmonitor hook ran")
	}
}

// A directory laid out as a bare repository, as a pull request can commit
// one into the site directory, is not taken for the repository: its
// configuration would be the pull request's.
func TestEmbeddedBareRepository(t *testing.T) {
	ctx := context.Background()
	dir, git := newRepo(t, "main")
	site := filepath.Join(dir, "site")
	write(t, filepath.Join(site, "site.hcl"), "x\n")
	git("init", "-q", "--bare", site)
	// Its own configuration gives it a work tree: the site directory.
	git("config", "--file", filepath.Join(site, "config"), "core.bare", "false")
	git("config", "--file", filepath.Join(site, "config"), "core.worktree", ".")
	git("add", ".")
	git("commit", "-q", "-m", "c1")
	repo, err := Open(ctx, site)
	if err == nil && repo.Top() != dir {
		t.Fatalf("Open took the embedded repository %s for the work tree", repo.Top())
	}
}

// Revisions that read like options are taken as revisions: the default
// branch that origin/HEAD names, and names given to Resolve.
func TestRevisionsAreNotOptions(t *testing.T) {
	ctx := context.Background()
	dir, git := newRepo(t, "main")
	write(t, filepath.Join(dir, "a"), "1\n")
	git("add", ".")
	git("commit", "-q", "-m", "c1")
	c1 := git("rev-parse", "HEAD")
	git("checkout", "-q", "-b", "feature")
	write(t, filepath.Join(dir, "a"), "2\n")
	git("commit", "-q", "-am", "c2")
	// merge-base HEAD --octopus would print HEAD.
	git("update-ref", "refs/heads/--octopus", c1)
	git("symbolic-ref", "refs/remotes/origin/HEAD", "refs/heads/--octopus")
	git("update-ref", "refs/tags/--all", c1)

	repo, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	rev, label, err := repo.DefaultBase(ctx)
	if err != nil || rev != c1 {
		t.Errorf("DefaultBase = %q, %q, %v; want %s", rev, label, err, c1)
	}
	if !strings.Contains(label, "--octopus") {
		t.Errorf("label %q does not name the branch", label)
	}
	if id, err := repo.Resolve(ctx, "--all"); err != nil || id != c1 {
		t.Errorf("Resolve(--all) = %q, %v; want the tag's %s", id, err, c1)
	}
	if id, err := repo.Resolve(ctx, "--git-dir"); err != nil || id != "" {
		t.Errorf("Resolve(--git-dir) = %q, %v; want nothing", id, err)
	}
}
