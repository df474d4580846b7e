package awsimport

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

// importSite makes a site directory with one router and returns it with
// the path of a copy of the sample text, changed by edit.
func importSite(t *testing.T, router string, edit func(string) string) (site, file string) {
	t.Helper()
	dir := t.TempDir()
	site = filepath.Join(dir, "site")
	if err := os.Mkdir(site, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(site, "router.hcl"), router, 0o644)
	file = filepath.Join(dir, "aws.txt")
	writeFile(t, file, edit(readSample(t)), 0o600)
	return site, file
}

const gw1 = `router "gw1" {
  asn     = 65003
  outside = "198.51.100.38"
}
`

func same(s string) string { return s }

// TestImport runs the whole import: the files are written, the site they
// make is valid, and a second run changes nothing.
func TestImport(t *testing.T) {
	site, file := importSite(t, gw1, same)
	opts := ImportOptions{File: file, SiteDir: site, Router: "gw1"}
	res, diags, err := Import(context.Background(), opts)
	if err != nil {
		t.Fatalf("Import: %v\n%s", err, describeDiags(diags))
	}
	if res.SiteFile != "aws-vpn-05e0fe17.hcl" {
		t.Errorf("SiteFile = %q", res.SiteFile)
	}
	// Only the two warnings about the redacted customer gateway address.
	src := readSample(t)
	checkDiags(t, file, src, diags, []wantDiag{
		{87, "63.2xx.2xx.38", "Customer gateway address not checked", "router's outside address 198.51.100.38"},
		{183, "63.2xx.2xx.38", "Customer gateway address not checked", "router's outside address 198.51.100.38"},
	})
	if f := res.Files[file]; f == nil {
		t.Errorf("Files lacks the AWS text %s", file)
	} else {
		checkRedacted(t, src, f.Bytes)
	}
	want := map[string]FileStatus{"secrets/vpn-05e0fe17-t1.psk": Created, "secrets/vpn-05e0fe17-t2.psk": Created, "aws-vpn-05e0fe17.hcl": Created}
	checkWritten(t, res.Written, want)

	again, _, err := Import(context.Background(), opts)
	if err != nil {
		t.Fatalf("second Import: %v", err)
	}
	for p := range want {
		want[p] = Unchanged
	}
	checkWritten(t, again.Written, want)
}

// secondVPN turns the sample into another VPN connection of the same
// customer gateway: another ID, other AWS endpoints and inside networks.
func secondVPN(s string) string {
	return strings.NewReplacer("vpn-05e0fe17", "vpn-0abc1234", "169.254.13.", "169.254.14.",
		"52.25.31.90", "52.25.31.91", "52.39.14.106", "52.39.14.107").Replace(s)
}

// TestImportSecondVPN imports two VPNs onto one router without naming
// interfaces: the second takes the next free ones, stepping over names and
// derived marks the router uses, and importing either again changes
// nothing.
func TestImportSecondVPN(t *testing.T) {
	site, first := importSite(t, gw1+`router "gw2" {
  outside = "198.51.100.39"
}
tunnel "mine" {
  mark = 36
  psk  = env("VTIC_NO_SUCH_KEY")
  end "gw2" {
    interface = "vti3"
    inside    = "169.254.99.2/30"
  }
  end "gw1" {
    interface = "vti5"
    inside    = "169.254.99.1/30"
  }
}
`, same)
	second := filepath.Join(filepath.Dir(site), "aws2.txt")
	writeFile(t, second, secondVPN(readSample(t)), 0o600)
	for _, file := range []string{first, second} {
		if _, diags, err := Import(context.Background(), ImportOptions{File: file, SiteDir: site, Router: "gw1"}); err != nil {
			t.Fatalf("Import %s: %v\n%s", file, err, describeDiags(diags))
		}
	}
	// gw1 has vti5 with mark 36 (written), then vti1 and vti2 from the
	// first VPN (marks 12, 24). For the second: vti3 would derive 36,
	// taken; vti4 derives 50; vti5 is taken; vti6 derives 74.
	for file, want := range map[string][]string{
		"aws-vpn-05e0fe17.hcl": {`interface = "vti1"`, `interface = "vti2"`},
		"aws-vpn-0abc1234.hcl": {`interface = "vti4"`, `interface = "vti6"`},
	} {
		b, err := os.ReadFile(filepath.Join(site, file))
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range want {
			if !strings.Contains(string(b), w) {
				t.Errorf("%s lacks %s:\n%s", file, w, b)
			}
		}
	}
	for _, file := range []string{first, second} {
		res, diags, err := Import(context.Background(), ImportOptions{File: file, SiteDir: site, Router: "gw1"})
		if err != nil {
			t.Fatalf("Import %s again: %v\n%s", file, err, describeDiags(diags))
		}
		for _, w := range res.Written {
			if w.Status != Unchanged {
				t.Errorf("importing %s again: %s %v", file, w.Path, w.Status)
			}
		}
	}
}

func checkWritten(t *testing.T, got []WrittenFile, want map[string]FileStatus) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("written %v, want %v", got, want)
	}
	for _, w := range got {
		if s, ok := want[w.Path]; !ok || s != w.Status {
			t.Errorf("written %s: %v, want %v", w.Path, w.Status, s)
		}
	}
}

// TestImportRefuses covers each way an import stops: nothing is written,
// the error says why, and the diagnostics point where the problem is.
func TestImportRefuses(t *testing.T) {
	clash := gw1 + `router "gw2" {
  outside = "198.51.100.39"
}
tunnel "mine" {
  psk = env("VTIC_NO_SUCH_KEY")
  end "gw1" {
    interface = "vti2"
    inside    = "169.254.99.1/30"
  }
  end "gw2" {
    interface = "vti1"
    inside    = "169.254.99.2/30"
  }
}
`
	tests := []struct {
		name    string
		router  string
		edit    func(string) string
		opts    func(*ImportOptions)
		wantErr string
		summary string // of an error diagnostic, "" for none
		file    string // the file it points into: "aws" or the site file's base name
		line    int
	}{
		{"bad key in the AWS text", gw1, func(s string) string { return strings.Replace(s, "xxxx1DEJB2wt", "0xxx1DEJB2wt", 1) }, nil,
			"the AWS configuration has errors; nothing was written", "Invalid pre-shared key for AWS", "aws", 33},
		{"unknown router", gw1, same, func(o *ImportOptions) { o.Router = "nope" },
			`no router named "nope"`, "", "", 0},
		{"router of another customer gateway", gw1, func(s string) string { return strings.ReplaceAll(s, "63.2xx.2xx.38", "63.1.2.3") }, nil,
			"does not fit the site; nothing was written", "Customer gateway is another router", "aws", 87},
		{"clash with a tunnel of the site", clash, same, func(o *ImportOptions) { o.Interfaces = []string{"vti1", "vti2"} },
			"would make the site invalid; nothing was written", "Duplicate interface", "router.hcl", 11},
		{"interface lang refuses", gw1, same, func(o *ImportOptions) { o.Interfaces = []string{"vti1", "all"} },
			"does not fit the site; nothing was written", "Invalid interface name", "", 0},
		{"no site", gw1, same, func(o *ImportOptions) { o.SiteDir += "-missing" },
			"cannot read the site", "Cannot read site directory", "", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			site, file := importSite(t, tc.router, tc.edit)
			opts := ImportOptions{File: file, SiteDir: site, Router: "gw1"}
			if tc.opts != nil {
				tc.opts(&opts)
			}
			before := snapshot(t, filepath.Dir(site))
			res, diags, err := Import(context.Background(), opts)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("Import error = %v, want one containing %q\n%s", err, tc.wantErr, describeDiags(diags))
			}
			if len(res.Written) > 0 {
				t.Errorf("wrote %v", res.Written)
			}
			if after := snapshot(t, filepath.Dir(site)); !reflect.DeepEqual(after, before) {
				t.Errorf("files changed:\nbefore %v\nafter  %v", before, after)
			}
			var found *hcl.Diagnostic
			for _, d := range diags {
				if d.Severity == hcl.DiagError && d.Summary == tc.summary && found == nil {
					found = d
				}
			}
			switch {
			case tc.summary == "" && diags.HasErrors():
				t.Errorf("unexpected error diagnostics:\n%s", describeDiags(diags))
			case tc.summary != "" && found == nil:
				t.Fatalf("no error %q among:\n%s", tc.summary, describeDiags(diags))
			case found == nil || tc.file == "":
			case found.Subject == nil || found.Subject.Start.Line != tc.line:
				t.Errorf("%q is at %v, want line %d", tc.summary, found.Subject, tc.line)
			default:
				want := file
				if tc.file != "aws" {
					want = filepath.Join(site, tc.file)
				}
				if found.Subject.Filename != want || res.Files[want] == nil {
					t.Errorf("%q points into %s, want %s, with its text in Files", tc.summary, found.Subject.Filename, want)
				}
			}
		})
	}
}
