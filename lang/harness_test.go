package lang

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"
)

// TestRules runs every rule fixture (see fixture_test.go for the format).
// Run one group with -run 'TestRules/mark/' or one case with
// -run 'TestRules/mark/zero$'.
func TestRules(t *testing.T) {
	names, err := filepath.Glob(filepath.Join("testdata", "rules", "*", "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	if len(names) < 100 {
		t.Fatalf("only %d rule fixtures found", len(names))
	}
	for _, name := range names {
		group := filepath.Base(filepath.Dir(name))
		t.Run(group+"/"+strings.TrimSuffix(filepath.Base(name), ".txtar"), func(t *testing.T) {
			runFixture(t, name)
		})
	}
}

// testEnv is the environment every case sees through Options.LookupEnv; the
// base site's tunnel gw1-gw2 uses PSK.
var testEnv = map[string]string{"PSK": "env.key.value.1"}

func runFixture(t *testing.T, name string) {
	fx, err := parseFixture(name)
	if err != nil {
		t.Fatal(err)
	}
	if ok := strings.HasPrefix(filepath.Base(name), "ok-"); ok != (len(fx.markers) == 0) {
		t.Fatalf("%d markers: a fixture has none exactly when its name starts with ok-", len(fx.markers))
	}
	if fx.skipAsRoot && os.Geteuid() == 0 {
		t.Skip("root is not stopped by file modes")
	}
	// The site is a directory of its own, so that a file ../NAME lies
	// outside it.
	top := t.TempDir()
	dir := filepath.Join(top, "site")
	if !fx.bare {
		copyTree(t, filepath.Join("testdata", "base"), dir)
		writeTestPKI(t, dir)
	}
	inTop := func(rel string) string {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if r, err := filepath.Rel(top, p); err != nil || !filepath.IsLocal(r) {
			t.Fatalf("%s leaves the test's directory", rel)
		}
		return p
	}
	for _, f := range fx.files {
		writeFile(t, inTop(f.Name), f.Data)
	}
	for _, s := range fx.steps {
		s.run(t, inTop)
	}
	env := map[string]string{}
	for k, v := range testEnv {
		env[k] = v
	}
	for k, v := range fx.env {
		env[k] = v
	}
	now := fixtureNow
	if !fx.now.IsZero() {
		now = fx.now
	}
	opts := Options{Now: func() time.Time { return now }, AllowUnresolvedSecrets: fx.allowUnresolved, LookupEnv: func(name string) (string, bool) {
		v, ok := env[name]
		return v, ok
	}}
	site, diags := LoadDir(filepath.Join(dir, filepath.FromSlash(fx.load)), opts)

	problems := compareDiags(dir, diags, fx.markers)
	for _, p := range problems {
		t.Error(p)
	}
	if len(problems) > 0 {
		var b strings.Builder
		for _, d := range diags {
			fmt.Fprintf(&b, "\t%s\n", showDiag(dir, d))
		}
		t.Logf("all diagnostics:\n%s", b.String())
	}
	checkNoSecretInDiags(t, diags, knownSecrets(t, top, env, site))
}

// run carries out one setup step; path maps an archive name to a path.
func (s step) run(t *testing.T, path func(string) string) {
	t.Helper()
	name := path(s.args[0])
	var err error
	switch s.kind {
	case "replace":
		var b []byte
		if b, err = os.ReadFile(name); err == nil {
			if !strings.Contains(string(b), s.args[1]) {
				t.Fatalf("replace: %s does not contain %q", s.args[0], s.args[1])
			}
			err = os.WriteFile(name, []byte(strings.ReplaceAll(string(b), s.args[1], s.args[2])), 0o600)
		}
	case "size":
		var n int64
		if n, err = strconv.ParseInt(s.args[1], 10, 64); err == nil {
			var f *os.File
			if f, err = os.OpenFile(name, os.O_CREATE|os.O_WRONLY, 0o600); err == nil {
				err = errors.Join(f.Truncate(n), f.Close())
			}
		}
	case "chmod":
		var mode uint64
		if mode, err = strconv.ParseUint(s.args[0], 8, 32); err == nil {
			err = os.Chmod(path(s.args[1]), os.FileMode(mode))
		}
	case "symlink":
		if err = os.MkdirAll(filepath.Dir(name), 0o700); err == nil {
			err = os.Symlink(filepath.FromSlash(s.args[1]), name)
		}
	}
	if err != nil {
		t.Fatalf("%s %s: %v", s.kind, strings.Join(s.args, " "), err)
	}
}

// compareDiags pairs markers with diagnostics and returns a line for every
// marker without a diagnostic and every diagnostic without a marker. A
// diagnostic fits a marker when severity, summary, file, line and column
// are the marker's and its detail contains the marker's text. The pairing
// is a maximum matching, so the order of markers on a line does not matter.
func compareDiags(dir string, diags hcl.Diagnostics, markers []marker) []string {
	fits := func(m marker, d *hcl.Diagnostic) bool {
		return d.Severity == m.severity && d.Summary == m.summary && relFile(dir, d) == m.file &&
			(m.file == "" || d.Subject.Start.Line == m.line && d.Subject.Start.Column == m.col) &&
			strings.Contains(d.Detail, m.detail)
	}
	owner := make([]int, len(diags)) // marker index + 1 of each diagnostic
	var try func(i int, seen []bool) bool
	try = func(i int, seen []bool) bool {
		for j, d := range diags {
			if seen[j] || !fits(markers[i], d) {
				continue
			}
			seen[j] = true
			if owner[j] == 0 || try(owner[j]-1, seen) {
				owner[j] = i + 1
				return true
			}
		}
		return false
	}
	var problems []string
	for i, m := range markers {
		if !try(i, make([]bool, len(diags))) {
			problems = append(problems, fmt.Sprintf("%s: missing diagnostic %s%s", m.at, m, nearest(dir, diags, m)))
		}
	}
	for j, d := range diags {
		if owner[j] == 0 {
			problems = append(problems, "unexpected diagnostic "+showDiag(dir, d))
		}
	}
	return problems
}

// nearest describes a diagnostic with the marker's summary, to say what
// about a missing one was wrong.
func nearest(dir string, diags hcl.Diagnostics, m marker) string {
	for _, d := range diags {
		if d.Summary == m.summary {
			return "; found " + showDiag(dir, d)
		}
	}
	return ""
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
// environment, the *.psk files and those under a secrets directory below
// dir, and what the site read.
func knownSecrets(t *testing.T, dir string, env map[string]string, site *Site) []string {
	var out []string
	for _, v := range env {
		out = append(out, v)
	}
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() || (filepath.Base(filepath.Dir(path)) != "secrets" && filepath.Ext(path) != ".psk") {
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
