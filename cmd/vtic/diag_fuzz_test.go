package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/rogpeppe/go-internal/txtar"
	"github.com/vtic/vtic/lang"
)

// FuzzDiagOutput prints diagnostics about arbitrary files in the three
// formats, as vtic validate does. An input is a file name, the file's
// bytes, a summary and a detail, and spec, which makes up more
// diagnostics: spec[0] says how many, the rest their severity and ranges,
// which may lie anywhere, inside the file or not (see fuzzDiags). The
// diagnostics lang reports on the file come first. For every input:
//
//   - nothing panics;
//   - no output holds a control character (C0, DEL, C1, U+2028, U+2029)
//     or invalid UTF-8, other than the line ends the writers emit and, in
//     text, the tabs of quoted source lines; colour adds only its own
//     escape sequences;
//   - every line of the github format is one workflow command the writer
//     meant, whose file, title and message unescape to the escaped
//     originals, or the line counting what was left out;
//   - every quoted source line and its caret line are at most
//     snippetWidth bytes of source (4 characters each once escaped) wide,
//     in JSON the code at most snippetWidth characters plus the cut marks, and
//     the "on FILE line N, in …" line no wider than the file name plus
//     clipped labels;
//   - at most maxPrintedDiags diagnostics are printed, then one line
//     counting the rest; JSON keeps the true counts;
//   - the JSON is valid, decodes into the schema with no unknown field,
//     encodes back to the same bytes and holds the diagnostics' values.
//
// Run it with
//
//	go test -run='^$' -fuzz='^FuzzDiagOutput$' -fuzztime=20s ./cmd/vtic/
func FuzzDiagOutput(f *testing.F) {
	for _, s := range fuzzDiagSeeds(f) {
		f.Add(s.name, s.src, s.summary, s.detail, s.spec)
	}
	f.Fuzz(func(t *testing.T, name string, src []byte, summary, detail string, spec []byte) {
		files, diags := fuzzDiags(name, src, summary, detail, spec)
		shown := diags[:min(len(diags), maxPrintedDiags)]
		errs, warns := countDiags(diags[len(shown):])

		var text, github, js bytes.Buffer
		for format, b := range map[string]*bytes.Buffer{"text": &text, "github": &github, "json": &js} {
			if err := printDiags(b, format, files, diags); err != nil {
				t.Fatalf("%s: %v", format, err)
			}
			if msg := fuzzRawControl(b.Bytes(), format == "text"); msg != "" {
				t.Fatalf("%s: %s in the output:\n%q", format, msg, b.String())
			}
		}
		fuzzCheckText(t, files, diags, shown, errs+warns, text.String())
		fuzzCheckGitHub(t, shown, moreDiags(errs, warns), errs+warns > 0, github.String())
		fuzzCheckJSON(t, files, diags, shown, js.Bytes())
	})
}

// fuzzDiags builds the diagnostics of one input: lang's on the file,
// sorted as vtic sorts them, then spec[0] more, each made from the next
// bytes of spec (read round and round):
//
//	flags: bit 0 warning, bit 1 no subject, bit 2 another file's name,
//	       bit 3 a range made from two offsets into the file, with lines
//	       and columns that agree; otherwise six raw 16-bit numbers
//	       (start byte, line, column, end byte, line, column)
//
// The files are the ones lang parsed, plus the raw bytes of a file lang
// did not parse (binary, too deep) so that made-up ranges can point into it.
func fuzzDiags(name string, src []byte, summary, detail string, spec []byte) (map[string]*hcl.File, hcl.Diagnostics) {
	site, diags := lang.LoadDir(filepath.Join(fuzzDiagDir, "site"), lang.Options{
		Sources:    map[string][]byte{name: src},
		LookupEnv:  func(string) (string, bool) { return "", false },
		ReadSecret: func(string) ([]byte, error) { return nil, fs.ErrNotExist },
	})
	sortDiags(diags)
	files := site.Files
	if files[name] == nil {
		files[name] = &hcl.File{Bytes: src}
	}
	if len(spec) == 0 {
		return files, diags
	}
	n, spec := int(spec[0]), spec[1:]
	k := 0
	next := func() int {
		if len(spec) == 0 {
			return 0
		}
		v := spec[k%len(spec)]
		k++
		return int(v)
	}
	next16 := func() int { return int(int16(uint16(next()) | uint16(next())<<8)) }
	for range n {
		flags := next()
		d := &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail}
		if flags&1 != 0 {
			d.Severity = hcl.DiagWarning
		}
		if flags&2 == 0 {
			rng := hcl.Range{Filename: name}
			if flags&4 != 0 {
				rng.Filename = "other.hcl"
			}
			if flags&8 != 0 {
				s := (next16() & 0x7fff) % (len(src) + 1)
				e := min(s+next(), len(src))
				rng.Start, rng.End = fuzzPos(src, s), fuzzPos(src, e)
			} else {
				rng.Start = hcl.Pos{Byte: next16(), Line: next16(), Column: next16()}
				rng.End = hcl.Pos{Byte: next16(), Line: next16(), Column: next16()}
			}
			d.Subject = &rng
		}
		diags = append(diags, d)
	}
	return files, diags
}

// fuzzDiagDir is where the fuzzed site claims to be: nothing is read from
// it, since the sources and the keys come from the test.
const fuzzDiagDir = "/nonexistent-vtic-fuzz"

// fuzzPos is the position of byte offset b of src, as HCL counts lines
// and columns (columns in characters).
func fuzzPos(src []byte, b int) hcl.Pos {
	ls := bytes.LastIndexByte(src[:b], '\n') + 1
	return hcl.Pos{Byte: b, Line: 1 + bytes.Count(src[:b], []byte("\n")), Column: 1 + utf8.RuneCount(src[ls:b])}
}

// fuzzRawControl describes the first character of out that no writer may
// emit raw, or returns "". Line ends are the writers' own; text keeps the
// tabs of source lines so that the carets line up.
func fuzzRawControl(out []byte, tabs bool) string {
	if !utf8.Valid(out) {
		return "invalid UTF-8"
	}
	for _, r := range string(out) {
		switch {
		case r == '\n', r == '\t' && tabs:
		case r < 0x20, r >= 0x7f && r < 0xa0, r == '\u2028', r == '\u2029':
			return fmt.Sprintf("raw %U", r)
		}
	}
	return ""
}

// fuzzCheckText checks the text format: exactly the shown diagnostics as
// writeDiagsText prints them and the line counting the rest, colour that
// adds nothing but its escapes, and bounded source excerpts.
func fuzzCheckText(t *testing.T, files map[string]*hcl.File, diags, shown hcl.Diagnostics, more int, out string) {
	t.Helper()
	var body bytes.Buffer
	if err := writeDiagsText(&body, files, shown, false); err != nil {
		t.Fatal(err)
	}
	want := body.String()
	if more > 0 {
		want += moreDiags(countDiags(diags[len(shown):])) + "\n\n"
	}
	if out != want {
		t.Fatalf("text: printDiags differs from the %d diagnostics shown and the count of the %d others:\n%q\nwant\n%q", len(shown), more, out, want)
	}
	var color bytes.Buffer
	if err := writeDiagsText(&color, files, shown, true); err != nil {
		t.Fatal(err)
	}
	plain := strings.NewReplacer("\x1b[1;31m", "", "\x1b[1;33m", "", "\x1b[0m", "").Replace(color.String())
	if strings.Contains(plain, "\x1b") || plain != body.String() {
		t.Fatalf("text: colour changes more than the headings:\n%q", color.String())
	}
	for _, d := range shown {
		if d.Subject == nil {
			continue
		}
		var b bytes.Buffer
		writeSource(&b, files[d.Subject.Filename], *d.Subject)
		lines := strings.Split(b.String(), "\n")
		on := strings.TrimPrefix(lines[0], "  on "+escapeText(d.Subject.Filename, false)+" line ")
		if n := utf8.RuneCountInString(on); n > fuzzMaxOnRest {
			t.Fatalf("text: the line naming the place is %d characters past the file name: %q", n, lines[0])
		}
		if len(lines) < 4 {
			continue // no excerpt
		}
		for _, line := range lines[1:3] {
			if n := utf8.RuneCountInString(line); n > fuzzMaxExcerptLine {
				t.Fatalf("text: a source excerpt line of %d characters (bound %d): %q", n, fuzzMaxExcerptLine, line)
			}
		}
	}
}

// Bounds of what writeSource prints: after the file name, the line
// number and the block the range lies in, whose type and at most two
// labels are cut to snippetLabel bytes, each byte escaped to at most 4
// characters; an excerpt line: the line number, snippetWidth bytes of
// source escaped to at most 4 characters a byte, and two cut marks.
const (
	fuzzMaxOnRest      = len("-9223372036854775808, in :") + 3*(4*snippetLabel+len(` "…"`)) + len(" …")
	fuzzMaxExcerptLine = len("  -9223372036854775808: ") + 4*snippetWidth + 2
)

var fuzzGitHubLine = regexp.MustCompile(`^::(error|warning)(?: file=([^:,]*),line=(-?\d+),col=(-?\d+),endLine=(-?\d+),endColumn=(-?\d+),title=([^:,]*)| title=([^:,]*))::(.*)$`)

// fuzzCheckGitHub checks that every line of the github format is the
// workflow command of its diagnostic, whose fields unescape (as GitHub
// does) to the fields escaped with escapeText, then the count of the rest.
func fuzzCheckGitHub(t *testing.T, shown hcl.Diagnostics, more string, truncated bool, out string) {
	t.Helper()
	if !strings.HasSuffix(out, "\n") && out != "" {
		t.Fatalf("github: output does not end with a line end: %q", out)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if out == "" {
		lines = nil
	}
	want := len(shown)
	if truncated {
		want++
	}
	if len(lines) != want {
		t.Fatalf("github: %d lines for %d diagnostics (truncated %v):\n%q", len(lines), len(shown), truncated, out)
	}
	if truncated && lines[len(lines)-1] != more {
		t.Fatalf("github: last line %q, want %q", lines[len(lines)-1], more)
	}
	unescape := strings.NewReplacer("%0D", "\r", "%0A", "\n", "%3A", ":", "%2C", ",", "%25", "%")
	for i, d := range shown {
		m := fuzzGitHubLine.FindStringSubmatch(lines[i])
		if m == nil {
			t.Fatalf("github: line %d is not one workflow command: %q", i+1, lines[i])
		}
		kind := "error"
		if d.Severity == hcl.DiagWarning {
			kind = "warning"
		}
		title := m[8]
		if d.Subject != nil {
			title = m[7]
			s := d.Subject
			if got, want := unescape.Replace(m[2]), escapeText(s.Filename, false); got != want {
				t.Fatalf("github: line %d: file %q, want %q", i+1, got, want)
			}
			if got, want := strings.Join(m[3:7], ","), fmt.Sprintf("%d,%d,%d,%d", s.Start.Line, s.Start.Column, s.End.Line, s.End.Column); got != want {
				t.Fatalf("github: line %d: position %s, want %s", i+1, got, want)
			}
		}
		if m[1] != kind || unescape.Replace(title) != escapeText(d.Summary, false) {
			t.Fatalf("github: line %d: %s titled %q, want %s %q", i+1, m[1], unescape.Replace(title), kind, escapeText(d.Summary, false))
		}
		if got, want := unescape.Replace(m[9]), escapeText(d.Summary+": "+d.Detail, false); got != want {
			t.Fatalf("github: line %d: message %q, want %q", i+1, got, want)
		}
	}
}

// fuzzCheckJSON checks the JSON report: schema, round trip, counts,
// values and bounded snippets.
func fuzzCheckJSON(t *testing.T, files map[string]*hcl.File, diags, shown hcl.Diagnostics, out []byte) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.DisallowUnknownFields()
	var r jsonReport
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("json: %v:\n%s", err, out)
	}
	if dec.More() {
		t.Fatalf("json: more than one value:\n%s", out)
	}
	var again bytes.Buffer
	enc := json.NewEncoder(&again)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		t.Fatal(err)
	}
	if got := jsonEscapeC1(again.Bytes()); !bytes.Equal(got, out) {
		t.Fatalf("json: does not encode back to the same bytes:\n%s\nagain:\n%s", out, got)
	}
	errs, warns := countDiags(diags)
	if r.Valid != !diags.HasErrors() || r.ErrorCount != errs || r.WarningCount != warns || r.Truncated != len(diags)-len(shown) || len(r.Diagnostics) != len(shown) {
		t.Fatalf("json: valid %v, %d errors, %d warnings, %d truncated, %d diagnostics; want %v, %d, %d, %d, %d",
			r.Valid, r.ErrorCount, r.WarningCount, r.Truncated, len(r.Diagnostics), !diags.HasErrors(), errs, warns, len(diags)-len(shown), len(shown))
	}
	same := func(decoded, orig string) bool { return decoded == validUTF8(orig) }
	for i, d := range shown {
		jd := r.Diagnostics[i]
		if !same(jd.Summary, d.Summary) || !same(jd.Detail, d.Detail) || (jd.Severity == "warning") != (d.Severity == hcl.DiagWarning) {
			t.Fatalf("json: diagnostic %d reads back as %q %q %q", i, jd.Severity, jd.Summary, jd.Detail)
		}
		s := d.Subject
		if (jd.Range == nil) != (s == nil) {
			t.Fatalf("json: diagnostic %d: range %v, subject %v", i, jd.Range, s)
		}
		if s == nil {
			continue
		}
		if !same(jd.Range.Filename, s.Filename) || jd.Range.Start != (jsonPos{s.Start.Line, s.Start.Column, s.Start.Byte}) || jd.Range.End != (jsonPos{s.End.Line, s.End.Column, s.End.Byte}) {
			t.Fatalf("json: diagnostic %d: range %+v, want %v", i, *jd.Range, s)
		}
		sn := jd.Snippet
		if sn == nil {
			continue
		}
		// Each byte quoted is one character, U+FFFD (3 bytes) if invalid.
		if n := utf8.RuneCountInString(sn.Code); n > snippetWidth+2 || len(sn.Code) > 3*snippetWidth+2*len(ellipsis) {
			t.Fatalf("json: diagnostic %d: a snippet of %d characters, %d bytes: %q", i, n, len(sn.Code), sn.Code)
		}
		if sn.HighlightStartOffset < 0 || sn.HighlightStartOffset > sn.HighlightEndOffset || sn.HighlightEndOffset > len(sn.Code) {
			t.Fatalf("json: diagnostic %d: highlight %d-%d in a snippet of %d bytes", i, sn.HighlightStartOffset, sn.HighlightEndOffset, len(sn.Code))
		}
		// The highlight starts the subject, as the file holds it.
		src := files[s.Filename].Bytes
		subject := validUTF8(string(src[s.Start.Byte:max(s.Start.Byte, s.End.Byte)]))
		if hl := sn.Code[sn.HighlightStartOffset:sn.HighlightEndOffset]; !strings.HasPrefix(subject, hl) {
			t.Fatalf("json: diagnostic %d: highlight %q does not start the subject %q", i, hl, subject)
		}
	}
}

type fuzzDiagSeed struct {
	name            string
	src             []byte
	summary, detail string
	spec            []byte
}

// fuzzDiagSeeds: hostile names and text, ranges in and out of the file,
// more diagnostics than are printed, and the sites of the CLI scripts.
func fuzzDiagSeeds(t testing.TB) []fuzzDiagSeed {
	long := "router \"gw1\" {\n  announce = [" + strings.Repeat(`"10.0.0.0/8", `, 40) + "]\n}\n"
	seeds := []fuzzDiagSeed{
		{"site.hcl", []byte("router \"gw1\" {\n  bogus = 1\n}\n"), "Unsupported argument", "An argument named \"bogus\" is not expected here.", nil},
		{"x\n::warning title=pwned::injected\r\x1b[2J.hcl", []byte("router \"gw\x1b[31m9\" {\n  asn = 65009 # \x1b]0;t\x07\n  bogus\u0085 = 1\n}\n"),
			"Bad\u2028thing", "100%\r\n::error::no\x9b", []byte{3, 8, 0, 0, 5, 9, 1, 2, 0, 3}},
		{"a,b:c%.hcl", []byte(long), "x: y, z", "%0A%25", []byte{120, 8, 17, 0, 40, 1, 0, 0, 6, 15, 0, 30, 9, 0, 0}},
		{"t.hcl", []byte("tunnel \"" + strings.Repeat("é\t", 100) + "\" {\n\t\tpsk = \"Key12345\\q\"\n}\n"), "S", "D",
			[]byte{200, 0, 0xff, 0x7f, 1, 0, 1, 0, 0xff, 0x7f, 1, 0, 9, 8, 0xfe, 0xff, 1, 0, 1, 0, 0, 0x80, 1, 0, 1, 0}},
		{"label.hcl", []byte("router \"" + strings.Repeat("L", 1000) + "\" \"b\" {\n  bogus = 1\n}\n" + strings.Repeat("x", 1000) + " {\n  y = 1\n}\n"), "S", "D", nil},
		{"bin.hcl", []byte("a\x00b\xff\xfe\n\xe2\x80"), "", "", []byte{4, 8, 1, 0, 3, 10, 2, 0}},
	}
	scripts, _ := filepath.Glob(filepath.Join("testdata", "script", "*.txtar"))
	for _, name := range scripts {
		ar, err := txtar.ParseFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range ar.Files {
			if strings.HasSuffix(f.Name, ".hcl") {
				seeds = append(seeds, fuzzDiagSeed{f.Name, f.Data, "Seed from " + strconv.Quote(name), "", []byte{1, 8, 3, 0, 10}})
				break
			}
		}
	}
	return seeds
}
