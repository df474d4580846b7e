package awsimport

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/hashicorp/hcl/v2"
	"github.com/vtic/vtic/lang"
)

// ImportOptions is one import of an AWS configuration into a site.
type ImportOptions struct {
	File    string // the AWS VPN configuration (vendor "Generic") to read
	SiteDir string // the site directory to write into

	// Router, Interfaces, NamePrefix and SecretsDir are as in Options.
	Router     string
	Interfaces []string
	NamePrefix string
	SecretsDir string

	// Force replaces key files that hold a different key; see WriteOptions.
	Force bool
}

// Imported is what Import did, and what a caller needs to show its
// diagnostics.
type Imported struct {
	// Files holds the text every diagnostic's range points into, by file
	// name: the AWS configuration, with its keys replaced by asterisks,
	// and the site's files with the generated one.
	Files map[string]*hcl.File
	// SiteFile is the generated HCL file, relative to the site directory;
	// empty when the import stopped before generating it.
	SiteFile string
	// Written lists what happened to each file, in the order written.
	Written []WrittenFile
}

// maxConfigSize bounds the configuration file: AWS's download is about
// 10 KB, so anything near this is not one.
const maxConfigSize = 1 << 20

// Import reads the AWS configuration opts.File and the site in
// opts.SiteDir, generates the HCL file and key files for the router
// opts.Router, validates the whole site as it will be with them, and only
// then writes them (see WriteSite). The router's outside address and AS
// number are checked against what AWS recorded for the customer gateway.
//
// The diagnostics point into the AWS text or the site's files, all in
// Imported.Files; they may hold warnings even when the import succeeds.
// The error is nil only when the import was written: it is a plain error
// for what diagnostics cannot describe (an unreadable file, an unknown
// router, a key that differs on disk), or says that nothing was written
// because of the errors among the diagnostics.
func Import(ctx context.Context, opts ImportOptions) (*Imported, hcl.Diagnostics, error) {
	out := &Imported{Files: map[string]*hcl.File{}}
	src, err := readConfigFile(opts.File)
	if err != nil {
		return out, nil, err
	}
	cfg, diags := Parse(opts.File, src)
	out.Files[opts.File] = cfg.File
	if diags.HasErrors() {
		return out, diags, errors.New("the AWS configuration has errors; nothing was written")
	}

	sources, ds := lang.ReadSources(opts.SiteDir)
	diags = append(diags, ds...)
	if ds.HasErrors() {
		return out, diags, fmt.Errorf("cannot read the site %s; nothing was written", opts.SiteDir)
	}
	existing, _ := lang.Parse(opts.SiteDir, sources, lang.Options{AllowUnresolvedSecrets: true})
	r := existing.Router(opts.Router)
	if r == nil {
		return out, diags, fmt.Errorf("no router named %q in %s; declare it first (router %q { outside = \"…\" })", opts.Router, opts.SiteDir, opts.Router)
	}
	gen := Options{Router: opts.Router, Interfaces: opts.Interfaces, NamePrefix: opts.NamePrefix, SecretsDir: opts.SecretsDir, Site: existing}
	if r.Outside.Addr.IsValid() {
		gen.ExpectOutside = r.Outside.Addr
	}
	if r.ASN.Set && r.ASN.Value <= 1<<32-1 {
		gen.ExpectASN = uint32(r.ASN.Value)
	}
	res, ds := Generate(cfg, gen)
	diags = append(diags, ds...)
	if ds.HasErrors() {
		return out, diags, errors.New("the AWS configuration does not fit the site; nothing was written")
	}
	out.SiteFile = res.FileName

	// Validate the site as it will be before writing anything. The new
	// keys are not on disk yet: lang reads them from the result, so its
	// key rules see them too. Keys of the existing site may stay
	// unresolved (an env() key, say), as in vtic diff.
	sources[filepath.Join(opts.SiteDir, res.FileName)] = res.HCL
	after, ds := lang.LoadDir(opts.SiteDir, lang.Options{
		Sources:                sources,
		AllowUnresolvedSecrets: true,
		ReadSecret: func(ref string) ([]byte, error) {
			if key, ok := res.Secrets[filepath.ToSlash(ref)]; ok {
				return key, nil
			}
			return nil, lang.ErrSecretOnDisk
		},
	})
	for name, f := range after.Files {
		out.Files[name] = f
	}
	if ds.HasErrors() {
		sortDiags(ds)
		return out, append(diags, ds...), errors.New("the imported tunnels would make the site invalid; nothing was written")
	}

	if err := ctx.Err(); err != nil {
		return out, diags, fmt.Errorf("import %s: %w", opts.File, err)
	}
	out.Written, err = WriteSite(opts.SiteDir, res.FileName, res, WriteOptions{Force: opts.Force})
	return out, diags, err
}

// readConfigFile reads a regular file of reasonable size; a FIFO or a
// device would block or never end.
func readConfigFile(path string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("read %s: not a regular file", path)
	}
	if st.Size() > maxConfigSize {
		return nil, fmt.Errorf("read %s: %d bytes is too large for a VPN configuration (at most %d)", path, st.Size(), maxConfigSize)
	}
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return src, nil
}
