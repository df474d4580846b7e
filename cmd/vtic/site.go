package main

import (
	"context"
	"fmt"
	"io"

	"github.com/hashicorp/hcl/v2"
	"github.com/vtic/vtic/compile"
	"github.com/vtic/vtic/lang"
)

// loadPlan loads, validates and compiles a site, printing its diagnostics to
// w in the given format. It fails (errReported) when the site has errors,
// and stops early once opts.Context, when set, is done.
func loadPlan(w io.Writer, format, dir string, opts lang.Options) (*lang.Site, *compile.Plan, error) {
	tuneGC(siteSize(dir))
	site, diags := lang.LoadDir(dir, opts)
	if ctx := opts.Context; ctx != nil && ctx.Err() != nil {
		return site, nil, fmt.Errorf("interrupted: %w", context.Cause(ctx))
	}
	sortDiags(diags)
	if len(diags) > 0 {
		if err := printDiags(w, format, site.Files, diags); err != nil {
			return nil, nil, err
		}
	}
	if diags.HasErrors() {
		return site, nil, errReported
	}
	plan, err := compile.Compile(site)
	if err != nil {
		return site, nil, fmt.Errorf("compile %s: %w", dir, err)
	}
	return site, plan, nil
}

func countDiags(diags hcl.Diagnostics) (errs, warns int) {
	for _, d := range diags {
		if d.Severity == hcl.DiagError {
			errs++
		} else {
			warns++
		}
	}
	return
}
