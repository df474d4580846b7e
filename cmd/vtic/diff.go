package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"golang.org/x/term"

	"github.com/vtic/vtic/compile"
	"github.com/vtic/vtic/internal/review"
	"github.com/vtic/vtic/lang"
)

func init() {
	register(command{name: "diff", summary: "show what a change does to every router's files", run: runDiff})
}

const diffSynopsis = `[DIR] [--base REF] [--head REF] [--format text|markdown|json]
       vtic diff --dirs OLD_OUT NEW_OUT [--format text|markdown|json]

Compares the rendered files of two states of a site. DIR (default .) is a
site directory in a git work tree; the base is --base REF (default: the merge
base of HEAD and the default branch) and the head is the work tree, or --head
REF. Revisions are read from git objects; nothing is checked out. Pre-shared
keys given with file() are read from the revision when it tracks the file,
otherwise from the work tree; keys that cannot be read are shown as
unresolved and compared by their reference. With --dirs, two directories
written by vtic build are compared instead.

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
		if *base != "" || *head != "" {
			return false, usagef("--dirs compares build directories; --base and --head do not apply")
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
		if old, new, err = gitSides(ctx, e, dir, *base, *head); err != nil {
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
func gitSides(ctx context.Context, e *env, dir, base, head string) (old, new review.Side, err error) {
	for _, rev := range []string{base, head} {
		if strings.HasPrefix(rev, "-") {
			// Not a revision, and git would take it for an option.
			return old, new, usagef("invalid revision %q", rev)
		}
	}
	repo, err := openRepo(ctx, dir)
	if err != nil {
		return old, new, err
	}
	label := base
	if base == "" {
		if base, label, err = repo.defaultBase(ctx); err != nil {
			return old, new, err
		}
	}
	// Both revisions are in memory at once; the work tree's size stands
	// for each.
	tuneGC(2 * siteSize(dir))
	// The two sides are independent: load, compile and render them at the
	// same time. Each side's errors go to its own buffer and are printed
	// base first, as if the sides had been done one after the other.
	var (
		wg             sync.WaitGroup
		oldErr, newErr error
		oldOut, newOut bytes.Buffer
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		old, oldErr = repo.revisionSide(ctx, e.withStderr(&oldOut), "base", dir, base, label)
	}()
	if head != "" {
		new, newErr = repo.revisionSide(ctx, e.withStderr(&newOut), "head", dir, head, head)
	} else {
		new, newErr = workTreeSide(ctx, e.withStderr(&newOut), dir)
	}
	wg.Wait()
	e.stderr.Write(oldOut.Bytes())
	if oldErr != nil {
		return old, new, oldErr
	}
	e.stderr.Write(newOut.Bytes())
	return old, new, newErr
}

// diffOptions loads a side without the secrets CI does not have.
var diffOptions = lang.Options{AllowUnresolvedSecrets: true}

func workTreeSide(ctx context.Context, e *env, dir string) (review.Side, error) {
	const label = "work tree"
	opts := diffOptions
	opts.Context = ctx
	site, diags := lang.LoadDir(dir, opts)
	return sideOf(e, "head", label, site, diags)
}

// sideOf compiles and renders a loaded site. Errors are printed with the
// side's role (base or head) and label; warnings are left to vtic validate.
func sideOf(e *env, role, label string, site *lang.Site, diags hcl.Diagnostics) (review.Side, error) {
	if diags.HasErrors() {
		var only hcl.Diagnostics
		for _, d := range diags {
			if d.Severity == hcl.DiagError {
				only = append(only, d)
			}
		}
		sortDiags(only)
		fmt.Fprintf(e.stderr, "vtic diff: errors in the %s (%s):\n", role, label)
		if err := printDiags(e.stderr, "text", site.Files, only); err != nil {
			return review.Side{}, err
		}
		return review.Side{}, errReported
	}
	plan, err := compile.Compile(site, diags)
	if err != nil {
		return review.Side{}, fmt.Errorf("compile the %s (%s): %w", role, label, err)
	}
	side, err := review.FromPlan(label, plan)
	if err != nil {
		return review.Side{}, fmt.Errorf("render the %s (%s): %w", role, label, err)
	}
	return side, nil
}

// colorOK reports whether text output may use colour: only on a terminal,
// and never when NO_COLOR is set (https://no-color.org).
func colorOK(e *env, w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd())) && e.getenv("NO_COLOR") == ""
}
