package main

import (
	"bytes"
	"fmt"
	"io"
	"strings"

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
		fmt.Fprintf(&b, "%s%s:%s %s\n\n", on, label, off, d.Summary)
		if s := d.Subject; s != nil {
			writeSource(&b, files[s.Filename], *s)
		}
		if d.Detail != "" {
			fmt.Fprintf(&b, "%s\n", d.Detail)
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
	fmt.Fprintf(b, "  on %s line %d%s:\n", rng.Filename, rng.Start.Line, where)
	if f == nil || rng.Start.Byte > len(f.Bytes) || rng.End.Byte > len(f.Bytes) {
		b.WriteByte('\n')
		return
	}
	src := f.Bytes
	start := rng.Start.Byte
	for start > 0 && src[start-1] != '\n' {
		start--
	}
	end := rng.Start.Byte
	for end < len(src) && src[end] != '\n' {
		end++
	}
	line := strings.TrimRight(string(src[start:end]), "\r")
	prefix := fmt.Sprintf("  %d: ", rng.Start.Line)
	fmt.Fprintf(b, "%s%s\n", prefix, line)
	// Carets under the subject: columns count bytes up to the start, with
	// tabs kept so the marker lines up under the same indentation.
	lead := []byte(string(src[start:rng.Start.Byte]))
	for i, c := range lead {
		if c != '\t' {
			lead[i] = ' '
		}
	}
	width := rng.End.Byte - rng.Start.Byte
	if rng.End.Line != rng.Start.Line || rng.End.Byte > end {
		width = end - rng.Start.Byte
	}
	if width < 1 {
		width = 1
	}
	fmt.Fprintf(b, "%s%s%s\n\n", strings.Repeat(" ", len(prefix)), lead, strings.Repeat("^", width))
}
