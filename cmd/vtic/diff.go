package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/vtic/vtic/internal/gitrev"
	"github.com/vtic/vtic/internal/review"
)

func init() {
	register(command{name: "diff", summary: "show what a change does to every router's files", run: runDiff})
}

const diffSynopsis = `[DIR] [--base REF] [--head REF] [--git-filters] [--format text|markdown|json]
       vtic diff --dirs OLD_OUT NEW_OUT [--format text|markdown|json]

Compares the rendered files of two states of a site. DIR (default .) is a
site directory in a git work tree; the base is --base REF (default: the merge
base of HEAD and the default branch) and the head is the work tree, or --head
REF. Revisions are read from git objects; nothing is checked out. Pre-shared
keys given with file() are read from the revision when it tracks the file,
otherwise from the work tree; keys that cannot be read are shown as
unresolved and compared by their reference. Blobs are read as stored:
git's filters (git-lfs, git-crypt, line endings) run only with
--git-filters, which runs whatever commands the repository's configuration
gives the filters that the work tree's .gitattributes select; do not use it
on an untrusted pull request. With --dirs, two directories written by vtic
build are compared instead, tunnels included when both hold plans (a build
by an older vtic has none: its tunnels are unknown).

Exit status: 0 no changes, 2 changes, 1 error (bad usage included).`

// runDiff maps the outcome to exit codes like terraform plan
// -detailed-exitcode: 0 no changes, 2 changes, 1 anything else. Bad usage
// exits 1 too, not 2 as in the other commands, so that a script cannot
// mistake a typo for "there are changes".
func runDiff(ctx context.Context, e *env, args []string) error {
	changed, err := diff(ctx, e, args)
	var ue *usageError
	switch {
	case errors.As(err, &ue):
		return &exitError{code: 1, err: fmt.Errorf("%s\nRun 'vtic diff -h' for usage.", ue.msg)}
	case err != nil:
		return err
	case changed:
		return &exitError{code: 2}
	}
	return nil
}

func diff(ctx context.Context, e *env, args []string) (bool, error) {
	fs := newFlags(e, "diff", diffSynopsis)
	base := fs.String("base", "", "base revision (default: the merge base of HEAD and the default branch)")
	head := fs.String("head", "", "head revision (default: the work tree)")
	filters := fs.Bool("git-filters", false, "read blobs through git's filters (runs configured filter commands; not for untrusted pull requests)")
	dirs := fs.Bool("dirs", false, "compare two build directories OLD_OUT NEW_OUT instead of git revisions")
	format := fs.String("format", "text", "report format: text, markdown or json")
	pos, err := parse(fs, args, 2)
	if err != nil {
		return false, err
	}
	switch *format {
	case "text", "markdown", "json":
	default:
		return false, usagef("unknown format %q (text, markdown or json)", *format)
	}
	var old, new review.Side
	if *dirs {
		if *base != "" || *head != "" || *filters {
			return false, usagef("--dirs compares build directories; --base, --head and --git-filters do not apply")
		}
		if len(pos) != 2 {
			return false, usagef("--dirs needs two build directories, OLD_OUT and NEW_OUT")
		}
		if old, err = review.ReadBuildDir(pos[0]); err != nil {
			return false, err
		}
		if new, err = review.ReadBuildDir(pos[1]); err != nil {
			return false, err
		}
	} else {
		if len(pos) > 1 {
			return false, usagef("unexpected argument %q (to compare build directories, use --dirs)", pos[1])
		}
		dir := "."
		if len(pos) == 1 {
			dir = pos[0]
		}
		if old, new, err = gitSides(ctx, e, dir, *base, *head, review.GitOptions{Filters: *filters}); err != nil {
			return false, err
		}
	}
	report := review.Compare(old, new)
	switch *format {
	case "markdown":
		err = review.WriteMarkdown(e.stdout, report)
	case "json":
		err = review.WriteJSON(e.stdout, report)
	default:
		err = review.WriteText(e.stdout, report, colorOK(e, e.stdout))
	}
	if err != nil {
		return false, fmt.Errorf("write report: %w", err)
	}
	return report.Changed(), nil
}

// gitSides renders the base and the head of a site in a git work tree.
func gitSides(ctx context.Context, e *env, dir, base, head string, opts review.GitOptions) (old, new review.Side, err error) {
	for _, rev := range []string{base, head} {
		if strings.HasPrefix(rev, "-") {
			// Git would not take it for an option (gitrev puts
			// --end-of-options before it), but it is most likely a
			// flag given without its value.
			return old, new, usagef("invalid revision %q", rev)
		}
	}
	// Both revisions are in memory at once; the work tree's size stands
	// for each.
	tuneGC(2 * siteSize(dir))
	old, new, err = review.FromGit(ctx, dir, base, head, opts)
	var se *review.SiteError
	switch {
	case errors.Is(err, gitrev.ErrNoDefaultBranch):
		return old, new, usagef("%v; give --base REF", err)
	case errors.As(err, &se):
		// Warnings are left to vtic validate.
		sortDiags(se.Diags)
		fmt.Fprintf(e.stderr, "vtic diff: %v:\n", se)
		if err := printDiags(e.stderr, "text", se.Files, se.Diags); err != nil {
			return old, new, err
		}
		return old, new, errReported
	}
	return old, new, err
}

// colorOK reports whether text output may use colour: only on a terminal,
// and never when NO_COLOR is set (https://no-color.org).
func colorOK(e *env, w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd())) && e.getenv("NO_COLOR") == ""
}
