package main

import (
	"bytes"
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
//
// At most maxPrintedDiags diagnostics are printed, in the order given; the
// rest are counted ("… and 3 more errors.", or "truncated" in JSON, whose
// error_count and warning_count stay true).
func printDiags(w io.Writer, format string, files map[string]*hcl.File, diags hcl.Diagnostics) error {
	shown := diags[:min(len(diags), maxPrintedDiags)]
	errs, warns := countDiags(diags[len(shown):])
	switch format {
	case "json":
		return writeDiagsJSON(w, files, diags, shown)
	case "github":
		var b bytes.Buffer
		for _, d := range shown {
			writeGitHub(&b, d)
		}
		if errs+warns > 0 {
			fmt.Fprintln(&b, moreDiags(errs, warns))
		}
		_, err := w.Write(b.Bytes())
		return err
	default:
		color := false
		if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
			color = os.Getenv("NO_COLOR") == ""
		}
		if err := writeDiagsText(w, files, shown, color); err != nil {
			return err
		}
		if errs+warns > 0 {
			_, err := fmt.Fprintf(w, "%s\n\n", moreDiags(errs, warns))
			return err
		}
		return nil
	}
}

// maxPrintedDiags bounds how many diagnostics one run prints: past a
// hundred, more only fill the log (and a hostile site can make millions).
const maxPrintedDiags = 100

// moreDiags is the line that counts the diagnostics not printed.
func moreDiags(errs, warns int) string {
	plural := func(n int, what string) string {
		if n == 1 {
			return fmt.Sprintf("%d more %s", n, what)
		}
		return fmt.Sprintf("%d more %ss", n, what)
	}
	switch {
	case warns == 0:
		return "… and " + plural(errs, "error") + "."
	case errs == 0:
		return "… and " + plural(warns, "warning") + "."
	}
	return "… and " + plural(errs, "error") + " and " + plural(warns, "warning") + "."
}

func writeGitHub(w io.Writer, d *hcl.Diagnostic) {
	kind := "error"
	if d.Severity == hcl.DiagWarning {
		kind = "warning"
	}
	// Control characters first (escapeText), so that nothing from the
	// site can end the command's line; then GitHub's own escapes for the
	// message and, in properties, for ':' and ','.
	esc := func(s string) string {
		s = escapeText(s, false)
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

// Truncated counts the diagnostics left out of Diagnostics (see
// maxPrintedDiags); the counts include them.
type jsonReport struct {
	Valid        bool       `json:"valid"`
	ErrorCount   int        `json:"error_count"`
	WarningCount int        `json:"warning_count"`
	Truncated    int        `json:"truncated,omitempty"`
	Diagnostics  []jsonDiag `json:"diagnostics"`
}

// writeDiagsJSON reports the counts of diags and the diagnostics shown.
// Every string is made valid UTF-8 first (validUTF8), so that the JSON
// reads back as written and the snippet's highlight offsets index the code
// a reader decodes. encoding/json escapes the C0 controls; jsonEscapeC1
// escapes DEL and C1, which it leaves raw. Nothing from the site reaches
// the output as a control character.
func writeDiagsJSON(w io.Writer, files map[string]*hcl.File, diags, shown hcl.Diagnostics) error {
	r := jsonReport{Valid: !diags.HasErrors(), Diagnostics: []jsonDiag{}, Truncated: len(diags) - len(shown)}
	r.ErrorCount, r.WarningCount = countDiags(diags)
	for _, d := range shown {
		jd := jsonDiag{Severity: "error", Summary: validUTF8(d.Summary), Detail: validUTF8(d.Detail)}
		if d.Severity == hcl.DiagWarning {
			jd.Severity = "warning"
		}
		if s := d.Subject; s != nil {
			jd.Range = &jsonRange{Filename: validUTF8(s.Filename),
				Start: jsonPos{s.Start.Line, s.Start.Column, s.Start.Byte},
				End:   jsonPos{s.End.Line, s.End.Column, s.End.Byte}}
			jd.Snippet = snippet(files[s.Filename], *s)
		}
		r.Diagnostics = append(r.Diagnostics, jd)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return err
	}
	_, err := w.Write(jsonEscapeC1(b.Bytes()))
	return err
}

// snippet returns the excerpt of rng's first line (see excerptOf), with
// the highlight's byte offsets relative to the code.
func snippet(f *hcl.File, rng hcl.Range) *jsonSnippet {
	e, ok := excerptOf(f, rng)
	if !ok {
		return nil
	}
	var code strings.Builder
	if e.cutStart {
		code.WriteString(ellipsis)
	}
	code.WriteString(validUTF8(e.before))
	start := code.Len()
	code.WriteString(validUTF8(e.subject))
	end := code.Len()
	code.WriteString(validUTF8(e.rest))
	if e.cutEnd {
		code.WriteString(ellipsis)
	}
	return &jsonSnippet{StartLine: e.line, Code: code.String(), HighlightStartOffset: start, HighlightEndOffset: end}
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
