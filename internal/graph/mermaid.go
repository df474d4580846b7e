package graph

import (
	"bytes"
	"fmt"
	"strings"
)

// Mermaid writes the graph as a Mermaid flowchart, which GitHub draws in
// a ```mermaid block. Nodes get generated ids (n1, n2, …) and quoted
// labels, so no name can be read as Mermaid syntax. A disabled or removed
// tunnel is a dotted link, an added one a thick link.
func Mermaid(g *Graph) []byte {
	var b bytes.Buffer
	b.WriteString("flowchart LR\n")
	ids := map[string]string{}
	for i, n := range g.Nodes {
		id := fmt.Sprintf("n%d", i+1)
		ids[n.Name] = id
		open, close := "[", "]"
		if !n.Router {
			open, close = "([", "])"
		}
		fmt.Fprintf(&b, "  %s%s%s%s\n", id, open, mermaidQuote(strings.Join(nodeLines(n), "\n")), close)
	}
	for _, e := range g.Edges {
		a, z := ids[e.Ends[0].Node], ids[e.Ends[1].Node]
		if a == "" || z == "" {
			continue
		}
		label := []string{e.Tunnel}
		if !e.Enabled {
			label[0] += " (disabled)"
		}
		if e.Status != "" {
			label[0] += " [" + e.Status + "]"
		}
		for _, end := range e.Ends {
			if l := endLabel(end); l != "" {
				label = append(label, end.Node+": "+strings.ReplaceAll(l, "\n", " "))
			}
		}
		link := "---"
		switch {
		case e.Status == "removed" || !e.Enabled:
			link = "-.-"
		case e.Status == "added":
			link = "==="
		}
		fmt.Fprintf(&b, "  %s %s|%s| %s\n", a, link, mermaidQuote(strings.Join(label, "\n")), z)
	}
	return b.Bytes()
}

// mermaidQuote writes s as a quoted Mermaid label: characters that could
// end the label or be read as markup become entity codes, line breaks
// <br/>.
func mermaidQuote(s string) string {
	r := strings.NewReplacer(`"`, "#quot;", "<", "#lt;", ">", "#gt;", "|", "#124;", "`", "#96;", "#", "#35;", "\n", "<br/>", "\r", "")
	return `"` + r.Replace(s) + `"`
}
