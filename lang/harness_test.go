package lang

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/rogpeppe/go-internal/txtar"
)

// The rule tests follow Terraform's fixture style. Each case is an archive
// testdata/rules/<group>/<name>.txtar whose files are laid over a copy of
// testdata/base (a valid site): a file with the name of a base file replaces
// it, any other file is added. A line of a *.hcl file that must draw a
// diagnostic carries a trailing comment
//
//	# ERROR: <summary>    or    # WARNING: <summary>
//
// (several on one line if it draws several). A diagnostic without a source
// position is declared by a line "ERROR: <summary>" in the archive's comment.
// The test checks that exactly the declared diagnostics appear, each with its
// subject starting on the marked line; the table row adds the column and a
// piece of the detail, which a marker cannot say. An archive without markers
// is a site that must load without any diagnostic.

// ruleCase is one row of a rule table.
type ruleCase struct {
	name   string // the archive testdata/rules/<group>/<name>.txtar
	col    int    // Subject.Start.Column of the first marker's diagnostic
	detail string // a substring of its Detail
	more   []at   // the same for each further marker, in file and line order

	env   map[string]string // env() values besides testEnv; "" is set but empty
	bare  bool              // do not lay the archive over the base site
	dir   string            // load this path below the site directory instead
	opts  Options           // AllowUnresolvedSecrets and the like; LookupEnv is set by the harness
	setup func(t *testing.T, dir string)
}

// at is the column and a detail substring of one marked diagnostic. Column 0
// is for a diagnostic without a subject.
type at struct {
	col    int
	detail string
}

// testEnv is the environment every case sees through Options.LookupEnv; the
// base site's tunnel gw1-gw2 uses PSK.
var testEnv = map[string]string{"PSK": "env.key.value.1"}

// marker is one expected diagnostic.
type marker struct {
	file     string // relative to the site; "" for no subject
	line     int
	severity hcl.DiagnosticSeverity
	summary  string
}

func (m marker) String() string {
	sev := "ERROR"
	if m.severity == hcl.DiagWarning {
		sev = "WARNING"
	}
	if m.file == "" {
		return fmt.Sprintf("(no subject) %s: %s", sev, m.summary)
	}
	return fmt.Sprintf("%s:%d %s: %s", m.file, m.line, sev, m.summary)
}

var markerRE = regexp.MustCompile(`#\s*(ERROR|WARNING):\s*([^#]*[^#\s])`)

// parseMarkers reads the markers of one file.
func parseMarkers(file string, src []byte) []marker {
	var out []marker
	for i, line := range strings.Split(string(src), "\n") {
		for _, m := range markerRE.FindAllStringSubmatch(line, -1) {
			out = append(out, marker{file: file, line: i + 1, severity: severityOf(m[1]), summary: m[2]})
		}
	}
	return out
}

func severityOf(s string) hcl.DiagnosticSeverity {
	if s == "WARNING" {
		return hcl.DiagWarning
	}
	return hcl.DiagError
}

// archiveMarkers returns every marker of an archive: the subject-less ones of
// its comment first, then those of its *.hcl files in name and line order.
func archiveMarkers(ar *txtar.Archive) []marker {
	var out []marker
	for _, line := range strings.Split(string(ar.Comment), "\n") {
		if sev, summary, ok := strings.Cut(line, ": "); ok && (sev == "ERROR" || sev == "WARNING") {
			out = append(out, marker{severity: severityOf(sev), summary: strings.TrimSpace(summary)})
		}
	}
	files := append([]txtar.File(nil), ar.Files...)
	sort.SliceStable(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	for _, f := range files {
		if strings.HasSuffix(f.Name, ".hcl") {
			out = append(out, parseMarkers(f.Name, f.Data)...)
		}
	}
	return out
}

// runCases runs one rule table and checks that it covers every archive of
// its group, so that no fixture sits unused.
func runCases(t *testing.T, group string, cases []ruleCase) {
	t.Helper()
	names, err := filepath.Glob(filepath.Join("testdata", "rules", group, "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	inTable := map[string]bool{}
	for _, c := range cases {
		if inTable[c.name] {
			t.Errorf("case %s is listed twice", c.name)
		}
		inTable[c.name] = true
	}
	for _, n := range names {
		if name := strings.TrimSuffix(filepath.Base(n), ".txtar"); !inTable[name] {
			t.Errorf("%s has no row in the table of group %s", n, group)
		}
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { c.run(t, group) })
	}
}

func (c ruleCase) run(t *testing.T, group string) {
	ar, err := txtar.ParseFile(filepath.Join("testdata", "rules", group, c.name+".txtar"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if !c.bare {
		copyTree(t, filepath.Join("testdata", "base"), dir)
	}
	for _, f := range ar.Files {
		writeFile(t, filepath.Join(dir, filepath.FromSlash(f.Name)), f.Data)
	}
	if c.setup != nil {
		c.setup(t, dir)
	}
	env := map[string]string{}
	for k, v := range testEnv {
		env[k] = v
	}
	for k, v := range c.env {
		env[k] = v
	}
	opts := c.opts
	opts.LookupEnv = func(name string) (string, bool) {
		v, ok := env[name]
		return v, ok
	}
	site, diags := LoadDir(filepath.Join(dir, c.dir), opts)

	want := append([]at{{c.col, c.detail}}, c.more...)
	checkDiags(t, dir, diags, archiveMarkers(ar), want)
	checkNoSecretInDiags(t, diags, knownSecrets(t, dir, env, site))
}

// checkDiags matches each marker to one diagnostic and fails on every
// marker without a diagnostic and every diagnostic without a marker.
func checkDiags(t *testing.T, dir string, diags hcl.Diagnostics, markers []marker, want []at) {
	t.Helper()
	if len(markers) != len(want) && !(len(markers) == 0 && len(want) == 1 && want[0] == (at{})) {
		t.Fatalf("the archive has %d markers but the table row describes %d", len(markers), len(want))
	}
	used := make([]bool, len(diags))
	failed := false
	for i, m := range markers {
		best := -1
		for j, d := range diags {
			if used[j] || d.Severity != m.severity || d.Summary != m.summary || relFile(dir, d) != m.file ||
				(m.file != "" && d.Subject.Start.Line != m.line) {
				continue
			}
			if best < 0 {
				best = j
			}
			if subjectColumn(d) == want[i].col && strings.Contains(d.Detail, want[i].detail) {
				best = j
				break
			}
		}
		if best < 0 {
			t.Errorf("missing diagnostic %s", m)
			failed = true
			continue
		}
		used[best] = true
		d := diags[best]
		if col := subjectColumn(d); col != want[i].col {
			t.Errorf("%s: subject starts at column %d, want %d", m, col, want[i].col)
			failed = true
		}
		if !strings.Contains(d.Detail, want[i].detail) {
			t.Errorf("%s: detail %q does not contain %q", m, d.Detail, want[i].detail)
			failed = true
		}
	}
	for j, d := range diags {
		if !used[j] {
			t.Errorf("unexpected diagnostic %s", showDiag(dir, d))
			failed = true
		}
	}
	if failed {
		var b strings.Builder
		for _, d := range diags {
			fmt.Fprintf(&b, "\t%s\n", showDiag(dir, d))
		}
		t.Logf("all diagnostics:\n%s", b.String())
	}
}

func relFile(dir string, d *hcl.Diagnostic) string {
	if d.Subject == nil {
		return ""
	}
	rel, err := filepath.Rel(dir, d.Subject.Filename)
	if err != nil {
		return d.Subject.Filename
	}
	return filepath.ToSlash(rel)
}

func subjectColumn(d *hcl.Diagnostic) int {
	if d.Subject == nil {
		return 0
	}
	return d.Subject.Start.Column
}

func showDiag(dir string, d *hcl.Diagnostic) string {
	sev := "ERROR"
	if d.Severity == hcl.DiagWarning {
		sev = "WARNING"
	}
	pos := "(no subject)"
	if d.Subject != nil {
		pos = fmt.Sprintf("%s:%d,%d", relFile(dir, d), d.Subject.Start.Line, d.Subject.Start.Column)
	}
	return fmt.Sprintf("%s %s: %s: %s", pos, sev, d.Summary, d.Detail)
}

// knownSecrets collects every pre-shared key a case could leak: the
// environment, the files under a secrets directory and what the site read.
func knownSecrets(t *testing.T, dir string, env map[string]string, site *Site) []string {
	var out []string
	for _, v := range env {
		out = append(out, v)
	}
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() || filepath.Base(filepath.Dir(path)) != "secrets" {
			return nil
		}
		if b, err := os.ReadFile(path); err == nil && len(b) < 1024 {
			out = append(out, strings.TrimSpace(string(b)))
		}
		return nil
	})
	if site != nil {
		for _, tn := range site.Tunnels {
			if tn.PSK != nil && tn.PSK.Value != nil {
				out = append(out, string(tn.PSK.Value))
			}
		}
	}
	sort.Strings(out)
	return slices.Compact(out)
}

// checkNoSecretInDiags asserts that no diagnostic repeats a pre-shared key.
// Keys shorter than 4 bytes could match ordinary words and are skipped.
func checkNoSecretInDiags(t *testing.T, diags hcl.Diagnostics, secrets []string) {
	t.Helper()
	for _, d := range diags {
		text := d.Summary + "\n" + d.Detail
		for _, s := range secrets {
			if len(s) >= 4 && strings.Contains(text, s) {
				t.Errorf("diagnostic %q reveals the pre-shared key %q", d.Summary, s)
			}
		}
	}
}

// copyTree copies the regular files of src into dst. Every file gets mode
// 0600, as a site's secrets should have; git does not keep modes, so the
// checkout's modes mean nothing.
func copyTree(t testing.TB, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		writeFile(t, filepath.Join(dst, rel), b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func writeFile(t testing.TB, name string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, data, 0o600); err != nil {
		t.Fatal(err)
	}
	// WriteFile keeps the mode of a file it overwrites.
	if err := os.Chmod(name, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestBaseSite proves the base every fixture is laid over is valid, so that
// a fixture's diagnostics come from the fixture alone.
func TestBaseSite(t *testing.T) {
	dir := t.TempDir()
	copyTree(t, filepath.Join("testdata", "base"), dir)
	site, diags := LoadDir(dir, Options{LookupEnv: func(name string) (string, bool) {
		v, ok := testEnv[name]
		return v, ok
	}})
	for _, d := range diags {
		t.Errorf("base site: %s", showDiag(dir, d))
	}
	if len(site.Routers) != 3 || len(site.Peers) != 4 || len(site.Tunnels) != 2 {
		t.Errorf("base site has %d routers, %d peers, %d tunnels; want 3, 4, 2",
			len(site.Routers), len(site.Peers), len(site.Tunnels))
	}
}
