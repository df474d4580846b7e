package lang

import (
	"bytes"
	"fmt"

	"github.com/hashicorp/hcl/v2"
)

// MaxSourceSize is the largest site file vtic reads, in bytes.
const MaxSourceSize = maxSourceSize

// CheckSource reports why src cannot be parsed as a site file, or nil: NUL
// bytes (a binary, not text) or nesting too deep for HCL's parser, which
// would overflow its stack. Parse applies the same checks; vtic fmt, which
// parses files itself, calls this first.
func CheckSource(name string, src []byte) *hcl.Diagnostic {
	if bytes.IndexByte(src, 0) >= 0 {
		return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Binary site file",
			Detail: fmt.Sprintf("%s contains NUL bytes; site files are HCL text.", name)}
	}
	return checkNesting(name, src)
}

// ReadSources reads the *.hcl files directly inside dir, keyed by path, with
// the same limits LoadDir applies: regular files only, none larger than
// MaxSourceSize. It is for callers that add or change files in memory before
// loading the site with Options.Sources, as vtic import does.
func ReadSources(dir string) (map[string][]byte, hcl.Diagnostics) {
	return readSources(dir)
}
