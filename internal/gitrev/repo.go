package gitrev

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"slices"
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

// guard goes before every git command gitrev runs. A pull request
// controls the files of the work tree, so nothing the repository's
// configuration may ask git to execute should follow from them:
//
//   - safe.bareRepository=explicit: a directory laid out as a bare
//     repository (HEAD, objects/, refs/, config), which a pull request can
//     commit into the site directory, is not taken for the repository, so
//     its configuration is not read. Only configuration of the user, the
//     system or the command line can set this, hence -c.
//   - core.fsmonitor=false: no fsmonitor hook, should a command read the
//     index (none of those below does today).
//   - --no-pager: no pager.<command>, should output ever be a terminal.
//
// Blob filters are a matter of cat-file's --filters (see OpenBlobs);
// textconv and external diff drivers run only for cat-file --textconv and
// the diff porcelain, which gitrev does not use.
var guard = []string{"--no-pager", "-c", "safe.bareRepository=explicit", "-c", "core.fsmonitor=false"}

// command is a git command with the guard, run in dir.
func command(ctx context.Context, dir string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, "git", append(slices.Clip(guard), args...)...)
	cmd.Dir = dir
	return cmd
}

func runGit(ctx context.Context, dir string, args ...string) ([]byte, error) {
	cmd := command(ctx, dir, args...)
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
// nothing. The name is never taken for an option, whatever it starts with.
func (r *Repo) Resolve(ctx context.Context, name string) (string, error) {
	cmd := command(ctx, r.top, "rev-parse", "--verify", "--quiet", "--end-of-options", name)
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
	// The branch is used by its full name (refs/...), which git cannot
	// mistake for an option or for another ref; its short name is only
	// for the label.
	ref := ""
	if out, err := r.git(ctx, "symbolic-ref", "--quiet", "refs/remotes/origin/HEAD"); err == nil {
		ref = strings.TrimSpace(string(out))
	}
	for _, name := range []string{"refs/remotes/origin/main", "refs/remotes/origin/master", "refs/heads/main", "refs/heads/master"} {
		if ref != "" {
			break
		}
		id, err := r.Resolve(ctx, name)
		if err != nil {
			return "", "", err
		}
		if id != "" {
			ref = name
		}
	}
	if ref == "" {
		return "", "", ErrNoDefaultBranch
	}
	branch := strings.TrimPrefix(strings.TrimPrefix(ref, "refs/heads/"), "refs/remotes/")
	out, err := r.git(ctx, "merge-base", "--end-of-options", "HEAD", ref)
	if err != nil {
		return "", "", fmt.Errorf("merge base of HEAD and %s: %w", branch, err)
	}
	return strings.TrimSpace(string(out)), "merge base with " + branch, nil
}
