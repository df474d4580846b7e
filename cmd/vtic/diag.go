package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"golang.org/x/term"
)

// printDiags writes diagnostics in the chosen format: "text" (Terraform-like,
// with the source line and the span marked), "json" or "github" (workflow
// commands that annotate a pull request).
func printDiags(w io.Writer, format string, files map[string]*hcl.File, diags hcl.Diagnostics) error {
	switch format {
	case "json":
		return writeDiagsJSON(w, files, diags)
	case "github":
		for _, d := range diags {
			writeGitHub(w, d)
		}
		return nil
	default:
		color := false
		if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
			color = os.Getenv("NO_COLOR") == ""
		}
		return writeDiagsText(w, files, diags, color)
	}
}

func writeGitHub(w io.Writer, d *hcl.Diagnostic) {
	kind := "error"
	if d.Severity == hcl.DiagWarning {
		kind = "warning"
	}
	esc := func(s string) string {
		s = strings.ReplaceAll(s, "%", "%25")
		s = strings.ReplaceAll(s, "\r", "%0D")
		return strings.ReplaceAll(s, "\n", "%0A")
	}
	escProp := func(s string) string {
		return strings.ReplaceAll(strings.ReplaceAll(esc(s), ":", "%3A"), ",", "%2C")
	}
	props := ""
	if d.Subject != nil {
		props = fmt.Sprintf(" file=%s,line=%d,col=%d,endLine=%d,endColumn=%d,title=%s",
			escProp(d.Subject.Filename), d.Subject.Start.Line, d.Subject.Start.Column,
			d.Subject.End.Line, d.Subject.End.Column, escProp(d.Summary))
	} else {
		props = " title=" + escProp(d.Summary)
	}
	fmt.Fprintf(w, "::%s%s::%s\n", kind, props, esc(d.Summary+": "+d.Detail))
}

// jsonDiag is the stable schema of `vtic validate -json`.
type jsonDiag struct {
	Severity string       `json:"severity"`
	Summary  string       `json:"summary"`
	Detail   string       `json:"detail,omitempty"`
	Range    *jsonRange   `json:"range,omitempty"`
	Snippet  *jsonSnippet `json:"snippet,omitempty"`
}

type jsonPos struct {
	Line   int `json:"line"`
	Column int `json:"column"`
	Byte   int `json:"byte"`
}

type jsonRange struct {
	Filename string  `json:"filename"`
	Start    jsonPos `json:"start"`
	End      jsonPos `json:"end"`
}

type jsonSnippet struct {
	StartLine            int    `json:"start_line"`
	Code                 string `json:"code"`
	HighlightStartOffset int    `json:"highlight_start_offset"`
	HighlightEndOffset   int    `json:"highlight_end_offset"`
}

type jsonReport struct {
	Valid        bool       `json:"valid"`
	ErrorCount   int        `json:"error_count"`
	WarningCount int        `json:"warning_count"`
	Diagnostics  []jsonDiag `json:"diagnostics"`
}

func writeDiagsJSON(w io.Writer, files map[string]*hcl.File, diags hcl.Diagnostics) error {
	r := jsonReport{Valid: !diags.HasErrors(), Diagnostics: []jsonDiag{}}
	for _, d := range diags {
		jd := jsonDiag{Severity: "error", Summary: d.Summary, Detail: d.Detail}
		if d.Severity == hcl.DiagWarning {
			jd.Severity = "warning"
			r.WarningCount++
		} else {
			r.ErrorCount++
		}
		if s := d.Subject; s != nil {
			jd.Range = &jsonRange{Filename: s.Filename,
				Start: jsonPos{s.Start.Line, s.Start.Column, s.Start.Byte},
				End:   jsonPos{s.End.Line, s.End.Column, s.End.Byte}}
			jd.Snippet = snippet(files[s.Filename], *s)
		}
		r.Diagnostics = append(r.Diagnostics, jd)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// snippet returns the source lines of rng with the highlight's byte offsets
// relative to the snippet.
func snippet(f *hcl.File, rng hcl.Range) *jsonSnippet {
	if f == nil || rng.Start.Byte > len(f.Bytes) || rng.End.Byte > len(f.Bytes) {
		return nil
	}
	src := f.Bytes
	start := rng.Start.Byte
	for start > 0 && src[start-1] != '\n' {
		start--
	}
	end := rng.End.Byte
	for end < len(src) && src[end] != '\n' {
		end++
	}
	return &jsonSnippet{StartLine: rng.Start.Line, Code: string(src[start:end]),
		HighlightStartOffset: rng.Start.Byte - start, HighlightEndOffset: rng.End.Byte - start}
}

// sortDiags orders diagnostics by file and position so output is stable
// whatever order the rules ran in.
func sortDiags(diags hcl.Diagnostics) {
	sort.SliceStable(diags, func(i, j int) bool {
		a, b := diags[i].Subject, diags[j].Subject
		switch {
		case a == nil || b == nil:
			return a == nil && b != nil
		case a.Filename != b.Filename:
			return a.Filename < b.Filename
		default:
			return a.Start.Byte < b.Start.Byte
		}
	})
}
