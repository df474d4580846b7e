package main

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"

	"github.com/vtic/vtic/internal/awsimport"
	"github.com/vtic/vtic/lang"
)

func init() {
	register(command{name: "import", summary: "turn a cloud provider's VPN configuration into site HCL", run: runImport})
}

func runImport(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || (args[0] != "aws" && !strings.HasPrefix(args[0], "-")) {
		if len(args) > 0 {
			return usagef("unknown provider %q: vtic import aws FILE --router NAME", args[0])
		}
		return usagef("vtic import aws FILE --router NAME [--site DIR]")
	}
	if args[0] != "aws" {
		return usagef("vtic import aws FILE --router NAME [--site DIR]")
	}
	fs := newFlags(e, "import aws", "FILE --router NAME [--site DIR] [--interfaces vti1,vti2] [--name PREFIX] [--force]")
	router := fs.String("router", "", "the router the tunnels end on (required)")
	site := fs.String("site", ".", "the site directory to write into")
	ifaces := fs.String("interfaces", "", "comma-separated VTI names, one per tunnel (default vti1, vti2, …)")
	prefix := fs.String("name", "", "name prefix for peers and tunnels (default: the VPN connection ID)")
	force := fs.Bool("force", false, "replace key files that hold a different key")
	pos, err := parse(fs, args[1:], 1)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("missing FILE, the AWS VPN configuration (Generic) to import")
	}
	if *router == "" {
		return usagef("missing --router NAME")
	}
	src, err := readImportFile(pos[0])
	if err != nil {
		return err
	}
	cfg, err := awsimport.Parse(filepath.Base(pos[0]), src)
	if err != nil {
		return importErrors(e, err)
	}

	// The router must exist; its outside address and AS number are checked
	// against what AWS recorded for the customer gateway.
	sources, err := siteSources(*site)
	if err != nil {
		return err
	}
	existing, _ := lang.Parse(*site, sources, lang.Options{AllowUnresolvedSecrets: true})
	r := existing.Router(*router)
	if r == nil {
		return fmt.Errorf("no router named %q in %s; declare it first (router %q { outside = \"…\" })", *router, *site, *router)
	}
	opts := awsimport.Options{Router: *router, NamePrefix: *prefix, ExpectOutside: r.Outside.Addr, ExpectASN: uint32(r.ASN.Value)}
	if !r.Outside.Addr.IsValid() {
		opts.ExpectOutside = netip.Addr{}
	}
	if *ifaces != "" {
		opts.Interfaces = strings.Split(*ifaces, ",")
	}
	res, err := awsimport.Generate(cfg, opts)
	if err != nil {
		return importErrors(e, err)
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(e.stderr, "Warning: %s\n", w)
	}

	// Validate the site as it will be before writing anything. The new key
	// files are not on disk yet, so their references may stay unresolved;
	// the importer has checked the keys themselves.
	name := importFileName(res)
	sources[filepath.Join(*site, name)] = res.HCL
	after, diags := lang.LoadDir(*site, lang.Options{Sources: sources, AllowUnresolvedSecrets: true})
	if diags.HasErrors() {
		sortDiags(diags)
		_ = printDiags(e.stderr, "text", after.Files, diags)
		return fmt.Errorf("the imported tunnels would make the site invalid; nothing was written")
	}
	written, err := awsimport.WriteSite(*site, name, res, awsimport.WriteOptions{Force: *force})
	for _, w := range written {
		fmt.Fprintf(e.stdout, "%-9s %s\n", w.Status, filepath.Join(*site, w.Path))
	}
	if err != nil {
		return err
	}
	return nil
}

// importErrors prints each problem the importer found on its own line.
func importErrors(e *env, err error) error {
	list := awsimport.Errors(err)
	if len(list) == 0 {
		return err
	}
	for _, p := range list {
		fmt.Fprintf(e.stderr, "Error: %s\n", p)
	}
	return errReported
}

// siteSources reads the site's *.hcl files; a site may still be empty.
func siteSources(dir string) (map[string][]byte, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("site %s: %w", dir, err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("site %s is not a directory", dir)
	}
	names, _ := filepath.Glob(filepath.Join(dir, "*.hcl"))
	out := map[string][]byte{}
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", n, err)
		}
		out[n] = b
	}
	if len(out) == 0 {
		return nil, errors.New("the site " + dir + " has no *.hcl files; declare the router first")
	}
	return out, nil
}

// importFileName names the generated file after the VPN: the tunnels are
// PREFIX-tN, so the file is aws-PREFIX.hcl.
func importFileName(res *awsimport.Result) string {
	base := "imported"
	if len(res.Names) > 0 {
		base = res.Names[0]
		if i := strings.LastIndex(base, "-t"); i > 0 {
			base = base[:i]
		}
	}
	return "aws-" + base + ".hcl"
}

// maxImportSize bounds the configuration file: AWS's download is about
// 10 KB, so anything near this is not one.
const maxImportSize = 1 << 20

// readImportFile reads a regular file of reasonable size; a FIFO or a
// device would block or never end.
func readImportFile(path string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("read %s: not a regular file", path)
	}
	if st.Size() > maxImportSize {
		return nil, fmt.Errorf("read %s: %d bytes is too large for a VPN configuration (at most %d)", path, st.Size(), maxImportSize)
	}
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return src, nil
}
