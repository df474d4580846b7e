package awsimport

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/rogpeppe/go-internal/diff"
)

const sampleName = "aws23_dev2lab23gw02.txt"

func readSample(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", sampleName))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The variations below are built from the sample text, so they track
// whatever AWS prose it holds instead of a hand-copied fixture.

// swapTunnels puts tunnel #2's section before tunnel #1's.
func swapTunnels(s string) string {
	t1 := strings.Index(s, "IPSec Tunnel #1")
	t2 := strings.Index(s, "IPSec Tunnel #2")
	end := strings.Index(s, "Additional Notes and Questions")
	return s[:t1] + s[t2:end] + s[t1:t2] + s[end:]
}

var pairRE = regexp.MustCompile(`^(\s*-?)\s*([^:]+?)\s*:\s*(.*)$`)

// messy adds the damage text picks up on its way through mail and editors:
// CRLF line ends, odd spacing around labels and colons, trailing blanks,
// doubled blank lines and a change of case.
func messy(s string) string {
	lines := strings.Split(s, "\n")
	var out []string
	for _, l := range lines {
		switch {
		case strings.HasPrefix(l, "IPSec Tunnel #"):
			l = "  IPSec  Tunnel   " + strings.TrimPrefix(l, "IPSec Tunnel ") + "\t"
		case strings.HasPrefix(l, "  - ") && pairRE.MatchString(l):
			l = pairRE.ReplaceAllString(l, "\t-   ${2}\t:   ${3}   ")
			l = strings.Replace(l, "Pre-Shared Key", "PRE-SHARED  KEY", 1)
		}
		out = append(out, l)
		if l == "" {
			out = append(out, "   ")
		}
	}
	return "\xef\xbb\xbf" + strings.Join(out, "\r\n")
}

// removeBGP drops the "#4" BGP subsection of every tunnel (which=0) or of
// tunnel which only, making a static-routing VPN.
func removeBGP(s string, which int) string {
	return replaceBGP(s, which, func(string) string { return "" })
}

// staticNextHop replaces each "#4" BGP subsection with the static-routing
// one AWS writes, whose next hop is the BGP neighbor address.
func staticNextHop(s string) string {
	neighborRE := regexp.MustCompile(`Neighbor IP Address\s*:\s*(\S+)`)
	return replaceBGP(s, 0, func(section string) string {
		hop := neighborRE.FindStringSubmatch(section)[1]
		return "#4: Static Routing Configuration:\n\n" +
			"To route traffic between your internal network and your VPC,\n" +
			"you will need a static route added to your router.\n\n" +
			"Static Route Configuration Options:\n\n" +
			"  - Next hop       : " + hop + "\n\n"
	})
}

func replaceBGP(s string, which int, with func(section string) string) string {
	var b strings.Builder
	n := 0
	for {
		i := strings.Index(s, "#4: Border Gateway Protocol")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		n++
		j := i + len(strings.SplitN(s[i:], "\n\n\n", 2)[0]) // the section ends at the double blank line
		b.WriteString(s[:i])
		if which == 0 || which == n {
			b.WriteString(with(s[i:j]))
		} else {
			b.WriteString(s[i:j])
		}
		s = s[j:]
	}
}

// replaceNth replaces the nth (1-based) occurrence of old.
func replaceNth(s, old, new string, nth int) string {
	at := 0
	for range nth - 1 {
		at += strings.Index(s[at:], old) + len(old)
	}
	i := at + strings.Index(s[at:], old)
	return s[:i] + new + s[i+len(old):]
}

// lineOf returns the line number of the nth (1-based) line containing sub.
func lineOf(t testing.TB, s, sub string, nth int) int {
	t.Helper()
	for i, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			nth--
			if nth == 0 {
				return i + 1
			}
		}
	}
	t.Fatalf("no line %d containing %q", nth, sub)
	return 0
}

// checkGolden compares got with testdata/name, or rewrites the file when
// VTIC_UPDATE=1. A golden file shared by several cases is written only by
// the first of them, so the later ones still prove they match it.
var updated = map[string]bool{}

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if os.Getenv("VTIC_UPDATE") == "1" && !updated[name] {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		updated[name] = true
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with VTIC_UPDATE=1 to create it)", err)
	}
	if string(want) != string(got) {
		t.Errorf("output differs from %s (VTIC_UPDATE=1 rewrites it):\n%s", path, diff.Diff(path, want, "got", got))
	}
}

// wantDiag is a diagnostic a test expects: its severity-independent summary
// exactly, a part of its detail, and its subject: the line it starts on and
// the text it starts with (at), or line 0 for no subject.
type wantDiag struct {
	line    int
	at      string
	summary string
	detail  string
}

// checkDiags compares diagnostics with what a test expects, in order. The
// subject must lie in src under filename, and its column must agree with
// its byte offset, so a diagnostic printed with its source line marks the
// right text.
func checkDiags(t *testing.T, filename, src string, got hcl.Diagnostics, want []wantDiag) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d diagnostics, want %d:\n%s", len(got), len(want), describeDiags(got))
	}
	for i, w := range want {
		d := got[i]
		if d.Summary != w.summary || !strings.Contains(d.Detail, w.detail) {
			t.Errorf("diagnostic %d = %q: %q, want %q with detail containing %q", i, d.Summary, d.Detail, w.summary, w.detail)
		}
		if w.line == 0 {
			if d.Subject != nil {
				t.Errorf("diagnostic %d %q has subject %v, want none", i, d.Summary, d.Subject)
			}
			continue
		}
		s := d.Subject
		if s == nil {
			t.Errorf("diagnostic %d %q has no subject, want line %d", i, d.Summary, w.line)
			continue
		}
		if s.Filename != filename || s.Start.Line != w.line || s.End.Line != w.line {
			t.Errorf("diagnostic %d %q is at %s:%d-%d, want %s:%d", i, d.Summary, s.Filename, s.Start.Line, s.End.Line, filename, w.line)
		}
		if s.Start.Byte < 0 || s.End.Byte > len(src) || s.Start.Byte > s.End.Byte {
			t.Errorf("diagnostic %d %q has range %v outside the text", i, d.Summary, s)
			continue
		}
		if text := src[s.Start.Byte:s.End.Byte]; !strings.HasPrefix(text, w.at) {
			t.Errorf("diagnostic %d %q points at %q, want text starting with %q", i, d.Summary, text, w.at)
		}
		lineStart := strings.LastIndexByte(src[:s.Start.Byte], '\n') + 1
		if col := 1 + utf8.RuneCountInString(strings.TrimPrefix(src[lineStart:s.Start.Byte], "\xef\xbb\xbf")); s.Start.Column != col {
			t.Errorf("diagnostic %d %q starts at column %d, want %d", i, d.Summary, s.Start.Column, col)
		}
	}
}

func describeDiags(diags hcl.Diagnostics) string {
	var b strings.Builder
	for _, d := range diags {
		fmt.Fprintf(&b, "  %v: %s: %s\n", d.Subject, d.Summary, d.Detail)
	}
	return b.String()
}
