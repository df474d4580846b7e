package main

import (
	"context"
	"fmt"

	"github.com/vtic/vtic/lang"
)

func init() {
	register(command{name: "validate", summary: "check a site and report every problem", run: runValidate})
}

func runValidate(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "validate", "[-json | --format text|json|github] [--no-secrets] [DIR]")
	asJSON := fs.Bool("json", false, "print diagnostics as JSON (same as --format json)")
	format := fs.String("format", "text", "diagnostics format: text, json or github")
	noSecrets := fs.Bool("no-secrets", false, "allow pre-shared keys that cannot be read, as in CI without secrets; every other rule is checked")
	pos, err := parse(fs, args, 1)
	if err != nil {
		return err
	}
	if *asJSON {
		*format = "json"
	}
	switch *format {
	case "text", "json", "github":
	default:
		return usagef("unknown format %q (text, json or github)", *format)
	}
	dir := "."
	if len(pos) == 1 {
		dir = pos[0]
	}
	tuneGC(siteSize(dir))
	site, diags := lang.LoadDir(dir, lang.Options{AllowUnresolvedSecrets: *noSecrets, Context: ctx})
	if ctx.Err() != nil {
		// A signal: what was found so far is not the site's verdict.
		return fmt.Errorf("interrupted: %w", context.Cause(ctx))
	}
	sortDiags(diags)
	out := e.stderr
	if *format != "text" {
		out = e.stdout
	}
	if len(diags) > 0 || *format == "json" {
		if err := printDiags(out, *format, site.Files, diags); err != nil {
			return err
		}
	}
	if diags.HasErrors() {
		return errReported
	}
	if *format == "text" {
		_, warns := countDiags(diags)
		fmt.Fprintf(e.stdout, "Success! The site is valid: %d routers, %d peers, %d tunnels", len(site.Routers), len(site.Peers), len(site.Tunnels))
		if warns > 0 {
			fmt.Fprintf(e.stdout, " (%d warnings)", warns)
		}
		fmt.Fprintln(e.stdout, ".")
	}
	return nil
}
