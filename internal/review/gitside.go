package review

import (
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"

	"github.com/vtic/vtic/compile"
	"github.com/vtic/vtic/internal/gitrev"
	"github.com/vtic/vtic/lang"
)

// loadOptions loads a side without the secrets CI does not have.
var loadOptions = lang.Options{AllowUnresolvedSecrets: true}

// SiteError is a side whose site has errors. It holds only the errors
// (warnings are left to vtic validate), for the caller to print with the
// files they point into.
type SiteError struct {
	Role  string // "base" or "head"
	Label string // the revision as people know it, or "work tree"
	Files map[string]*hcl.File
	Diags hcl.Diagnostics
}

func (e *SiteError) Error() string {
	return fmt.Sprintf("errors in the %s (%s)", e.Role, e.Label)
}

// GitOptions are choices about how git is run for FromGit.
type GitOptions struct {
	// Filters reads blobs through the filters .gitattributes selects
	// (git-lfs, git-crypt, line endings), as a checkout would. It runs
	// the commands the configuration gives those filters, chosen by the
	// work tree's attributes, which a pull request writes; off, blobs are
	// read as stored.
	Filters bool
}

// FromGit renders the base and the head of the site in dir, a directory in
// a git work tree. The base is the revision base, or when it is "" the
// merge base of HEAD and the default branch (gitrev.ErrNoDefaultBranch when
// there is none); the head is the revision head, or when it is "" the work
// tree. The two sides are rendered at the same time; when both fail, the
// base's error is returned.
func FromGit(ctx context.Context, dir, base, head string, opts GitOptions) (old, new Side, err error) {
	st, err := os.Stat(dir)
	if err != nil {
		return old, new, fmt.Errorf("site directory %s: %w", dir, err)
	}
	if !st.IsDir() {
		return old, new, fmt.Errorf("site directory %s is not a directory", dir)
	}
	repo, err := gitrev.Open(ctx, dir)
	if err != nil {
		return old, new, fmt.Errorf("site directory %s is not in a git work tree (use --dirs to compare two build directories): %w", dir, err)
	}
	label := base
	if base == "" {
		if base, label, err = repo.DefaultBase(ctx); err != nil {
			return old, new, err
		}
	}
	var (
		wg     sync.WaitGroup
		oldErr error
		newErr error
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		old, oldErr = fromRevision(ctx, repo, opts, "base", dir, base, label)
	}()
	if head != "" {
		new, newErr = fromRevision(ctx, repo, opts, "head", dir, head, head)
	} else {
		new, newErr = FromWorkTree(ctx, dir)
	}
	wg.Wait()
	if oldErr != nil {
		return old, new, oldErr
	}
	return old, new, newErr
}

// FromWorkTree renders the site in dir as it is on disk, as the head.
// Loading stops when ctx is done.
func FromWorkTree(ctx context.Context, dir string) (Side, error) {
	lo := loadOptions
	lo.Context = ctx
	site, diags := lang.LoadDir(dir, lo)
	return fromSite("head", "work tree", site, diags)
}

// fromSite compiles and renders a loaded site.
func fromSite(role, label string, site *lang.Site, diags hcl.Diagnostics) (Side, error) {
	if diags.HasErrors() {
		var only hcl.Diagnostics
		for _, d := range diags {
			if d.Severity == hcl.DiagError {
				only = append(only, d)
			}
		}
		return Side{}, &SiteError{Role: role, Label: label, Files: site.Files, Diags: only}
	}
	plan, err := compile.Compile(site)
	if err != nil {
		return Side{}, fmt.Errorf("compile the %s (%s): %w", role, label, err)
	}
	side, err := FromPlan(label, plan)
	if err != nil {
		return Side{}, fmt.Errorf("render the %s (%s): %w", role, label, err)
	}
	return side, nil
}

// maxRevisionSecret bounds a secret file read from git; lang refuses
// anything near this size anyway.
const maxRevisionSecret = 1 << 20

// maxRevisionSource is lang's limit for a site file.
const maxRevisionSource = lang.MaxSourceSize

// fromRevision renders the site as it is in a revision, from git objects.
// The site's files get the names they have in the work tree (dir/x.hcl),
// so diagnostics point at the files the user knows. Every blob comes
// through one git cat-file process, and nothing is written to disk: file()
// keys are read from the revision when it tracks them, else from the work
// tree (see revisionSecret).
func fromRevision(ctx context.Context, repo *gitrev.Repo, opts GitOptions, role, dir, rev, label string) (Side, error) {
	commit, err := repo.Resolve(ctx, rev+"^{commit}")
	if err != nil {
		return Side{}, err
	}
	if commit == "" {
		return Side{}, fmt.Errorf("unknown revision %q", rev)
	}
	tree, err := repo.Tree(ctx, commit)
	if err != nil {
		return Side{}, fmt.Errorf("read %s at %s: %w", dir, label, err)
	}
	var names []string
	for name, ent := range tree {
		if strings.Contains(name, "/") || !strings.HasSuffix(name, ".hcl") {
			continue
		}
		if !ent.Regular() {
			return Side{}, fmt.Errorf("site file %s at %s is not a regular file in git (mode %s); vtic diff cannot read it", filepath.Join(dir, name), label, ent.Mode)
		}
		if ent.Size > maxRevisionSource {
			return Side{}, fmt.Errorf("site file %s at %s is %d bytes; site files are limited to %d bytes", filepath.Join(dir, name), label, ent.Size, maxRevisionSource)
		}
		names = append(names, name)
	}
	if len(names) == 0 {
		// The site is not there yet (or no longer): no routers.
		return Side{Label: label, HasPlan: true}, nil
	}
	blobs, err := repo.OpenBlobs(ctx, opts.Filters)
	if err != nil {
		return Side{}, err
	}
	defer blobs.Close()
	sort.Strings(names)
	sources := make(map[string][]byte, len(names))
	for _, name := range names {
		b, err := blobs.Read(tree[name].OID, repo.Path(name), maxRevisionSource)
		if err != nil {
			return Side{}, fmt.Errorf("read %s at %s: %w", filepath.Join(dir, name), label, err)
		}
		sources[filepath.Join(dir, filepath.FromSlash(name))] = b
	}
	lo := loadOptions
	lo.Sources = sources
	lo.Context = ctx
	lo.ReadSecret = func(ref string) ([]byte, error) { return revisionSecret(blobs, repo, tree, ref) }
	site, diags := lang.LoadDir(dir, lo)
	return fromSite(role, label, site, diags)
}

// revisionSecret reads a file() key of a revision: the revision's copy
// when it tracks the file as a regular file, otherwise the work tree's,
// which lang reads from the site directory under its usual rules. A key
// that is neither is missing, and diff shows it as unresolved.
func revisionSecret(blobs *gitrev.Blobs, repo *gitrev.Repo, tree map[string]gitrev.Entry, ref string) ([]byte, error) {
	rel := path.Clean(filepath.ToSlash(ref))
	if ent, ok := tree[rel]; ok {
		if !ent.Regular() {
			return nil, fmt.Errorf("%q is not a regular file in git (mode %s)", ref, ent.Mode)
		}
		return blobs.Read(ent.OID, repo.Path(rel), maxRevisionSecret)
	}
	return nil, lang.ErrSecretOnDisk
}
