package review

import (
	"bytes"
	"encoding/hex"
	"strings"
)

// redactor hides text that holds a known key, raw or as the hex the secrets
// file stores. Secret files are never diffed at all; this is the second
// line of defence for a key that ended up elsewhere (a description, say).
type redactor struct {
	needles [][]byte
}

func newRedactor(keys [][]byte) *redactor {
	r := &redactor{}
	for _, k := range keys {
		if len(k) == 0 {
			continue
		}
		h := hex.EncodeToString(k)
		r.needles = append(r.needles, k, []byte(h), []byte(strings.ToUpper(h)))
	}
	return r
}

func (r *redactor) holds(s string) bool {
	for _, n := range r.needles {
		if bytes.Contains([]byte(s), n) {
			return true
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
	if len(r.needles) == 0 || !r.holds(d) {
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
