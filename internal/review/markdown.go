package review

import (
	"fmt"
	"io"
	"strings"

	"github.com/vtic/vtic/internal/graph"
)

// MarkdownLimit keeps a markdown report under GitHub's 65,536-character
// limit for a comment, with room for what a workflow adds around it. Diffs
// that do not fit are left out with a note; the summary always fits.
const MarkdownLimit = 60000

// WriteMarkdown prints the report as the body of a pull-request comment:
// a summary table, then one collapsible <details> section per changed
// router with its tunnels, files and ```diff blocks. Every name and value
// from the site is put in a code span, so none can be read as markup.
func WriteMarkdown(w io.Writer, r *Report) error {
	var b strings.Builder
	c := r.Counts()
	fmt.Fprintf(&b, "### vtic diff\n\nBase %s → head %s\n\n", code(r.Base), code(r.Head))
	if !r.Changed() {
		fmt.Fprintf(&b, "**No changes**: %d routers, %d files, the same on both sides.\n", c.Routers.Unchanged, c.Files.Unchanged)
		_, err := io.WriteString(w, b.String())
		return err
	}
	b.WriteString("| | Added | Removed | Changed | Unchanged |\n|---|---:|---:|---:|---:|\n")
	row := func(name string, t Tally) {
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d |\n", name, t.Added, t.Removed, t.Changed, t.Unchanged)
	}
	row("Routers", c.Routers)
	if r.TunnelsCompared {
		row("Tunnels", c.Tunnels)
	}
	row("Files", c.Files)
	if !r.TunnelsCompared {
		b.WriteString("\nTunnels unknown: a build directory holds no plan (it was written by an older vtic).\n")
	}

	if r.Graph != nil {
		block := strings.TrimSuffix(fenced("mermaid", string(graph.Mermaid(r.Graph))), "\n")
		if len(block) > MarkdownLimit/4 {
			b.WriteString("\nThe graph of what changed is left out to keep this comment within GitHub's size limit; run `vtic graph --format svg` to draw the site.\n")
		} else {
			b.WriteString("\nRouters and tunnels that changed:\n\n" + block)
		}
	}

	// Routers' sections without their diffs first, to know what the
	// diffs may use of the limit.
	var sections []string
	for _, rc := range r.Routers {
		if rc.Status != Unchanged {
			sections = append(sections, markdownRouter(rc, r.TunnelsCompared))
		}
	}
	budget := MarkdownLimit - b.Len()
	for _, s := range sections {
		budget -= len(s) + len("\n</details>\n")
	}
	for i, rc := range r.Routers {
		if rc.Status == Unchanged {
			continue
		}
		b.WriteString("\n" + sections[0])
		sections = sections[1:]
		for _, f := range r.Routers[i].Files {
			if f.Diff == "" || f.Repeats != "" {
				continue
			}
			block := fenced("diff", f.Diff)
			if len(block) > budget {
				note := fmt.Sprintf("The diff of %s is left out to keep this comment within GitHub's size limit; run `vtic diff` to see it.\n\n", code(f.Path))
				b.WriteString(note)
				budget -= len(note)
				continue
			}
			b.WriteString(block)
			budget -= len(block)
		}
		b.WriteString("</details>\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// markdownRouter is a router's section up to its diffs.
func markdownRouter(rc RouterChange, tunnelsKnown bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<details><summary>%s <b>%s</b> — %s</summary>\n\n", sign(rc.Status), htmlEscape(rc.Name), htmlEscape(routerSummary(rc, tunnelsKnown)))
	var tunnels []TunnelChange
	for _, t := range rc.Tunnels {
		if t.Status != Unchanged {
			tunnels = append(tunnels, t)
		}
	}
	if len(tunnels) > 0 {
		b.WriteString("Tunnels:\n\n")
		for _, t := range tunnels {
			fmt.Fprintf(&b, "- %s %s %s", t.Status, "tunnel", code(t.Name))
			if d := markdownTunnel(t); d != "" {
				b.WriteString(": " + d)
			}
			b.WriteString("\n")
		}
		b.WriteString("\n")
	}
	b.WriteString("Files:\n\n")
	for _, f := range rc.Files {
		if f.Status == Unchanged {
			continue
		}
		fmt.Fprintf(&b, "- %s %s%s\n", f.Status, code(f.Path), fileNote(f))
		for _, e := range f.Entries {
			fmt.Fprintf(&b, "  - %s %s", e.Status, code(e.Name))
			if len(e.Details) > 0 {
				b.WriteString(": " + mdEscape(strings.Join(e.Details, "; ")))
			}
			b.WriteString("\n")
		}
	}
	b.WriteString("\n")
	return b.String()
}

func markdownTunnel(t TunnelChange) string {
	parts := make([]string, 0, len(t.Changes))
	for _, c := range t.Changes {
		switch {
		case t.Status == Added:
			parts = append(parts, c.Field+" "+code(c.New))
		case t.Status == Removed:
			parts = append(parts, c.Field+" "+code(c.Old))
		case c.Note != "" && c.Old == c.New:
			parts = append(parts, fmt.Sprintf("%s %s: %s", c.Field, code(c.New), c.Note))
		default:
			s := fmt.Sprintf("%s %s → %s", c.Field, code(c.Old), code(c.New))
			if c.Note != "" {
				s += " (" + c.Note + ")"
			}
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ", ")
}

// code puts s in a code span whose backtick run is longer than any in s.
func code(s string) string {
	if s == "" {
		return "`\"\"`"
	}
	fence := strings.Repeat("`", longestRun(s, '`')+1)
	pad := ""
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		pad = " "
	}
	return fence + pad + s + pad + fence
}

// fenced puts s in a fenced block whose fence cannot occur in s.
func fenced(lang, s string) string {
	fence := strings.Repeat("`", max(3, longestRun(s, '`')+1))
	if !strings.HasSuffix(s, "\n") {
		s += "\n"
	}
	return fence + lang + "\n" + s + fence + "\n\n"
}

func longestRun(s string, c byte) int {
	best, n := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			n++
			best = max(best, n)
		} else {
			n = 0
		}
	}
	return best
}

// mdEscape makes text read literally in markdown.
func mdEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune("\\`*_[]<>|~", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}
