package main

import (
	"context"

	"github.com/vtic/vtic/internal/graph"
	"github.com/vtic/vtic/lang"
)

func init() {
	register(command{name: "graph", summary: "draw the site's routers, peers and tunnels (DOT, Mermaid or SVG)", run: runGraph})
}

func runGraph(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "graph", "[DIR] [--format dot|mermaid|svg]")
	format := fs.String("format", "dot", "dot (Graphviz's language), mermaid (for markdown) or svg (laid out by Graphviz's dot program)")
	pos, err := parse(fs, args, 1)
	if err != nil {
		return err
	}
	switch *format {
	case "dot", "mermaid", "svg":
	default:
		return usagef("unknown format %q (dot, mermaid or svg)", *format)
	}
	dir := "."
	if len(pos) == 1 {
		dir = pos[0]
	}
	// The drawing needs no keys: a site whose keys are not on this
	// machine (CI) is drawn all the same.
	_, plan, err := loadPlan(e.stderr, "text", dir, lang.Options{Context: ctx, AllowUnresolvedSecrets: true})
	if err != nil {
		return err
	}
	g := graph.FromHosts(plan.Hosts)
	var out []byte
	switch *format {
	case "dot":
		out = graph.DOT(g)
	case "mermaid":
		out = graph.Mermaid(g)
	case "svg":
		if out, err = graph.SVG(ctx, g); err != nil {
			return err
		}
	}
	_, err = e.stdout.Write(out)
	return err
}
