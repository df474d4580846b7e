package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
)

// A site with one error (an argument HCL does not know, on line 4) and one
// warning (a key written inline, on line 11).
const validateSite = `router "gw1" {
  asn     = 65001
  outside = "192.0.2.1"
  foo     = 1
}
router "gw2" {
  asn     = 65002
  outside = "203.0.113.1"
}
tunnel "gw1-gw2" {
  psk = "inline-key-1234"
  end "gw1" {
    interface = "vti1"
    inside    = "169.254.20.1/30"
  }
  end "gw2" {
    interface = "vti1"
    inside    = "169.254.20.2/30"
  }
}
`

func writeSite(t testing.TB, src string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "site"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "site", "site.hcl"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func keys(m map[string]any) []string {
	var k []string
	for key := range m {
		k = append(k, key)
	}
	sort.Strings(k)
	return k
}

// TestValidateJSONSchema pins the schema of `vtic validate -json`: these
// names are an interface for CI scripts and editors.
func TestValidateJSONSchema(t *testing.T) {
	bin := vticPath(t)
	dir := writeSite(t, validateSite)
	for _, args := range [][]string{{"validate", "-json", "site"}, {"validate", "--format", "json", "site"}} {
		res := runVtic(t, bin, dir, baseEnv(t), args...)
		if res.code != 1 {
			t.Fatalf("%v: exit code %d, want 1\n%s", args, res.code, res.stderr)
		}
		var report map[string]any
		if err := json.Unmarshal([]byte(res.stdout), &report); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, res.stdout)
		}
		if d := cmp.Diff([]string{"diagnostics", "error_count", "valid", "warning_count"}, keys(report)); d != "" {
			t.Errorf("top-level keys (-want +got):\n%s", d)
		}
		if report["valid"] != false || report["error_count"] != 1.0 || report["warning_count"] != 1.0 {
			t.Errorf("valid, error_count, warning_count = %v, %v, %v; want false, 1, 1",
				report["valid"], report["error_count"], report["warning_count"])
		}
		diags, _ := report["diagnostics"].([]any)
		if len(diags) != 2 {
			t.Fatalf("%d diagnostics, want 2", len(diags))
		}
		for _, d := range diags {
			d := d.(map[string]any)
			if got := keys(d); !cmp.Equal(got, []string{"detail", "range", "severity", "snippet", "summary"}) {
				t.Errorf("diagnostic keys %v", got)
			}
			rng := d["range"].(map[string]any)
			if d := cmp.Diff([]string{"end", "filename", "start"}, keys(rng)); d != "" {
				t.Errorf("range keys (-want +got):\n%s", d)
			}
			for _, end := range []string{"start", "end"} {
				if d := cmp.Diff([]string{"byte", "column", "line"}, keys(rng[end].(map[string]any))); d != "" {
					t.Errorf("%s keys (-want +got):\n%s", end, d)
				}
			}
			if d := cmp.Diff([]string{"code", "highlight_end_offset", "highlight_start_offset", "start_line"}, keys(d["snippet"].(map[string]any))); d != "" {
				t.Errorf("snippet keys (-want +got):\n%s", d)
			}
		}

		// The error comes first (sorted by position) and its range and
		// snippet point at "foo" on line 4.
		first := diags[0].(map[string]any)
		if first["severity"] != "error" || first["summary"] != "Unsupported argument" {
			t.Errorf("first diagnostic: %v %q", first["severity"], first["summary"])
		}
		rng := first["range"].(map[string]any)
		start, end := rng["start"].(map[string]any), rng["end"].(map[string]any)
		line4 := strings.Index(validateSite, "  foo")
		wantStart := map[string]any{"line": 4.0, "column": 3.0, "byte": float64(line4 + 2)}
		wantEnd := map[string]any{"line": 4.0, "column": 6.0, "byte": float64(line4 + 5)}
		if rng["filename"] != filepath.Join("site", "site.hcl") || !cmp.Equal(start, wantStart) || !cmp.Equal(end, wantEnd) {
			t.Errorf("range = %v", rng)
		}
		snip := first["snippet"].(map[string]any)
		wantSnip := map[string]any{"start_line": 4.0, "code": "  foo     = 1", "highlight_start_offset": 2.0, "highlight_end_offset": 5.0}
		if d := cmp.Diff(wantSnip, snip); d != "" {
			t.Errorf("snippet (-want +got):\n%s", d)
		}
		if second := diags[1].(map[string]any); second["severity"] != "warning" {
			t.Errorf("second diagnostic severity %v, want warning", second["severity"])
		}
	}
}

// TestValidateJSONValid: a valid site prints an empty list, not null, and
// warnings do not make it invalid.
func TestValidateJSONValid(t *testing.T) {
	bin := vticPath(t)
	dir := writeSite(t, strings.Replace(validateSite, "  foo     = 1\n", "", 1))
	res := runVtic(t, bin, dir, baseEnv(t), "validate", "-json", "site")
	if res.code != 0 {
		t.Fatalf("exit code %d, want 0\n%s%s", res.code, res.stdout, res.stderr)
	}
	var report struct {
		Valid        bool              `json:"valid"`
		ErrorCount   int               `json:"error_count"`
		WarningCount int               `json:"warning_count"`
		Diagnostics  []json.RawMessage `json:"diagnostics"`
	}
	if err := json.Unmarshal([]byte(res.stdout), &report); err != nil {
		t.Fatal(err)
	}
	if !report.Valid || report.ErrorCount != 0 || report.WarningCount != 1 || len(report.Diagnostics) != 1 {
		t.Errorf("report = %+v", report)
	}

	noWarn := writeSite(t, strings.Replace(strings.Replace(validateSite, "  foo     = 1\n", "", 1),
		`psk = "inline-key-1234"`, `psk = env("VTIC_TEST_VALIDATE_PSK")`, 1))
	res = runVtic(t, bin, noWarn, append(baseEnv(t), "VTIC_TEST_VALIDATE_PSK=env-key-12345"), "validate", "-json", "site")
	if res.code != 0 || !strings.Contains(res.stdout, `"diagnostics": []`) {
		t.Errorf("exit code %d, stdout:\n%s", res.code, res.stdout)
	}
}

// TestValidateGitHub: one workflow command per diagnostic, with the file
// position GitHub needs to annotate the line.
func TestValidateGitHub(t *testing.T) {
	bin := vticPath(t)
	dir := writeSite(t, validateSite)
	res := runVtic(t, bin, dir, baseEnv(t), "validate", "--format", "github", "site")
	if res.code != 1 {
		t.Fatalf("exit code %d, want 1", res.code)
	}
	lines := strings.Split(strings.TrimSuffix(res.stdout, "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines, want 2:\n%s", len(lines), res.stdout)
	}
	want := "::error file=site/site.hcl,line=4,col=3,endLine=4,endColumn=6,title=Unsupported argument::Unsupported argument: "
	if !strings.HasPrefix(lines[0], want) {
		t.Errorf("first line:\n%s\nwant prefix:\n%s", lines[0], want)
	}
	if !strings.HasPrefix(lines[1], "::warning file=site/site.hcl,line=11,") {
		t.Errorf("second line: %s", lines[1])
	}
}

// TestGitHubEscaping: the property and message escapes of GitHub's
// workflow commands, so a detail cannot end the command early.
func TestGitHubEscaping(t *testing.T) {
	var b strings.Builder
	writeGitHub(&b, &hcl.Diagnostic{
		Severity: hcl.DiagWarning, Summary: "a: b, c", Detail: "100%\r\nsure",
		Subject: &hcl.Range{Filename: "x,y:z.hcl", Start: hcl.Pos{Line: 1, Column: 2}, End: hcl.Pos{Line: 3, Column: 4}},
	})
	want := "::warning file=x%2Cy%3Az.hcl,line=1,col=2,endLine=3,endColumn=4,title=a%3A b%2C c::a: b, c: 100%25\\r\\nsure\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

// TestValidateNoSecrets: --no-secrets lets a key that cannot be read pass,
// as CI needs, and checks everything else all the same.
func TestValidateNoSecrets(t *testing.T) {
	bin := vticPath(t)
	src := strings.Replace(validateSite, `psk = "inline-key-1234"`, `psk = file("secrets/gw1-gw2.psk")`, 1)
	valid := writeSite(t, strings.Replace(src, "  foo     = 1\n", "", 1))
	if res := runVtic(t, bin, valid, baseEnv(t), "validate", "site"); res.code != 1 || !strings.Contains(res.stderr, "Secret file not found") {
		t.Errorf("without --no-secrets: exit code %d, stderr:\n%s", res.code, res.stderr)
	}
	if res := runVtic(t, bin, valid, baseEnv(t), "validate", "--no-secrets", "site"); res.code != 0 {
		t.Errorf("with --no-secrets: exit code %d, stderr:\n%s", res.code, res.stderr)
	}
	invalid := writeSite(t, src)
	if res := runVtic(t, bin, invalid, baseEnv(t), "validate", "--no-secrets", "site"); res.code != 1 || !strings.Contains(res.stderr, "Unsupported argument") {
		t.Errorf("invalid site with --no-secrets: exit code %d, stderr:\n%s", res.code, res.stderr)
	}
}
