package awsimport

import (
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse feeds arbitrary text to Parse, and anything it accepts to
// Generate: neither may panic, every problem must point at a real line, and
// whatever Generate renders must be valid HCL.
func FuzzParse(f *testing.F) {
	b, err := os.ReadFile(filepath.Join("testdata", sampleName))
	if err != nil {
		f.Fatal(err)
	}
	sample := string(b)
	for _, s := range []string{sample, messy(sample), staticNextHop(sample), swapTunnels(removeBGP(sample, 2)), ""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		cfg, diags := Parse("fuzz.txt", src)
		if cfg == nil || cfg.File == nil || len(cfg.File.Bytes) != len(src) {
			t.Fatal("Parse returned no config, or no text for diagnostics of the source's length")
		}
		lines := strings.Count(string(src), "\n") + 1
		for _, d := range diags {
			if d.Summary == "" || d.Detail == "" {
				t.Fatalf("diagnostic without summary or detail: %+v", d)
			}
			s := d.Subject
			if s == nil {
				continue
			}
			if s.Filename != "fuzz.txt" || s.Start.Line < 1 || s.End.Line > lines || s.Start.Byte < 0 || s.End.Byte > len(src) || s.Start.Byte > s.End.Byte {
				t.Fatalf("diagnostic %q has range %v outside the %d lines, %d bytes of the text", d.Summary, s, lines, len(src))
			}
		}
		if diags.HasErrors() {
			return
		}
		for _, opts := range []Options{
			{Router: "gw1"},
			{Router: "gw1", NamePrefix: "f", ExpectOutside: netip.MustParseAddr("192.0.2.1"), ExpectASN: 65003},
		} {
			res, diags := Generate(cfg, opts)
			if diags.HasErrors() {
				continue
			}
			assertValidHCL(t, res.HCL)
		}
	})
}
