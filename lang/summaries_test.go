package lang

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vtic/vtic/internal/testkit/summarycheck"
)

// TestSummariesAreLiteral holds every diagnostic summary of the module's
// non-test code to STYLE.md: written out as a string literal or a named
// constant where the diagnostic is made (so grepping a message finds its
// rule), and a phrase without a final period.
func TestSummariesAreLiteral(t *testing.T) {
	root, err := summarycheck.ModuleRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	res, err := summarycheck.CheckModule(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range res.Problems {
		rel, err := filepath.Rel(root, p.Pos.Filename)
		if err != nil {
			rel = p.Pos.Filename
		}
		t.Errorf("%s:%d: %s", rel, p.Pos.Line, p.Reason)
	}
	// A checker that found nothing to check proves nothing: lang alone
	// makes dozens of diagnostics through errorAt and warningAt.
	for _, h := range []string{"lang.errorAt", "lang.warningAt"} {
		if !slices.Contains(res.Helpers, h) {
			t.Errorf("helper %s not found; found %v", h, res.Helpers)
		}
	}
	if res.Sites < 50 {
		t.Errorf("only %d diagnostics checked", res.Sites)
	}
}

// TestSummaryCheckerFails runs the checker on testdata/summaries, whose
// lines marked "// FLAG" break the rules, and wants exactly those lines
// reported.
func TestSummaryCheckerFails(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "summaries", "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no input in testdata/summaries: %v", err)
	}
	res, err := summarycheck.Check(files, "", "")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		for n := 1; sc.Scan(); n++ {
			if strings.HasSuffix(sc.Text(), "// FLAG") {
				want[fmt.Sprintf("%s:%d", name, n)] = true
			}
		}
		f.Close()
	}
	got := map[string]bool{}
	for _, p := range res.Problems {
		key := fmt.Sprintf("%s:%d", p.Pos.Filename, p.Pos.Line)
		got[key] = true
		if !want[key] {
			t.Errorf("%s: reported, but not marked FLAG: %s", key, p.Reason)
		}
	}
	for key := range want {
		if !got[key] {
			t.Errorf("%s: marked FLAG, but not reported", key)
		}
	}
}
