// Package bad is input for TestSummariesAreLiteral, never compiled: every
// line ending in a FLAG comment must be reported by summarycheck, and no
// other line.
package bad

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
)

const (
	dupMark   = "Duplicate mark"
	sentence  = "The mark is used twice."
	fragments = "Duplicate " + "mark"
)

func errorAt(rng hcl.Range, summary, detail string) *hcl.Diagnostic {
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: &rng}
}

func warningAt(rng hcl.Range, summary, detail string) *hcl.Diagnostic {
	d := errorAt(rng, summary, detail)
	d.Severity = hcl.DiagWarning
	return d
}

type reporter struct{}

func (reporter) report(rng hcl.Range, summary string) {}

func diagnostics(rng hcl.Range, what string, r reporter) hcl.Diagnostics {
	summary := "Ambiguous mark"
	r.report(rng, "Unused "+what) // FLAG
	r.report(rng, "Unused mark")
	return hcl.Diagnostics{
		{Severity: hcl.DiagError, Summary: "Ambiguous " + what}, // FLAG
		{Severity: hcl.DiagError, Summary: "Ambiguous mark"},
		&hcl.Diagnostic{Summary: fmt.Sprintf("Ambiguous %s", what)}, // FLAG
		&hcl.Diagnostic{Summary: dupMark},
		&hcl.Diagnostic{Summary: sentence},                       // FLAG
		&hcl.Diagnostic{Summary: fragments},                      // FLAG
		&hcl.Diagnostic{Summary: summary},                        // FLAG
		&hcl.Diagnostic{Detail: "no summary at all"},             // FLAG
		errorAt(rng, "Duplicate "+what, "Marks must be unique."), // FLAG
		errorAt(rng, "Duplicate mark", "Marks must be unique."),
		warningAt(rng, "Duplicate mark.", "Marks must be unique."), // FLAG
		warningAt(rng, (dupMark), "Marks must be unique."),
		warningAt(rng, what, "Marks must be unique."), // FLAG
	}
}

func assigned(d *hcl.Diagnostic, what string) {
	d.Summary = "Ambiguous " + what // FLAG
	d.Summary = "Ambiguous mark"
}
