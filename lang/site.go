package lang

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"sync/atomic"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// Site is a decoded site directory.
type Site struct {
	Dir     string
	Routers []*Router
	Peers   []*Peer
	Tunnels []*Tunnel // hand-written, then those of the mesh blocks
	Meshes  []*Mesh
	CAs     []*CA // certificate authorities every router trusts

	// Files holds every parsed source file by name, for diagnostics that
	// quote the offending line.
	Files map[string]*hcl.File

	lock    *Lock                 // the lock file the meshes need (LockFile)
	hasLock bool                  // the site has a lock file
	names   atomic.Pointer[names] // Router and Peer's index, built on first use
	verdict verdict               // what Parse and Validate found (Err)
	now     func() time.Time      // Options.Now
}

// Options changes how a site is loaded.
type Options struct {
	// AllowUnresolvedSecrets lets env() and file() references that cannot be
	// resolved pass, as `vtic diff` needs in CI where no secrets exist. Such a
	// secret has Resolved == false and renderers show it as unresolved.
	AllowUnresolvedSecrets bool

	// LookupEnv resolves env(); nil means os.LookupEnv.
	LookupEnv func(string) (string, bool)

	// Sources, when set, replaces reading the site's *.hcl files from disk;
	// `vtic diff` uses it to read a git revision. Secrets given with file()
	// are still read from disk under Dir unless ReadSecret is set.
	Sources map[string][]byte

	// ReadSecret, when set, replaces reading file() keys from disk: it gets
	// the key's path relative to the site directory, already checked to
	// stay inside it, and returns the file's bytes. An error that wraps
	// fs.ErrNotExist reads as a missing file; one that wraps ErrSecretOnDisk
	// has the key read from disk under Dir, as without the hook. `vtic diff`
	// uses it to read keys from git objects without writing them anywhere.
	ReadSecret func(ref string) ([]byte, error)

	// Now, when set, is the clock certificate expiry is judged by;
	// nil means time.Now.
	Now func() time.Time

	// Context, when set, stops a load early once it is done (a signal, a
	// deadline): loading checks it between files, between rules and every
	// few hundred blocks or tunnels. An interrupted load returns what it
	// has with a "Loading interrupted" error.
	Context context.Context

	// Relock loads a site to rewrite its lock file (`vtic lock`): a lock
	// file that is missing or out of date is not an error; Site.LockFile
	// returns the one the site needs.
	Relock bool
}

// interrupted reports the diagnostic of a load whose context is done, or
// nil. A nil context is never done.
func interrupted(ctx context.Context) *hcl.Diagnostic {
	if ctx == nil || ctx.Err() == nil {
		return nil
	}
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Loading interrupted",
		Detail: fmt.Sprintf("The site was not fully checked: %s.", context.Cause(ctx))}
}

// checkEvery is how many blocks or tunnels a loop handles between two
// looks at the context.
const checkEvery = 256

// ErrSecretOnDisk is what Options.ReadSecret returns for a key it does not
// hold: lang reads it from the site directory on disk, under the usual
// rules.
var ErrSecretOnDisk = errors.New("read the secret file from disk")

// maxSourceSize bounds a single site file. A site file is hand-written text;
// anything larger is a mistake (a binary or a log), not configuration.
const maxSourceSize = 2 << 20

// LoadDir reads every *.hcl file directly inside dir, decodes it and checks
// every validation rule. The site is returned even when there are errors so
// that callers can still show what was understood.
func LoadDir(dir string, opts Options) (*Site, hcl.Diagnostics) {
	sources := opts.Sources
	if sources == nil {
		var diags hcl.Diagnostics
		sources, diags = readSources(dir)
		if diags.HasErrors() {
			site := &Site{Dir: dir, Files: map[string]*hcl.File{}}
			site.verdict.decodeErrs = true
			return site, diags
		}
	}
	// The rules run even when decoding found errors: they skip what could
	// not be decoded, and the user sees every problem in one run.
	site, diags := Parse(dir, sources, opts)
	if d := interrupted(opts.Context); d != nil {
		// Said once, whether or not Parse noticed: what was read may
		// have errors already, but they are not all the site's.
		diags = slices.DeleteFunc(diags, func(d *hcl.Diagnostic) bool { return d.Summary == "Loading interrupted" })
		return site, append(diags, d)
	}
	return site, append(diags, validate(opts.Context, site)...)
}

// readSources returns the contents of dir/*.hcl keyed by their path.
func readSources(dir string) (map[string][]byte, hcl.Diagnostics) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot read site directory",
			Detail: fmt.Sprintf("%s. Give the directory that holds the site's *.hcl files.", plainErr(err))}}
	}
	if !st.IsDir() {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Site is not a directory",
			Detail: fmt.Sprintf("%s is a file. A site is a directory of *.hcl files; give its directory.", dir)}}
	}
	names, err := filepath.Glob(filepath.Join(dir, "*.hcl"))
	if err != nil {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot read site directory", Detail: err.Error()}}
	}
	if len(names) == 0 {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "No site files",
			Detail: fmt.Sprintf("The directory %s holds no *.hcl files.", dir)}}
	}
	sources := make(map[string][]byte, len(names))
	var diags hcl.Diagnostics
	for _, name := range names {
		b, d := readSource(name)
		if d != nil {
			diags = append(diags, d)
			continue
		}
		sources[name] = b
	}
	return sources, diags
}

// readSource reads one site file. It must be a regular file directly in
// the site directory: a symbolic link is refused without being followed,
// wherever it points, so that a pull request cannot make vtic print a file
// of the machine (its lines would be quoted in diagnostics), nor a key file
// of the site parsed as HCL. The name, never the content, is reported.
func readSource(name string) ([]byte, *hcl.Diagnostic) {
	st, err := os.Lstat(name)
	if err != nil {
		return nil, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Cannot read site file", Detail: plainErr(err) + "."}
	}
	if st.Mode()&fs.ModeSymlink != 0 {
		return nil, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Site file is a symbolic link",
			Detail: fmt.Sprintf("%s is a symbolic link; site files must be regular files in the site directory. Replace the link with the file itself.", name)}
	}
	// A FIFO or a device would block the read forever or never end.
	if !st.Mode().IsRegular() {
		return nil, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Cannot read site file",
			Detail: fmt.Sprintf("%s is not a regular file.", name)}
	}
	if st.Size() > maxSourceSize {
		return nil, tooLarge(name, st.Size())
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Cannot read site file", Detail: plainErr(err) + "."}
	}
	defer f.Close()
	// The file must still be the one looked at: not swapped for a link
	// between the two calls.
	if st2, err := f.Stat(); err != nil || !os.SameFile(st, st2) {
		return nil, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Cannot read site file",
			Detail: fmt.Sprintf("%s changed while it was read.", name)}
	}
	buf := bytes.NewBuffer(make([]byte, 0, st.Size()+1))
	if _, err := buf.ReadFrom(io.LimitReader(f, maxSourceSize+1)); err != nil {
		return nil, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Cannot read site file", Detail: plainErr(err) + "."}
	}
	if buf.Len() > maxSourceSize {
		return nil, tooLarge(name, int64(buf.Len()))
	}
	return buf.Bytes(), nil
}

func tooLarge(name string, size int64) *hcl.Diagnostic {
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Site file too large",
		Detail: fmt.Sprintf("%s is %d bytes; site files are limited to %d bytes. Split the site into several files.", name, size, maxSourceSize)}
}

// plainErr renders an OS error without Go's "open " prefix noise.
func plainErr(err error) string {
	if pe, ok := err.(*os.PathError); ok {
		return fmt.Sprintf("%s: %s", pe.Path, pe.Err)
	}
	return err.Error()
}

// Parse decodes the given sources (file name → bytes) without running the
// validation rules that span blocks; LoadDir runs both.
func Parse(dir string, sources map[string][]byte, opts Options) (*Site, hcl.Diagnostics) {
	site := &Site{Dir: dir, Files: make(map[string]*hcl.File, len(sources)), now: opts.Now}
	names := make([]string, 0, len(sources))
	for name := range sources {
		names = append(names, name)
	}
	sort.Strings(names)

	var diags hcl.Diagnostics
	d := &decoder{files: site.Files, opts: opts, dir: dir}
	ctx := opts.Context
	if ctx == nil {
		ctx = context.Background()
	}
	parsed := parseAll(ctx, names, sources)
	var lockFile *hcl.File
	for i, name := range names {
		p := parsed[i].wait(ctx)
		if p == nil {
			return site, append(diags, interrupted(ctx))
		}
		if p.binary {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Binary site file",
				Detail: fmt.Sprintf("%s contains NUL bytes; site files are HCL text.", name)})
			continue
		}
		f, ds := p.file, p.diags
		diags = append(diags, ds...)
		if f == nil {
			continue
		}
		site.Files[name] = f
		if ds.HasErrors() {
			continue
		}
		if isLockFile(name) {
			lockFile = f
			continue
		}
		diags = append(diags, d.decodeFile(site, f)...)
	}
	var lock *Lock
	for name := range sources {
		if isLockFile(name) {
			site.hasLock = true
		}
	}
	if lockFile != nil {
		var ds hcl.Diagnostics
		lock, ds = d.decodeLock(lockFile)
		diags = append(diags, ds...)
		// An entry with an error is left out; saying that its tunnel is
		// not pinned would only repeat the error.
		d.opts.Relock = d.opts.Relock || ds.HasErrors()
	} else if site.hasLock {
		// It did not parse: its entries are unknown, and its own errors
		// say so; nothing more to report about it.
		lock = &Lock{}
		d.opts.Relock = true
	}
	diags = append(diags, d.expandMeshes(site, lock)...)
	site.verdict.decoded, site.verdict.decodeErrs = true, diags.HasErrors()
	return site, diags
}

// parsedFile is the syntax of one source file, ready once done is closed.
type parsedFile struct {
	done   chan struct{}
	binary bool // holds NUL bytes: not parsed
	file   *hcl.File
	diags  hcl.Diagnostics
	panic  any // a panic of the parser, raised again in the caller
}

// wait returns the parsed file, or nil when ctx is done first.
func (p *parsedFile) wait(ctx context.Context) *parsedFile {
	select {
	case <-p.done:
	case <-ctx.Done():
		return nil
	}
	if p.panic != nil {
		panic(p.panic)
	}
	return p
}

// parseAll parses the named sources concurrently, at most GOMAXPROCS at a
// time, in name order. Parsing is most of the time it takes to load a large
// site, and files parse independently; decoding stays on the caller's
// goroutine, in name order, and overlaps with parsing the files after.
// Once ctx is done no more parses start; one under way runs to its end
// (HCL's parser cannot be stopped) on a goroutine nobody waits for.
func parseAll(ctx context.Context, names []string, sources map[string][]byte) []parsedFile {
	out := make([]parsedFile, len(names))
	for i := range out {
		out[i].done = make(chan struct{})
	}
	slots := make(chan struct{}, runtime.GOMAXPROCS(0))
	go func() {
		for i, name := range names {
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return
			}
			go func(p *parsedFile, name string, src []byte) {
				defer func() {
					p.panic = recover()
					close(p.done)
					<-slots
				}()
				if bytes.IndexByte(src, 0) >= 0 {
					p.binary = true
					return
				}
				// Too deep a file would overflow the parser's stack, which
				// no recover can catch.
				if d := checkNesting(name, src); d != nil {
					p.diags = hcl.Diagnostics{d}
					return
				}
				p.file, p.diags = hclsyntax.ParseConfig(src, name, hcl.InitialPos)
				redactKeys(p.file, !p.diags.HasErrors())
			}(&out[i], name, sources[name])
		}
	}()
	return out
}

var fileSchema = &hcl.BodySchema{
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "router", LabelNames: []string{"name"}},
		{Type: "peer", LabelNames: []string{"name"}},
		{Type: "tunnel", LabelNames: []string{"name"}},
		{Type: "ca", LabelNames: []string{"name"}},
		{Type: "mesh", LabelNames: []string{"name"}},
	},
}

func (d *decoder) decodeFile(site *Site, f *hcl.File) hcl.Diagnostics {
	content, diags := f.Body.Content(fileSchema)
	for i, b := range content.Blocks {
		if i%checkEvery == checkEvery-1 {
			if d := interrupted(d.opts.Context); d != nil {
				return append(diags, d)
			}
		}
		switch b.Type {
		case "router":
			r, ds := d.decodeRouter(b)
			diags = append(diags, ds...)
			site.Routers = append(site.Routers, r)
		case "peer":
			p, ds := d.decodePeer(b)
			diags = append(diags, ds...)
			site.Peers = append(site.Peers, p)
		case "tunnel":
			t, ds := d.decodeTunnel(b)
			diags = append(diags, ds...)
			site.Tunnels = append(site.Tunnels, t)
		case "ca":
			ca, ds := d.decodeCA(b)
			diags = append(diags, ds...)
			site.CAs = append(site.CAs, ca)
		case "mesh":
			m, ds := d.decodeMesh(b)
			diags = append(diags, ds...)
			site.Meshes = append(site.Meshes, m)
		}
	}
	return diags
}

// LockFile returns the lock file the site's mesh blocks need, in its
// canonical form, and whether the site needs one at all (it has mesh blocks
// or a lock file). `vtic lock` writes it.
func (s *Site) LockFile() ([]byte, bool) {
	if s.lock == nil {
		return nil, false
	}
	return s.lock.Render(), true
}
