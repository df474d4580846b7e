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
		cfg, err := Parse("fuzz.txt", src)
		if cfg == nil {
			t.Fatal("Parse returned a nil config")
		}
		lines := strings.Count(string(src), "\n") + 1
		if err != nil && len(Errors(err)) == 0 {
			t.Fatalf("error without *Error values: %v", err)
		}
		for _, e := range Errors(err) {
			if e.Line < 0 || e.Line > lines {
				t.Fatalf("error at line %d of %d: %v", e.Line, lines, e)
			}
		}
		if err != nil {
			return
		}
		for _, opts := range []Options{
			{Router: "gw1"},
			{Router: "gw1", NamePrefix: "f", ExpectOutside: netip.MustParseAddr("192.0.2.1"), ExpectASN: 65003},
		} {
			res, err := Generate(cfg, opts)
			if err != nil {
				continue
			}
			assertValidHCL(t, res.HCL)
		}
	})
}
