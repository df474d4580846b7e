package gitrev

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
)

// Repo is a directory of a git work tree.
type Repo struct {
	top    string // the work tree's root
	prefix string // the directory relative to top, slash-separated, "" at the root
}

// Open finds the work tree that dir belongs to. Its error is git's when
// dir is not in a work tree.
func Open(ctx context.Context, dir string) (*Repo, error) {
	out, err := runGit(ctx, dir, "rev-parse", "--show-toplevel", "--show-prefix")
	if err != nil {
		return nil, err
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) != 2 {
		return nil, fmt.Errorf("unexpected output from git rev-parse: %q", out)
	}
	return &Repo{top: lines[0], prefix: strings.TrimSuffix(lines[1], "/")}, nil
}

// Top is the work tree's root.
func (r *Repo) Top() string { return r.top }

// Path is a name relative to the directory made relative to the work
// tree's root, as git's paths are.
func (r *Repo) Path(name string) string {
	if r.prefix == "" {
		return name
	}
	return r.prefix + "/" + name
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

func (r *Repo) git(ctx context.Context, args ...string) ([]byte, error) {
	return runGit(ctx, r.top, args...)
}

// Resolve returns the id an object name resolves to, or "" when it names
// nothing.
func (r *Repo) Resolve(ctx context.Context, name string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", "rev-parse", "--verify", "--quiet", name)
	cmd.Dir = r.top
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

// ErrNoDefaultBranch: the repository has none of the branches DefaultBase
// looks for.
var ErrNoDefaultBranch = errors.New("cannot tell the default branch (no origin/HEAD, main or master)")

// DefaultBase is the merge base of HEAD and the default branch: the
// remote's HEAD when known, else main or master. The label names it for
// people ("merge base with main").
func (r *Repo) DefaultBase(ctx context.Context) (rev, label string, err error) {
	branch := ""
	if out, err := r.git(ctx, "symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"); err == nil {
		branch = strings.TrimSpace(string(out))
	}
	for _, ref := range []string{"refs/remotes/origin/main", "refs/remotes/origin/master", "refs/heads/main", "refs/heads/master"} {
		if branch != "" {
			break
		}
		id, err := r.Resolve(ctx, ref)
		if err != nil {
			return "", "", err
		}
		if id != "" {
			branch = strings.TrimPrefix(strings.TrimPrefix(ref, "refs/heads/"), "refs/remotes/")
		}
	}
	if branch == "" {
		return "", "", ErrNoDefaultBranch
	}
	out, err := r.git(ctx, "merge-base", "HEAD", branch)
	if err != nil {
		return "", "", fmt.Errorf("merge base of HEAD and %s: %w", branch, err)
	}
	return strings.TrimSpace(string(out)), "merge base with " + branch, nil
}
