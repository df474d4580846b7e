package awsimport

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/vtic/vtic/lang"
)

// A site can hold anything: a FIFO or a link to a device where a site
// file or a key file should be, or a file too large to be a site file.
// Import must stop with a clear error, soon, and write nothing, instead of
// waiting forever on the FIFO or reading /dev/zero until memory runs out.
func TestImportHostileSite(t *testing.T) {
	const key1 = "secrets/vpn-05e0fe17-t1.psk"
	fifo := func(t *testing.T, p string) {
		if err := syscall.Mkfifo(p, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	zero := func(t *testing.T, p string) {
		if err := os.Symlink("/dev/zero", p); err != nil {
			t.Fatal(err)
		}
	}
	huge := func(t *testing.T, p string) {
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Truncate(p, lang.MaxSourceSize+1); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name    string
		path    string // relative to the site
		plant   func(t *testing.T, p string)
		wantErr string
		summary string // of an error diagnostic, "" for none
	}{
		{"FIFO as site file", "evil.hcl", fifo, "cannot read the site", "Cannot read site file"},
		{"link to /dev/zero as site file", "zero.hcl", zero, "cannot read the site", "Site file is a symbolic link"},
		{"oversized site file", "huge.hcl", huge, "cannot read the site", "Site file too large"},
		{"FIFO as the generated file", "aws-vpn-05e0fe17.hcl", fifo, "cannot read the site", "Cannot read site file"},
		{"FIFO as key file", key1, fifo, filepath.FromSlash(key1) + " is not a regular file but a named pipe (FIFO)", ""},
		{"link to /dev/zero as key file", key1, zero, filepath.FromSlash(key1) + " is not a regular file but a symbolic link", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			site, file := importSite(t, gw1, same)
			p := filepath.Join(site, filepath.FromSlash(tc.path))
			if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
				t.Fatal(err)
			}
			tc.plant(t, p)
			before := lstatTree(t, filepath.Dir(site))
			type result struct {
				res   *Imported
				diags hcl.Diagnostics
				err   error
			}
			done := make(chan result, 1)
			go func() {
				res, diags, err := Import(context.Background(), ImportOptions{File: file, SiteDir: site, Router: "gw1"})
				done <- result{res, diags, err}
			}()
			var got result
			select {
			case got = <-done:
			case <-time.After(20 * time.Second):
				t.Fatal("Import did not return within 20s")
			}
			if got.err == nil || !strings.Contains(got.err.Error(), tc.wantErr) {
				t.Fatalf("Import error = %v, want one containing %q\n%s", got.err, tc.wantErr, describeDiags(got.diags))
			}
			if tc.summary != "" && !hasError(got.diags, tc.summary) {
				t.Errorf("no error %q among:\n%s", tc.summary, describeDiags(got.diags))
			}
			if len(got.res.Written) > 0 {
				t.Errorf("wrote %v", got.res.Written)
			}
			if after := lstatTree(t, filepath.Dir(site)); after != before {
				t.Errorf("files changed:\nbefore:\n%s\nafter:\n%s", before, after)
			}
		})
	}
}

func hasError(diags hcl.Diagnostics, summary string) bool {
	for _, d := range diags {
		if d.Severity == hcl.DiagError && d.Summary == summary {
			return true
		}
	}
	return false
}

// lstatTree describes everything under dir without following links or
// opening anything but regular files: name, type, mode, and a regular
// file's content.
func lstatTree(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		b.WriteString(rel + " " + info.Mode().String())
		if info.Mode().IsRegular() && info.Size() < 1<<20 {
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			b.WriteString(" " + string(data))
		}
		b.WriteString("\n")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// Import never writes a key the site then refuses: for a key in the AWS
// text that breaks lang's rules for AWS keys, it writes nothing and
// reports an error at the key's line of the AWS text; a key it does write,
// the site as loaded from disk afterwards accepts.
func TestImportWritesOnlyKeysLangAccepts(t *testing.T) {
	const key = "xxxx1DEJB2wtXzc4jYRGvADIhVLxxxxx"
	const keyLine = 33
	for _, k := range []string{
		"abcdefg",               // too short
		"0abcdefgh",             // starts with 0
		"abc-defgh",             // a byte AWS does not allow
		`abc"defgh`,             // a quote, which would break the generated text
		"abc def.gh",            // a space
		strings.Repeat("k", 65), // too long for AWS
		"abcdefgh\x01",          // not printable
		"abcdefgh",              // fine
		"abc_def.gh",            // fine
		strings.Repeat("k", 64), // fine
	} {
		t.Run(fmt.Sprintf("%q", k), func(t *testing.T) {
			refused := langRefusesAWSKey(t, k)
			site, file := importSite(t, gw1, func(s string) string { return strings.Replace(s, key, k, 1) })
			before := lstatTree(t, filepath.Dir(site))
			res, diags, err := Import(context.Background(), ImportOptions{File: file, SiteDir: site, Router: "gw1"})
			if !refused {
				if err != nil {
					t.Fatalf("lang accepts %q, but Import failed: %v\n%s", k, err, describeDiags(diags))
				}
				if _, ds := lang.LoadDir(site, lang.Options{}); ds.HasErrors() {
					t.Fatalf("the site Import wrote does not load:\n%s", describeDiags(ds))
				}
				return
			}
			if err == nil {
				t.Fatalf("Import wrote %q, which lang refuses", k)
			}
			if len(res.Written) > 0 {
				t.Errorf("wrote %v", res.Written)
			}
			if after := lstatTree(t, filepath.Dir(site)); after != before {
				t.Errorf("files changed:\nbefore:\n%s\nafter:\n%s", before, after)
			}
			found := false
			for _, d := range diags {
				if d.Severity == hcl.DiagError && d.Subject != nil && d.Subject.Filename == file && d.Subject.Start.Line == keyLine {
					found = true
				}
			}
			if !found {
				t.Errorf("no error at %s:%d among:\n%s", file, keyLine, describeDiags(diags))
			}
		})
	}
}
