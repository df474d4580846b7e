package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/vtic/vtic/internal/awsimport"
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
	ifaces := fs.String("interfaces", "", "comma-separated VTI names, one per tunnel (default: the first vtiN free on the router, name and derived mark)")
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
	opts := awsimport.ImportOptions{File: pos[0], SiteDir: *site, Router: *router, NamePrefix: *prefix, Force: *force}
	if *ifaces != "" {
		opts.Interfaces = strings.Split(*ifaces, ",")
	}
	res, diags, err := awsimport.Import(ctx, opts)
	if len(diags) > 0 {
		if perr := printDiags(e.stderr, "text", res.Files, diags); perr != nil {
			return perr
		}
	}
	for _, w := range res.Written {
		fmt.Fprintf(e.stdout, "%-9s %s\n", w.Status, filepath.Join(*site, w.Path))
	}
	return err
}
