package review

import (
	"encoding/hex"
	"strings"
)

// redactor hides text that holds a known key, raw or as the hex the secrets
// file stores. Secret files are never diffed at all; this is the second
// line of defence for a key that ended up elsewhere (a description, say).
//
// A site has thousands of keys and a report checks every field and diff
// line, so needles are indexed by their first min bytes (min: the length of
// the shortest): holds looks up each position of the text once instead of
// searching the text for every needle.
type redactor struct {
	min    int
	byHead map[string][]string // needles by their first min bytes
}

func newRedactor(keys [][]byte) *redactor {
	var needles []string
	for _, k := range keys {
		if len(k) == 0 {
			continue
		}
		h := hex.EncodeToString(k)
		needles = append(needles, string(k), h, strings.ToUpper(h))
	}
	r := &redactor{byHead: map[string][]string{}}
	for i, n := range needles {
		if i == 0 || len(n) < r.min {
			r.min = len(n)
		}
	}
	seen := map[string]bool{}
	for _, n := range needles {
		if !seen[n] {
			seen[n] = true
			r.byHead[n[:r.min]] = append(r.byHead[n[:r.min]], n)
		}
	}
	return r
}

func (r *redactor) holds(s string) bool {
	if len(r.byHead) == 0 {
		return false
	}
	for i := 0; i+r.min <= len(s); i++ {
		for _, n := range r.byHead[s[i:i+r.min]] {
			if strings.HasPrefix(s[i:], n) {
				return true
			}
		}
	}
	return false
}

const hidden = "[hidden: holds a pre-shared key]"

// value returns s, or a placeholder when s holds a key.
func (r *redactor) value(s string) string {
	if r.holds(s) {
		return hidden
	}
	return s
}

// diff hides every line of a unified diff that holds a key, keeping its
// +, - or space prefix so the hunk still reads.
func (r *redactor) diff(d string) string {
	if !r.holds(d) {
		return d
	}
	lines := strings.SplitAfter(d, "\n")
	for i, l := range lines {
		if l == "" || !r.holds(l) {
			continue
		}
		lines[i] = l[:1] + hidden + "\n"
	}
	return strings.Join(lines, "")
}
