package awsimport

import (
	"bytes"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
)

// FuzzParse feeds arbitrary text to Parse, and anything it accepts to
// Generate. For every input:
//
//   - nothing panics;
//   - every diagnostic has a summary and a detail, and a subject, if any,
//     in the text: its bytes inside it, on one line, with the line and
//     column (in characters, after a byte order mark) that the bytes give;
//   - the keys do not show: every byte of every key (the value of a
//     "Pre-Shared Key" line, found apart from Parse by fuzzKeyRanges) is
//     masked in the bytes diagnostics quote (Config.File); Parse and
//     Generate give the same diagnostics and quote the same bytes when
//     every byte of every key is changed for another of its kind
//     (fuzzKeyTwin); and no key of 8 bytes or more, found nowhere else in
//     the text, appears in a summary or detail;
//   - whatever Generate renders is valid HCL.
func FuzzParse(f *testing.F) {
	b, err := os.ReadFile(filepath.Join("testdata", sampleName))
	if err != nil {
		f.Fatal(err)
	}
	sample := string(b)
	for _, s := range []string{sample, messy(sample), staticNextHop(sample), swapTunnels(removeBGP(sample, 2)), "",
		"\xef\xbb\xbfIPSec Tunnel #1\r\n  - Pre-Shared Key : 0ab\xffc.d_e-f g\r\n  - Pre-Shared Key : short\n",
		"IPSec Tunnel #2\n- Pre-Shared Key:fuzz.txt\n- Pre-Shared Key:é\x85\x1b[2Jsecret\nIPSec Tunnel #2\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		cfg, diags := Parse(fuzzName, src)
		if cfg == nil || cfg.File == nil || len(cfg.File.Bytes) != len(src) {
			t.Fatal("Parse returned no config, or no text for diagnostics of the source's length")
		}
		for _, d := range diags {
			if d.Summary == "" || d.Detail == "" {
				t.Fatalf("diagnostic without summary or detail: %+v", d)
			}
			if d.Subject != nil {
				fuzzCheckRange(t, src, d.Summary, *d.Subject)
			}
		}
		gen := fuzzGenerate(t, cfg, diags)

		// Every key is masked in the bytes diagnostics quote.
		keys := fuzzKeyRanges(src)
		for _, k := range keys {
			if m := cfg.File.Bytes[k[0]:k[1]]; bytes.Count(m, []byte("*")) != len(m) {
				t.Fatalf("key %q at bytes %d-%d is quoted as %q", src[k[0]:k[1]], k[0], k[1], m)
			}
		}
		// The twin differs from src in every byte of every key that has
		// a byte of the same kind to change to.
		twin := fuzzKeyTwin(src, keys)
		cfg2, diags2 := Parse(fuzzName, twin)
		if !bytes.Equal(cfg.File.Bytes, cfg2.File.Bytes) {
			t.Fatalf("the text quoted in diagnostics depends on the keys:\n%q\n%q", cfg.File.Bytes, cfg2.File.Bytes)
		}
		if a, b := fuzzDiagText(diags), fuzzDiagText(diags2); a != b {
			t.Fatalf("Parse's diagnostics depend on the keys:\n%s---\n%s", a, b)
		}
		gen2 := fuzzGenerate(t, cfg2, diags2)
		if gen != gen2 {
			t.Fatalf("Generate's diagnostics depend on the keys:\n%s---\n%s", gen, gen2)
		}
		// Keys of bytes the twin cannot change: none may show, unless the
		// same text is elsewhere in the input or in the diagnostics'
		// fixed words (as the twin's diagnostics show them).
		shown := fuzzDiagText(diags) + gen
		for _, k := range keys {
			key := string(src[k[0]:k[1]])
			if len(key) >= 8 && strings.Count(string(src), key) == 1 && strings.Contains(shown, key) &&
				!strings.Contains(fuzzDiagText(diags2)+gen2, key) {
				t.Fatalf("key %q shows in the diagnostics:\n%s", key, shown)
			}
		}
	})
}

// fuzzName names the text in FuzzParse: no AWS key can be made of it.
const fuzzName = "-"

// fuzzGenerate runs Generate with two sets of options when Parse found no
// error, checks that what it renders is HCL, and returns its diagnostics
// as text.
func fuzzGenerate(t *testing.T, cfg *Config, diags hcl.Diagnostics) string {
	t.Helper()
	if diags.HasErrors() {
		return ""
	}
	var out string
	for _, opts := range []Options{
		{Router: "gw1"},
		{Router: "gw1", NamePrefix: "f", ExpectOutside: netip.MustParseAddr("192.0.2.1"), ExpectASN: 65003},
	} {
		res, diags := Generate(cfg, opts)
		out += fuzzDiagText(diags)
		if !diags.HasErrors() {
			assertValidHCL(t, res.HCL)
		}
	}
	return out
}

// fuzzCheckRange checks that rng lies in src, on one line, and that its
// lines and columns are what its bytes say, counted as scan.go counts
// them: columns in characters, line 1 after a byte order mark, line ends
// LF (a CR before it is not part of the line).
func fuzzCheckRange(t *testing.T, src []byte, summary string, rng hcl.Range) {
	t.Helper()
	if rng.Filename != fuzzName || rng.Start.Byte < 0 || rng.Start.Byte > rng.End.Byte || rng.End.Byte > len(src) {
		t.Fatalf("%q: range %v (bytes %d-%d) outside the text's %d bytes", summary, rng, rng.Start.Byte, rng.End.Byte, len(src))
	}
	if bytes.IndexByte(src[rng.Start.Byte:rng.End.Byte], '\n') >= 0 || rng.Start.Line != rng.End.Line {
		t.Fatalf("%q: range %v spans lines", summary, rng)
	}
	for _, p := range []hcl.Pos{rng.Start, rng.End} {
		ls := bytes.LastIndexByte(src[:p.Byte], '\n') + 1
		if ls == 0 && bytes.HasPrefix(src, []byte("\xef\xbb\xbf")) {
			ls = 3
		}
		line := 1 + bytes.Count(src[:p.Byte], []byte("\n"))
		col := 1 + utf8.RuneCount(src[ls:max(ls, p.Byte)])
		if p.Byte < ls || p.Line != line || p.Column != col {
			t.Fatalf("%q: position %d:%d (byte %d); the text says line %d, column %d", summary, p.Line, p.Column, p.Byte, line, col)
		}
	}
}

// fuzzDiagText renders diagnostics in full for comparison.
func fuzzDiagText(diags hcl.Diagnostics) string {
	var b strings.Builder
	for _, d := range diags {
		fmt.Fprintf(&b, "%d %q %q", d.Severity, d.Summary, d.Detail)
		if s := d.Subject; s != nil {
			fmt.Fprintf(&b, " %s %d-%d", s, s.Start.Byte, s.End.Byte)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// fuzzKeyRanges returns the byte ranges of the keys in src: the values
// of the "Pre-Shared Key : value" lines, found with the scanner's
// functions but apart from Parse, so that a key Parse failed to mask is
// still found. A line followed by a "===" rule is a header, not a pair.
func fuzzKeyRanges(src []byte) [][2]int {
	var out [][2]int
	lines := splitLines(fuzzName, src)
	for i, l := range lines {
		if i+1 < len(lines) && isRule(strings.TrimSpace(lines[i+1].text)) {
			continue
		}
		if p, ok := splitPair(l); ok && p.label == "pre-shared key" && p.valueRange.End.Byte > p.valueRange.Start.Byte {
			out = append(out, [2]int{p.valueRange.Start.Byte, p.valueRange.End.Byte})
		}
	}
	return out
}

// fuzzKeyTwin returns src with every byte of the keys changed for the
// next byte of its kind, so that every rule about keys judges both texts
// alike: lower and upper case letters, the digits 1 to 9 ('0' may not
// start an AWS key), '.' and '_' (allowed in AWS keys), and other
// printable ASCII but '*' (allowed in keys, not in AWS's). Spaces, '*',
// '0' and bytes that are not printable stay.
func fuzzKeyTwin(src []byte, keys [][2]int) []byte {
	const other = "!\"#$%&'()+,-/:;<=>?@[\\]^`{|}~"
	twin := append([]byte(nil), src...)
	for _, k := range keys {
		for i := k[0]; i < k[1]; i++ {
			switch c := src[i]; {
			case c >= 'a' && c <= 'z':
				twin[i] = 'a' + (c-'a'+1)%26
			case c >= 'A' && c <= 'Z':
				twin[i] = 'A' + (c-'A'+1)%26
			case c >= '1' && c <= '9':
				twin[i] = '1' + (c-'1'+1)%9
			case c == '.':
				twin[i] = '_'
			case c == '_':
				twin[i] = '.'
			case strings.IndexByte(other, c) >= 0:
				twin[i] = other[(strings.IndexByte(other, c)+1)%len(other)]
			}
		}
	}
	return twin
}
