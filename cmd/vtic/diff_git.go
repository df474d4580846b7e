package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/vtic/vtic/internal/review"
	"github.com/vtic/vtic/lang"
)

// gitRepo is the work tree a site directory lives in.
type gitRepo struct {
	top    string // the work tree's root
	prefix string // the site directory relative to top, slash-separated, "" at the root
}

func openRepo(ctx context.Context, dir string) (*gitRepo, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("site directory %s: %w", dir, err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("site directory %s is not a directory", dir)
	}
	out, err := runGit(ctx, dir, "rev-parse", "--show-toplevel", "--show-prefix")
	if err != nil {
		return nil, fmt.Errorf("site directory %s is not in a git work tree (use --dirs to compare two build directories): %w", dir, err)
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) != 2 {
		return nil, fmt.Errorf("site directory %s: unexpected output from git rev-parse: %q", dir, out)
	}
	return &gitRepo{top: lines[0], prefix: strings.TrimSuffix(lines[1], "/")}, nil
}

func runGit(ctx context.Context, dir string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return nil, fmt.Errorf("git %s: %s", args[0], msg)
		}
		return nil, fmt.Errorf("git %s: %w", args[0], err)
	}
	return out, nil
}

func (g *gitRepo) git(ctx context.Context, args ...string) ([]byte, error) {
	return runGit(ctx, g.top, args...)
}

// object returns the id an object name resolves to, or "" when it names
// nothing.
func (g *gitRepo) object(ctx context.Context, name string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", "rev-parse", "--verify", "--quiet", name)
	cmd.Dir = g.top
	out, err := cmd.Output()
	var ee *exec.ExitError
	if errors.As(err, &ee) && ee.ExitCode() == 1 {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("git rev-parse %s: %w", name, err)
	}
	return strings.TrimSpace(string(out)), nil
}

// defaultBase is the merge base of HEAD and the default branch: the
// remote's HEAD when known, else main or master.
func (g *gitRepo) defaultBase(ctx context.Context) (rev, label string, err error) {
	branch := ""
	if out, err := g.git(ctx, "symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"); err == nil {
		branch = strings.TrimSpace(string(out))
	}
	for _, ref := range []string{"refs/remotes/origin/main", "refs/remotes/origin/master", "refs/heads/main", "refs/heads/master"} {
		if branch != "" {
			break
		}
		id, err := g.object(ctx, ref)
		if err != nil {
			return "", "", err
		}
		if id != "" {
			branch = strings.TrimPrefix(strings.TrimPrefix(ref, "refs/heads/"), "refs/remotes/")
		}
	}
	if branch == "" {
		return "", "", usagef("cannot tell the default branch (no origin/HEAD, main or master); give --base REF")
	}
	out, err := g.git(ctx, "merge-base", "HEAD", branch)
	if err != nil {
		return "", "", fmt.Errorf("merge base of HEAD and %s: %w", branch, err)
	}
	return strings.TrimSpace(string(out)), "merge base with " + branch, nil
}

// treeEntry is one file of a revision's site directory.
type treeEntry struct {
	mode string // git's mode: 100644, 100755, 120000 (symlink), 160000 (submodule)
	oid  string
	size int64
}

func (e treeEntry) regular() bool { return e.mode == "100644" || e.mode == "100755" }

// maxRevisionSecret bounds a secret file read from git; lang refuses
// anything near this size anyway.
const maxRevisionSecret = 1 << 20

// maxRevisionSource is lang's limit for a site file.
const maxRevisionSource = lang.MaxSourceSize

// revisionSide renders the site as it is in a revision, from git objects.
// The site's files get the names they have in the work tree (dir/x.hcl),
// so diagnostics point at the files the user knows. Every blob comes
// through one git cat-file process, and nothing is written to disk: file()
// keys are read from the revision when it tracks them, else from the work
// tree (see revisionSecret).
func (g *gitRepo) revisionSide(ctx context.Context, e *env, role, dir, rev, label string) (review.Side, error) {
	commit, err := g.object(ctx, rev+"^{commit}")
	if err != nil {
		return review.Side{}, err
	}
	if commit == "" {
		return review.Side{}, fmt.Errorf("unknown revision %q", rev)
	}
	tree, err := g.tree(ctx, commit)
	if err != nil {
		return review.Side{}, fmt.Errorf("read %s at %s: %w", dir, label, err)
	}
	var names []string
	for name, ent := range tree {
		if strings.Contains(name, "/") || !strings.HasSuffix(name, ".hcl") {
			continue
		}
		if !ent.regular() {
			return review.Side{}, fmt.Errorf("site file %s at %s is not a regular file in git (mode %s); vtic diff cannot read it", filepath.Join(dir, name), label, ent.mode)
		}
		if ent.size > maxRevisionSource {
			return review.Side{}, fmt.Errorf("site file %s at %s is %d bytes; site files are limited to %d bytes", filepath.Join(dir, name), label, ent.size, maxRevisionSource)
		}
		names = append(names, name)
	}
	if len(names) == 0 {
		// The site is not there yet (or no longer): no routers.
		return review.Side{Label: label, HasPlan: true}, nil
	}
	blobs, err := g.openBlobs(ctx)
	if err != nil {
		return review.Side{}, err
	}
	defer blobs.close()
	sort.Strings(names)
	sources := make(map[string][]byte, len(names))
	for _, name := range names {
		b, err := blobs.read(tree[name].oid, g.full(name), maxRevisionSource)
		if err != nil {
			return review.Side{}, fmt.Errorf("read %s at %s: %w", filepath.Join(dir, name), label, err)
		}
		sources[filepath.Join(dir, filepath.FromSlash(name))] = b
	}
	opts := diffOptions
	opts.Sources = sources
	opts.Context = ctx
	opts.ReadSecret = func(ref string) ([]byte, error) { return revisionSecret(blobs, g, tree, ref) }
	site, diags := lang.LoadDir(dir, opts)
	return sideOf(e, role, label, site, diags)
}

// revisionSecret reads a file() key of a revision: the revision's copy
// when it tracks the file as a regular file, otherwise the work tree's,
// which lang reads from the site directory under its usual rules. A key
// that is neither is missing, and diff shows it as unresolved.
func revisionSecret(blobs *blobReader, g *gitRepo, tree map[string]treeEntry, ref string) ([]byte, error) {
	rel := path.Clean(filepath.ToSlash(ref))
	if ent, ok := tree[rel]; ok {
		if !ent.regular() {
			return nil, fmt.Errorf("%q is not a regular file in git (mode %s)", ref, ent.mode)
		}
		return blobs.read(ent.oid, g.full(rel), maxRevisionSecret)
	}
	return nil, lang.ErrSecretOnDisk
}

// full is a path of the site directory relative to the work tree's root.
func (g *gitRepo) full(name string) string {
	if g.prefix == "" {
		return name
	}
	return g.prefix + "/" + name
}

// tree lists the files of the site directory in a commit, by path relative
// to the site directory. It is empty when the directory does not exist
// there.
func (g *gitRepo) tree(ctx context.Context, commit string) (map[string]treeEntry, error) {
	name := commit + "^{tree}"
	if g.prefix != "" {
		name = commit + ":" + g.prefix
	}
	id, err := g.object(ctx, name)
	if err != nil || id == "" {
		return map[string]treeEntry{}, err
	}
	typ, err := g.git(ctx, "cat-file", "-t", id)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(string(typ)) != "tree" {
		return map[string]treeEntry{}, nil
	}
	out, err := g.git(ctx, "ls-tree", "-r", "-z", "-l", id)
	if err != nil {
		return nil, err
	}
	entries := map[string]treeEntry{}
	for _, rec := range strings.Split(string(out), "\x00") {
		meta, p, ok := strings.Cut(rec, "\t")
		if !ok {
			continue
		}
		f := strings.Fields(meta) // mode type object size
		if len(f) != 4 {
			continue
		}
		size, _ := strconv.ParseInt(f[3], 10, 64) // "-" for submodules
		entries[p] = treeEntry{mode: f[0], oid: f[2], size: size}
	}
	return entries, nil
}
