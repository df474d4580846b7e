package awsimport

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
)

// The text is read by its shapes, not its line positions: AWS has changed
// the prose between releases, and users paste it through editors and mail
// clients that add spaces and CRLFs. Only headers and "Label : value"
// pairs carry meaning.
var (
	// "IPSec Tunnel #1" starts a tunnel section.
	tunnelHeaderRE = regexp.MustCompile(`(?i)^ipsec\s+tunnel\s*#\s*(\d{1,3})\s*:?$`)
	// "#3: Tunnel Interface Configuration" starts a subsection.
	subsectionRE = regexp.MustCompile(`^#\s*(\d{1,2})\s*:`)
	// "Outside IP Addresses:" and "Inside IP Addresses" group the two
	// unqualified "Customer Gateway" / "Virtual Private Gateway" labels.
	addressGroupRE = regexp.MustCompile(`(?i)^(outside|inside)\s+ip\s+address(?:es)?\b`)
)

// line is one line of the text without its terminator, and where it starts,
// so that every value can be given a range for diagnostics.
type line struct {
	text     string
	num      int // 1-based
	start    int // byte offset of text in the source
	filename string
}

// splitLines splits src into lines without their line terminators, so
// that CRLF and LF input read the same. A leading byte order mark is
// skipped because Windows editors add one; offsets still count it, so
// ranges index the source as given.
func splitLines(filename string, src []byte) []line {
	s := string(src)
	off := 0
	if strings.HasPrefix(s, "\xef\xbb\xbf") {
		s, off = s[3:], 3
	}
	var out []line
	for i, text := range strings.Split(s, "\n") {
		out = append(out, line{text: strings.TrimSuffix(text, "\r"), num: i + 1, start: off, filename: filename})
		off += len(text) + 1
	}
	return out
}

// rng is the range of text[from:to] of the line. Columns count characters,
// as HCL's do.
func (l line) rng(from, to int) hcl.Range {
	pos := func(i int) hcl.Pos {
		return hcl.Pos{Line: l.num, Column: 1 + utf8.RuneCountInString(l.text[:i]), Byte: l.start + i}
	}
	return hcl.Range{Filename: l.filename, Start: pos(from), End: pos(to)}
}

// trimmed returns the range of the line without its surrounding blanks.
func (l line) trimmed() hcl.Range {
	from := len(l.text) - len(strings.TrimLeftFunc(l.text, unicode.IsSpace))
	to := len(strings.TrimRightFunc(l.text, unicode.IsSpace))
	if to < from {
		to = from
	}
	return l.rng(from, to)
}

// isRule reports whether a trimmed line is a "=====" underline, which marks
// the line above it as a top-level section header.
func isRule(t string) bool {
	return len(t) >= 3 && strings.Trim(t, "=") == ""
}

// pair is one "  - Label : value" line.
type pair struct {
	label      string // normalized: "pre-shared key"
	value      string // trimmed
	labelRange hcl.Range
	valueRange hcl.Range // empty, just after the colon, when there is no value
}

// splitPair reads "  - Pre-Shared Key   : value" into a normalized label and
// a trimmed value, with their ranges. Lines without a colon are prose.
func splitPair(l line) (pair, bool) {
	t := l.text
	i := len(t) - len(strings.TrimLeftFunc(t, unicode.IsSpace))
	if strings.HasPrefix(t[i:], "-") {
		i++
		i = len(t) - len(strings.TrimLeftFunc(t[i:], unicode.IsSpace))
	}
	colon := strings.IndexByte(t[i:], ':')
	if colon < 0 {
		return pair{}, false
	}
	colon += i
	labelEnd := len(strings.TrimRightFunc(t[:colon], unicode.IsSpace))
	if labelEnd < i {
		labelEnd = i
	}
	after := t[colon+1:]
	vs := colon + 1 + len(after) - len(strings.TrimLeftFunc(after, unicode.IsSpace))
	ve := len(strings.TrimRightFunc(t, unicode.IsSpace))
	if ve < vs {
		vs, ve = colon+1, colon+1
	}
	return pair{
		label:      normalizeLabel(t[i:colon]),
		value:      t[vs:ve],
		labelRange: l.rng(i, labelEnd),
		valueRange: l.rng(vs, ve),
	}, true
}

// normalizeLabel lowercases a label and collapses runs of white space, so
// "Virtual Private  Gateway ASN" matches "virtual private gateway asn".
func normalizeLabel(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}
