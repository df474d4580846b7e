package review

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// sign is the one-character mark of a status in text output.
func sign(s Status) string {
	switch s {
	case Added:
		return "+"
	case Removed:
		return "-"
	case Changed:
		return "~"
	}
	return " "
}

// painter colours text output with ANSI escapes, or not at all.
type painter bool

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
)

func (p painter) paint(code, s string) string {
	if !p || s == "" {
		return s
	}
	return code + s + ansiReset
}

func (p painter) status(s Status, text string) string {
	switch s {
	case Added:
		return p.paint(ansiGreen, text)
	case Removed:
		return p.paint(ansiRed, text)
	case Changed:
		return p.paint(ansiYellow, text)
	}
	return text
}

// diffLine colours one line of a unified diff.
func (p painter) diffLine(l string) string {
	switch {
	case strings.HasPrefix(l, "+++ "), strings.HasPrefix(l, "--- "):
		return p.paint(ansiBold, l)
	case strings.HasPrefix(l, "@@"):
		return p.paint(ansiCyan, l)
	case strings.HasPrefix(l, "+"):
		return p.paint(ansiGreen, l)
	case strings.HasPrefix(l, "-"):
		return p.paint(ansiRed, l)
	}
	return l
}

// WriteText prints the report for a terminal: a summary, every changed
// router with its tunnels and files, then the unified diffs. color adds
// ANSI colours; the caller decides (a terminal, NO_COLOR unset).
func WriteText(w io.Writer, r *Report, color bool) error {
	bw := bufio.NewWriter(w)
	p := painter(color)
	c := r.Counts()
	fmt.Fprintf(bw, "Base: %s\nHead: %s\n\n", r.Base, r.Head)
	if !r.Changed() {
		fmt.Fprintf(bw, "No changes: %d routers, %d files, the same on both sides.\n", c.Routers.Unchanged, c.Files.Unchanged)
		return bw.Flush()
	}
	fmt.Fprintf(bw, "Routers: %s.\n", tallyText(c.Routers))
	if r.TunnelsCompared {
		fmt.Fprintf(bw, "Tunnels: %s.\n", tallyText(c.Tunnels))
	} else {
		fmt.Fprintln(bw, "Tunnels: unknown (a build directory holds no plan; it was written by an older vtic).")
	}
	fmt.Fprintf(bw, "Files:   %s.\n", tallyText(c.Files))
	for _, rc := range r.Routers {
		if rc.Status == Unchanged {
			continue
		}
		fmt.Fprintln(bw)
		head := fmt.Sprintf("%s router %s", sign(rc.Status), rc.Name)
		fmt.Fprintf(bw, "%s (%s)\n", p.paint(ansiBold, p.status(rc.Status, head)), routerSummary(rc, r.TunnelsCompared))
		for _, t := range rc.Tunnels {
			if t.Status == Unchanged {
				continue
			}
			line := fmt.Sprintf("    %s tunnel %s", sign(t.Status), t.Name)
			if s := tunnelDetails(t); s != "" {
				line += ": " + s
			}
			fmt.Fprintln(bw, p.status(t.Status, line))
		}
		for _, f := range rc.Files {
			if f.Status == Unchanged {
				continue
			}
			fmt.Fprintln(bw, p.status(f.Status, fmt.Sprintf("    %s %s%s", sign(f.Status), f.Path, fileNote(f))))
			for _, e := range f.Entries {
				line := fmt.Sprintf("        %s %s", sign(e.Status), e.Name)
				if len(e.Details) > 0 {
					line += ": " + strings.Join(e.Details, "; ")
				}
				fmt.Fprintln(bw, p.status(e.Status, line))
			}
		}
	}
	for _, rc := range r.Routers {
		for _, f := range rc.Files {
			if f.Diff == "" || f.Repeats != "" {
				continue
			}
			fmt.Fprintln(bw)
			for _, l := range strings.SplitAfter(strings.TrimSuffix(f.Diff, "\n"), "\n") {
				fmt.Fprintln(bw, p.diffLine(strings.TrimSuffix(l, "\n")))
			}
		}
	}
	return bw.Flush()
}

func tallyText(t Tally) string {
	return fmt.Sprintf("%d added, %d removed, %d changed, %d unchanged", t.Added, t.Removed, t.Changed, t.Unchanged)
}

// routerSummary is the parenthesised part of a router's heading. Without
// tunnels (known false), an added or removed router's tunnels are said
// to be unknown, not counted as none.
func routerSummary(rc RouterChange, known bool) string {
	var files, tunnels Tally
	for _, f := range rc.Files {
		files.add(f.Status)
	}
	for _, t := range rc.Tunnels {
		tunnels.add(t.Status)
	}
	count := func(n int) string {
		if !known {
			return "tunnels unknown"
		}
		return plural(n, "tunnel")
	}
	switch rc.Status {
	case Added:
		return fmt.Sprintf("added: %s, %s", plural(files.Added, "file"), count(tunnels.Added))
	case Removed:
		return fmt.Sprintf("removed: %s, %s", plural(files.Removed, "file"), count(tunnels.Removed))
	}
	parts := []string{}
	if files.Any() {
		parts = append(parts, countsText(files, "file"))
	}
	if tunnels.Any() {
		parts = append(parts, countsText(tunnels, "tunnel"))
	}
	return "changed: " + strings.Join(parts, ", ")
}

// countsText reads like "1 file added, 2 changed".
func countsText(t Tally, noun string) string {
	var parts []string
	for _, x := range []struct {
		n    int
		verb string
	}{{t.Added, "added"}, {t.Removed, "removed"}, {t.Changed, "changed"}} {
		if x.n == 0 {
			continue
		}
		if len(parts) == 0 {
			parts = append(parts, plural(x.n, noun)+" "+x.verb)
		} else {
			parts = append(parts, fmt.Sprintf("%d %s", x.n, x.verb))
		}
	}
	return strings.Join(parts, ", ")
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// tunnelDetails describes a tunnel's change on one line.
func tunnelDetails(t TunnelChange) string {
	parts := make([]string, 0, len(t.Changes))
	for _, c := range t.Changes {
		switch t.Status {
		case Added:
			parts = append(parts, c.Field+" "+show(c.Field, c.New))
		case Removed:
			parts = append(parts, c.Field+" "+show(c.Field, c.Old))
		default:
			parts = append(parts, fieldText(c))
		}
	}
	return strings.Join(parts, ", ")
}

func fieldText(c FieldChange) string {
	if c.Note != "" && c.Old == c.New {
		return fmt.Sprintf("%s %s: %s", c.Field, c.New, c.Note)
	}
	s := fmt.Sprintf("%s %s → %s", c.Field, show(c.Field, c.Old), show(c.Field, c.New))
	if c.Note != "" {
		s += " (" + c.Note + ")"
	}
	return s
}

// show quotes a field's value when it would not read as one word in a
// comma-separated line. The psk's value is a reference that reads fine.
func show(field, s string) string {
	if field != "psk" && (s == "" || strings.ContainsAny(s, " \t,\"→")) {
		return strconv.Quote(s)
	}
	return s
}

// fileNote is what follows a file's path: mode changes, secrecy.
func fileNote(f FileChange) string {
	var parts []string
	switch {
	case f.Status == Added:
		parts = append(parts, fmt.Sprintf("mode %04o", f.NewMode.Perm()))
	case f.Status != Removed && f.OldMode != f.NewMode:
		parts = append(parts, fmt.Sprintf("mode %04o → %04o", f.OldMode.Perm(), f.NewMode.Perm()))
	}
	if f.Secret {
		parts = append(parts, "secret, contents not shown")
	}
	if f.Note != "" {
		parts = append(parts, f.Note)
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, "; ") + ")"
}
