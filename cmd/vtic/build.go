package main

import (
	"context"
	"fmt"

	"github.com/vtic/vtic/compile"
	"github.com/vtic/vtic/internal/buildout"
	"github.com/vtic/vtic/lang"
)

func init() {
	register(command{name: "build", summary: "render every router's files into a directory", run: runBuild})
}

func runBuild(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "build", "[DIR] -o OUT [--host NAME]")
	out := fs.String("o", "", "output directory (created; replaced if an earlier vtic build made it)")
	host := fs.String("host", "", "render only this router")
	pos, err := parse(fs, args, 1)
	if err != nil {
		return err
	}
	if *out == "" {
		return usagef("missing -o OUT")
	}
	dir := "."
	if len(pos) == 1 {
		dir = pos[0]
	}
	_, plan, err := loadPlan(e.stderr, "text", dir, lang.Options{Context: ctx})
	if err != nil {
		return err
	}
	if *host != "" {
		h := plan.Host(*host)
		if h == nil {
			return fmt.Errorf("no router named %q in %s", *host, dir)
		}
		plan = &compile.Plan{Hosts: []*compile.Host{h}}
	}
	routers, files, err := buildout.Write(*out, plan.Hosts)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Built %d routers, %d files in %s.\n", routers, files, *out)
	return nil
}
