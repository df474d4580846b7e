package main

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
)

// writeDiagsText prints diagnostics the way Terraform does, plus a line of
// carets under the subject so the span is visible without colour (CI logs):
//
//	Error: Ambiguous mark
//
//	  on site.hcl line 11, in tunnel "t1":
//	  11:   mark = 012
//	               ^^^
//
//	The mark 012 starts with 0, …
func writeDiagsText(w io.Writer, files map[string]*hcl.File, diags hcl.Diagnostics, color bool) error {
	var b bytes.Buffer
	for _, d := range diags {
		label, on, off := "Error", "\x1b[1;31m", "\x1b[0m"
		if d.Severity == hcl.DiagWarning {
			label, on = "Warning", "\x1b[1;33m"
		}
		if !color {
			on, off = "", ""
		}
		fmt.Fprintf(&b, "%s%s:%s %s\n\n", on, label, off, escapeText(d.Summary, false))
		if s := d.Subject; s != nil {
			writeSource(&b, files[s.Filename], *s)
		}
		if d.Detail != "" {
			fmt.Fprintf(&b, "%s\n", escapeText(d.Detail, false))
		}
		b.WriteByte('\n')
	}
	_, err := w.Write(b.Bytes())
	return err
}

func writeSource(b *bytes.Buffer, f *hcl.File, rng hcl.Range) {
	fmt.Fprintf(b, "  on %s line %d%s:\n", escapeText(rng.Filename, false), rng.Start.Line, escapeText(blockContext(f, rng.Start), false))
	e, ok := excerptOf(f, rng)
	if !ok {
		b.WriteByte('\n')
		return
	}
	// The excerpt of the line, escaped, and carets under the subject: one
	// per character, after the text before it with everything but tabs
	// made spaces, so that the marker lines up under the same indentation.
	before, subject := escapeText(e.before, true), escapeText(e.subject, true)
	if e.cutStart {
		before = ellipsis + before
	}
	prefix := fmt.Sprintf("  %d: ", e.line)
	b.WriteString(prefix + before + subject + escapeText(e.rest, true))
	if e.cutEnd {
		b.WriteString(ellipsis)
	}
	b.WriteByte('\n')
	lead := []rune(before)
	for i, c := range lead {
		if c != '\t' {
			lead[i] = ' '
		}
	}
	width := max(utf8.RuneCountInString(subject), 1)
	fmt.Fprintf(b, "%s%s%s\n\n", strings.Repeat(" ", len(prefix)), string(lead), strings.Repeat("^", width))
}

// blockContext names the block pos lies in: `, in router "gw1"`. The type
// and at most two labels are shown, each cut to snippetLabel bytes: a
// label can be as long as the file, and every diagnostic inside the block
// would print it again.
func blockContext(f *hcl.File, pos hcl.Pos) string {
	if f == nil {
		return ""
	}
	blk := f.OutermostBlockAtPos(pos)
	if blk == nil {
		return ""
	}
	where := ", in " + clipText(blk.Type, snippetLabel)
	for i, l := range blk.Labels {
		if i == 2 {
			return where + " " + ellipsis
		}
		where += fmt.Sprintf(" %q", clipText(l, snippetLabel))
	}
	return where
}

// clipText cuts s to at most n bytes, at a character boundary, and marks
// the cut with an ellipsis.
func clipText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + ellipsis
}
