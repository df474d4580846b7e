package awsimport

import (
	"bytes"
	"regexp"
	"strings"
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

// splitLines splits src into lines without their line terminators, so
// that CRLF and LF input read the same. A leading byte order mark is
// dropped because Windows editors add one.
func splitLines(src []byte) []string {
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	lines := strings.Split(string(src), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	return lines
}

// isRule reports whether a trimmed line is a "=====" underline, which marks
// the line above it as a top-level section header.
func isRule(t string) bool {
	return len(t) >= 3 && strings.Trim(t, "=") == ""
}

// splitPair splits "  - Pre-Shared Key   : value" into a normalized label
// ("pre-shared key") and a trimmed value. Lines without a colon are prose.
func splitPair(t string) (label, value string, ok bool) {
	t = strings.TrimSpace(strings.TrimPrefix(t, "-"))
	before, after, found := strings.Cut(t, ":")
	if !found {
		return "", "", false
	}
	return normalizeLabel(before), strings.TrimSpace(after), true
}

// normalizeLabel lowercases a label and collapses runs of white space, so
// "Virtual Private  Gateway ASN" matches "virtual private gateway asn".
func normalizeLabel(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}
