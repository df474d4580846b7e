package graph

import (
	"bytes"
	"fmt"
	"strings"
)

// DOT writes the graph in Graphviz's language: routers as boxes, peers as
// ellipses, one undirected edge per tunnel labelled with its name, each end
// labelled with its interface and inside address; a disabled tunnel is
// dashed and grey. Output is byte-stable: everything is sorted.
func DOT(g *Graph) []byte {
	var b bytes.Buffer
	b.WriteString("graph \"vtic\" {\n")
	b.WriteString("  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=10, nodesep=0.6, ranksep=1.2];\n")
	b.WriteString("  node [fontname=\"Helvetica\", fontsize=10];\n")
	b.WriteString("  edge [fontname=\"Helvetica\", fontsize=8];\n")
	for _, n := range g.Nodes {
		attrs := []string{"label=" + dotQuote(strings.Join(nodeLines(n), "\n"))}
		if n.Router {
			attrs = append(attrs, "shape=box", "style=rounded")
		} else {
			attrs = append(attrs, "shape=ellipse")
		}
		attrs = append(attrs, statusAttrs(n.Status)...)
		fmt.Fprintf(&b, "  %s [%s];\n", dotQuote(n.Name), strings.Join(attrs, ", "))
	}
	for _, e := range g.Edges {
		label := e.Tunnel
		if !e.Enabled {
			label += " (disabled)"
		}
		if e.Status != "" {
			label += " [" + e.Status + "]"
		}
		attrs := []string{
			"label=" + dotQuote(label),
			"taillabel=" + dotQuote(endLabel(e.Ends[0])),
			"headlabel=" + dotQuote(endLabel(e.Ends[1])),
		}
		if !e.Enabled {
			attrs = append(attrs, "style=dashed", "color=gray50", "fontcolor=gray50")
		}
		attrs = append(attrs, statusAttrs(e.Status)...)
		fmt.Fprintf(&b, "  %s -- %s [%s];\n", dotQuote(e.Ends[0].Node), dotQuote(e.Ends[1].Node), strings.Join(attrs, ", "))
	}
	b.WriteString("}\n")
	return b.Bytes()
}

// nodeLines is what a node's box says: its name (and "peer"), its AS
// number, the prefixes it announces.
func nodeLines(n *Node) []string {
	name := n.Name
	if !n.Router {
		name += " (peer)"
	}
	if n.Status != "" {
		name += " [" + n.Status + "]"
	}
	lines := []string{name}
	if n.ASN != 0 {
		lines = append(lines, fmt.Sprintf("AS %d", n.ASN))
	}
	for _, p := range n.Announce {
		lines = append(lines, p.String())
	}
	return lines
}

// endLabel is an end's interface and inside address, as far as known.
func endLabel(e End) string {
	var parts []string
	if e.Interface != "" {
		parts = append(parts, e.Interface)
	}
	if e.Inside.IsValid() {
		parts = append(parts, e.Inside.String())
	}
	return strings.Join(parts, "\n")
}

func statusAttrs(status string) []string {
	switch status {
	case "added":
		return []string{"color=darkgreen", "penwidth=2"}
	case "removed":
		return []string{"color=red3", "style=dotted"}
	case "changed":
		return []string{"color=darkorange", "penwidth=2"}
	}
	return nil
}

// dotQuote writes s as a DOT string: quotes and backslashes escaped, line
// breaks as \n (centred lines).
func dotQuote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", "")
	return `"` + r.Replace(s) + `"`
}
