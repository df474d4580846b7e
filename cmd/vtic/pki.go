package main

import (
	"context"
	"fmt"
	"time"

	"github.com/vtic/vtic/internal/pki"
	"github.com/vtic/vtic/lang"
)

func init() {
	register(command{name: "pki", summary: "make a certificate authority and router certificates for a site", run: runPKI})
}

func runPKI(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "pki", "[--days N] [--ca-name NAME] [DIR]")
	days := fs.Int("days", 365, "validity of the router certificates in days (the authority's is ten times longer)")
	caName := fs.String("ca-name", "vtic lab CA", "common name of a new authority")
	pos, err := parse(fs, args, 1)
	if err != nil {
		return err
	}
	if *days < 1 || *days > 36500 {
		return usagef("--days must be from 1 to 36500")
	}
	dir := "."
	if len(pos) == 1 {
		dir = pos[0]
	}
	// The certificates may not exist yet: file() references that cannot
	// be read are allowed, and only the routers' names and identities
	// are used.
	site, diags := lang.LoadDir(dir, lang.Options{AllowUnresolvedSecrets: true, Context: ctx})
	if site == nil || len(site.Routers) == 0 {
		sortDiags(diags)
		if len(diags) > 0 {
			_ = printDiags(e.stderr, "text", site.Files, diags)
		}
		return fmt.Errorf("site %s: no routers to make certificates for", dir)
	}
	plan := pki.Plan{SiteDir: dir, CAName: *caName, Now: time.Now(), Days: *days}
	for _, r := range site.Routers {
		var ids []string
		if r.ID.Set {
			if kind, _ := lang.ParseIdentity(r.ID.Value); kind == lang.IdentityAddr || kind == lang.IdentityFQDN {
				ids = append(ids, r.ID.Value)
			}
		}
		if r.Outside.Set() {
			ids = append(ids, r.Outside.Addr.String())
		}
		plan.Routers = append(plan.Routers, pki.Router{Name: r.Name, Identities: ids})
	}
	written, err := pki.WriteSite(plan)
	for _, f := range written {
		fmt.Fprintf(e.stdout, "wrote %s\n", escapeText(f, false))
	}
	if err != nil {
		return err
	}
	if len(written) == 0 {
		fmt.Fprintln(e.stdout, "nothing to do: the authority and every router's certificate exist")
	}
	return nil
}
