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
	where := ""
	if f != nil {
		if blk := f.OutermostBlockAtPos(rng.Start); blk != nil {
			where = ", in " + blk.Type
			for _, l := range blk.Labels {
				where += fmt.Sprintf(" %q", l)
			}
		}
	}
	fmt.Fprintf(b, "  on %s line %d%s:\n", escapeText(rng.Filename, false), rng.Start.Line, escapeText(where, false))
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
