package lang

import (
	"fmt"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/rogpeppe/go-internal/txtar"
)

// A rule fixture is one txtar archive testdata/rules/<group>/<name>.txtar:
// one case, holding both the site and what loading it must report.
//
// Its files are laid over a copy of testdata/base (a valid site): a file
// with the name of a base file replaces it, any other file is added. A file
// named ../NAME lands next to the site directory, outside it. The member
// "env" is not written: its NAME=VALUE lines are the environment env()
// sees, besides testEnv (the format of langtest.SiteDir, so the fuzz seeds
// get it too).
//
// A line of a *.hcl file that must draw a diagnostic carries a trailing
// comment, one marker per diagnostic:
//
//	# ERROR: <summary> @col <C> -- <detail substring>
//	# WARNING: <summary> @col <C> -- <detail substring>
//
// The diagnostic's subject must start on the marker's line at column C,
// and its detail must contain the text after "--" (to the next marker or
// the end of the line). A diagnostic whose subject lies elsewhere is
// marked with "@line <L> col <C>" (in the same file) or
// "@file <F> line <L> col <C>". A diagnostic without a subject is
// declared in the archive's comment by a line
//
//	ERROR: <summary> -- <detail substring>
//
// The test wants exactly the declared diagnostics. A fixture without
// markers is a site that must load without any diagnostic; its name starts
// with "ok-", and only such fixtures' names do.
//
// Other lines of the comment may set the case up; any other line is prose:
//
//	allow-unresolved          load with Options.AllowUnresolvedSecrets
//	bare                      do not lay the archive over testdata/base
//	skip-as-root              skip when running as root (permission cases)
//	load: <path>              load this path below the site, not the site
//	now: <RFC 3339 time>      judge certificate expiry at this time
//	symlink: <name> -> <target>
//	chmod: <mode> <name>      octal mode, such as 0644
//	size: <name> <bytes>      create or truncate a file to a size (sparse)
//	replace: <name> <old> <new>
//	                          Go-quoted strings; for bytes txtar cannot hold
//
// Files are written first, then replace, size, chmod and symlink run in
// that order, each in the order of its lines.

// fixture is one parsed rule archive.
type fixture struct {
	files   []txtar.File // every member but env
	env     map[string]string
	markers []marker

	allowUnresolved bool
	bare            bool
	skipAsRoot      bool
	load            string
	now             time.Time // the clock certificates are judged by
	steps           []step    // replace, size, chmod and symlink, in run order
}

// step is one setup line of the comment.
type step struct {
	kind string // "replace", "size", "chmod", "symlink"
	args []string
}

// marker is one expected diagnostic.
type marker struct {
	file     string // relative to the site; "" for no subject
	line     int
	col      int
	severity hcl.DiagnosticSeverity
	summary  string
	detail   string // a substring of the detail
	at       string // where the marker was written, for messages
}

func (m marker) String() string {
	sev := "ERROR"
	if m.severity == hcl.DiagWarning {
		sev = "WARNING"
	}
	if m.file == "" {
		return fmt.Sprintf("(no subject) %s: %s -- %s", sev, m.summary, m.detail)
	}
	return fmt.Sprintf("%s:%d,%d %s: %s -- %s", m.file, m.line, m.col, sev, m.summary, m.detail)
}

// parseFixture reads a rule archive.
func parseFixture(name string) (*fixture, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	ar := txtar.Parse(data)
	fx := &fixture{env: map[string]string{}}
	if err := fx.parseComment(string(ar.Comment)); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var hclFiles []txtar.File
	for _, f := range ar.Files {
		switch {
		case f.Name == "env":
			for _, line := range strings.Split(string(f.Data), "\n") {
				if line == "" {
					continue
				}
				k, v, ok := strings.Cut(line, "=")
				if !ok {
					return nil, fmt.Errorf("%s: env line %q is not NAME=VALUE", name, line)
				}
				fx.env[k] = v
			}
			continue
		case strings.HasSuffix(f.Name, ".hcl"):
			hclFiles = append(hclFiles, f)
		}
		fx.files = append(fx.files, f)
	}
	sort.SliceStable(hclFiles, func(i, j int) bool { return hclFiles[i].Name < hclFiles[j].Name })
	for _, f := range hclFiles {
		ms, err := parseMarkers(f.Name, f.Data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		fx.markers = append(fx.markers, ms...)
	}
	return fx, nil
}

var setupLine = regexp.MustCompile(`^(load|now|symlink|chmod|size|replace): (.*)$`)

func (fx *fixture) parseComment(comment string) error {
	for i, line := range strings.Split(comment, "\n") {
		at := fmt.Sprintf("comment line %d", i+1)
		switch line = strings.TrimSpace(line); line {
		case "allow-unresolved":
			fx.allowUnresolved = true
			continue
		case "bare":
			fx.bare = true
			continue
		case "skip-as-root":
			fx.skipAsRoot = true
			continue
		}
		if sev, rest, ok := strings.Cut(line, ": "); ok && (sev == "ERROR" || sev == "WARNING") {
			summary, detail, ok := strings.Cut(rest, " -- ")
			if !ok || strings.TrimSpace(detail) == "" || strings.TrimSpace(summary) == "" {
				return fmt.Errorf("%s: want %s: <summary> -- <detail substring>", at, sev)
			}
			fx.markers = append(fx.markers, marker{severity: severityOf(sev), summary: strings.TrimSpace(summary),
				detail: strings.TrimSpace(detail), at: at})
			continue
		}
		m := setupLine.FindStringSubmatch(line)
		if m == nil {
			continue // prose
		}
		var args []string
		switch m[1] {
		case "load":
			fx.load = m[2]
			continue
		case "now":
			t, err := time.Parse(time.RFC3339, m[2])
			if err != nil {
				return fmt.Errorf("%s: now: %w", at, err)
			}
			fx.now = t
			continue
		case "symlink":
			name, target, ok := strings.Cut(m[2], " -> ")
			if !ok {
				return fmt.Errorf("%s: want symlink: <name> -> <target>", at)
			}
			args = []string{name, target}
		case "chmod", "size":
			args = strings.Fields(m[2])
			if len(args) != 2 {
				return fmt.Errorf("%s: %s takes two words", at, m[1])
			}
		case "replace":
			name, quoted, _ := strings.Cut(m[2], " ")
			args = []string{name}
			for quoted = strings.TrimSpace(quoted); quoted != ""; quoted = strings.TrimSpace(quoted) {
				q, err := strconv.QuotedPrefix(quoted)
				if err != nil {
					return fmt.Errorf("%s: replace: %w", at, err)
				}
				s, _ := strconv.Unquote(q)
				args = append(args, s)
				quoted = quoted[len(q):]
			}
			if len(args) != 3 {
				return fmt.Errorf("%s: want replace: <name> <old> <new> with Go-quoted strings", at)
			}
		}
		fx.steps = append(fx.steps, step{kind: m[1], args: args})
	}
	return nil
}

// markerStart finds the markers of a line: "# ERROR:" or "# WARNING:".
var markerStart = regexp.MustCompile(`#\s*(ERROR|WARNING):`)

// markerBody is what follows "ERROR:" in a *.hcl file.
var markerBody = regexp.MustCompile(`^\s*(.*?)\s+@(?:file\s+(\S+)\s+)?(?:line\s+(\d+)\s+)?col\s+(\d+)\s+--\s+(.*?)\s*$`)

// parseMarkers reads the markers of one *.hcl file.
func parseMarkers(file string, src []byte) ([]marker, error) {
	var out []marker
	for i, line := range strings.Split(string(src), "\n") {
		locs := markerStart.FindAllStringSubmatchIndex(line, -1)
		for k, loc := range locs {
			end := len(line)
			if k+1 < len(locs) {
				end = locs[k+1][0]
			}
			m, err := parseMarker(file, i+1, line[loc[2]:loc[3]], line[loc[1]:end])
			if err != nil {
				return nil, err
			}
			out = append(out, m)
		}
	}
	return out, nil
}

func parseMarker(file string, line int, sev, body string) (marker, error) {
	at := fmt.Sprintf("%s:%d", file, line)
	p := markerBody.FindStringSubmatch(body)
	if p == nil || p[1] == "" || p[5] == "" {
		return marker{}, fmt.Errorf("%s: marker %q: want %s: <summary> @col <C> -- <detail substring>", at, strings.TrimSpace(body), sev)
	}
	m := marker{file: file, line: line, severity: severityOf(sev), summary: p[1], detail: p[5], at: at}
	if p[2] != "" {
		m.file = p[2]
		if p[3] == "" {
			return marker{}, fmt.Errorf("%s: @file needs a line", at)
		}
	}
	if p[3] != "" {
		m.line, _ = strconv.Atoi(p[3])
	}
	m.col, _ = strconv.Atoi(p[4])
	if m.line < 1 || m.col < 1 {
		return marker{}, fmt.Errorf("%s: lines and columns start at 1", at)
	}
	return m, nil
}

func severityOf(s string) hcl.DiagnosticSeverity {
	if s == "WARNING" {
		return hcl.DiagWarning
	}
	return hcl.DiagError
}

// TestFixtureMarkers checks the marker syntax and that compareDiags
// notices each way a diagnostic can differ from its marker.
func TestFixtureMarkers(t *testing.T) {
	src := "a = 1 # ERROR: Bad a @col 5 -- must be # big # WARNING: Odd a @line 3 col 1 -- odd\n" +
		"b = 2 # ERROR: Bad b @file other.hcl line 7 col 2 -- not b\n"
	got, err := parseMarkers("x.hcl", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := []marker{
		{file: "x.hcl", line: 1, col: 5, severity: hcl.DiagError, summary: "Bad a", detail: "must be # big"},
		{file: "x.hcl", line: 3, col: 1, severity: hcl.DiagWarning, summary: "Odd a", detail: "odd"},
		{file: "other.hcl", line: 7, col: 2, severity: hcl.DiagError, summary: "Bad b", detail: "not b"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d markers %v, want %d", len(got), got, len(want))
	}
	for i := range want {
		got[i].at = ""
		if got[i] != want[i] {
			t.Errorf("marker %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	for _, bad := range []string{
		"a = 1 # ERROR: Bad a",                        // no column, no detail
		"a = 1 # ERROR: Bad a -- detail",              // no column
		"a = 1 # ERROR: Bad a @col 5",                 // no detail
		"a = 1 # ERROR: Bad a @col 0 -- detail",       // columns start at 1
		"a = 1 # ERROR: @col 5 -- detail",             // no summary
		"a = 1 # ERROR: Bad a @file y.hcl col 5 -- d", // a file needs a line
	} {
		if ms, err := parseMarkers("x.hcl", []byte(bad)); err == nil {
			t.Errorf("%q parsed as %v", bad, ms)
		}
	}

	dir := "/site"
	diag := func(sev hcl.DiagnosticSeverity, summary, detail string, line, col int) *hcl.Diagnostic {
		return &hcl.Diagnostic{Severity: sev, Summary: summary, Detail: detail, Subject: &hcl.Range{
			Filename: "/site/x.hcl", Start: hcl.Pos{Line: line, Column: col}, End: hcl.Pos{Line: line, Column: col + 1}}}
	}
	m := marker{file: "x.hcl", line: 1, col: 5, severity: hcl.DiagError, summary: "Bad a", detail: "must be"}
	if p := compareDiags(dir, hcl.Diagnostics{diag(hcl.DiagError, "Bad a", "It must be so.", 1, 5)}, []marker{m}); len(p) != 0 {
		t.Errorf("a fitting diagnostic: %v", p)
	}
	for name, d := range map[string]*hcl.Diagnostic{
		"severity": diag(hcl.DiagWarning, "Bad a", "It must be so.", 1, 5),
		"summary":  diag(hcl.DiagError, "Bad b", "It must be so.", 1, 5),
		"line":     diag(hcl.DiagError, "Bad a", "It must be so.", 2, 5),
		"column":   diag(hcl.DiagError, "Bad a", "It must be so.", 1, 6),
		"detail":   diag(hcl.DiagError, "Bad a", "It may be so.", 1, 5),
	} {
		if p := compareDiags(dir, hcl.Diagnostics{d}, []marker{m}); len(p) != 2 {
			t.Errorf("a diagnostic with another %s: %d problems %v, want missing and unexpected", name, len(p), p)
		}
	}
	// Two markers that fit the same diagnostic need two diagnostics, and
	// the pairing does not depend on their order.
	general := m
	general.detail = "be"
	two := hcl.Diagnostics{diag(hcl.DiagError, "Bad a", "It must be so.", 1, 5)}
	if p := compareDiags(dir, two, []marker{general, m}); len(p) != 1 {
		t.Errorf("two markers, one diagnostic: %v", p)
	}
	two = append(two, diag(hcl.DiagError, "Bad a", "Let it be.", 1, 5))
	if p := compareDiags(dir, two, []marker{general, m}); len(p) != 0 {
		t.Errorf("two markers, two diagnostics: %v", p)
	}
}
