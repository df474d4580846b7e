package lang

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
)

// errorAt builds an error diagnostic whose subject is rng. Summaries are short
// noun phrases; details are sentences that tell the user what to do.
func errorAt(rng hcl.Range, summary, detail string, args ...any) *hcl.Diagnostic {
	r := rng
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  summary,
		Detail:   fmt.Sprintf(detail, args...),
		Subject:  &r,
	}
}

// warningAt is errorAt for advice that does not stop a build.
func warningAt(rng hcl.Range, summary, detail string, args ...any) *hcl.Diagnostic {
	d := errorAt(rng, summary, detail, args...)
	d.Severity = hcl.DiagWarning
	return d
}

// where formats a range as "file:line,col" for details that cite a second
// location, such as the first declaration of a duplicate.
func where(rng hcl.Range) string {
	return fmt.Sprintf("%s:%d,%d", rng.Filename, rng.Start.Line, rng.Start.Column)
}
