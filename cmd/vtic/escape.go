package main

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// escapeText makes text that comes from a site (file names, source lines,
// details quoting them) safe to print on a terminal or in a CI log: every
// control character, C0 (line breaks, escape sequences) and C1 alike, and
// every invalid UTF-8 byte becomes a visible Go-style escape such as \n or
// \x1b. A tab stays a tab when keepTab is set (source lines, where it keeps
// the caret line aligned). Nothing from a site can then start a new line,
// move the cursor or recolour the terminal, and so no line of vtic's output
// can pass for a GitHub Actions workflow command. All three diagnostic
// formats use it: text and github directly, JSON through encoding/json,
// which escapes the same characters in its own syntax.
func escapeText(s string, keepTab bool) string {
	if !needsEscape(s, keepTab) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\t' && keepTab:
			b.WriteByte('\t')
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r >= 0x80 && r < 0xa0, r == '\u2028', r == '\u2029':
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// needsEscape is a quick look for anything escapeText would change; a
// literal U+FFFD also answers yes, and is then copied as it is.
func needsEscape(s string, keepTab bool) bool {
	for _, r := range s {
		if r == utf8.RuneError || r < 0x20 && !(r == '\t' && keepTab) ||
			r >= 0x7f && r < 0xa0 || r == '\u2028' || r == '\u2029' {
			return true
		}
	}
	return false
}

// validUTF8 replaces every byte of s that is not part of valid UTF-8 with
// U+FFFD, as encoding/json would while encoding it; done before, it keeps
// byte offsets into the string true for the JSON reader.
func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			b.WriteRune(utf8.RuneError)
		} else {
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// jsonEscapeC1 rewrites DEL and the C1 controls (U+0080 to U+009F) in
// encoded JSON as \u escapes: encoding/json leaves them raw, and some
// terminals act on them (U+009B is CSI). Outside strings JSON is ASCII,
// so every such character is in a string, where the escape means the same.
func jsonEscapeC1(b []byte) []byte {
	var out []byte
	for i := 0; i < len(b); i++ {
		c1 := b[i] == 0xc2 && i+1 < len(b) && b[i+1] >= 0x80 && b[i+1] < 0xa0
		if b[i] != 0x7f && !c1 {
			if out != nil {
				out = append(out, b[i])
			}
			continue
		}
		if out == nil {
			out = append(make([]byte, 0, len(b)+16), b[:i]...)
		}
		r := rune(b[i])
		if c1 {
			i++
			r = rune(b[i])
		}
		out = fmt.Appendf(out, `\u%04x`, r)
	}
	if out == nil {
		return b
	}
	return out
}
