package lang

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
)

// maxNesting bounds how deeply brackets, braces, parentheses, strings,
// interpolations and chains of unary operators may nest in a site file. A
// site needs about five levels. hclsyntax's parser recurses once per level,
// and a few million levels (a few megabytes of "[") exhaust the 1 GB
// goroutine stack, which kills the process instead of returning an error.
const maxNesting = 256

// checkNesting scans src the way HCL's scanner splits it into code, quoted
// strings, heredocs and comments, and reports the first place where the
// parser would recurse deeper than maxNesting: each open bracket, brace,
// parenthesis, string and interpolation is a level, and so are unary
// operators in a row, conditionals chained in one expression and template
// directives in one string. It errs on the side of counting: something it
// takes for code that HCL takes for text only makes the count larger.
func checkNesting(name string, src []byte) *hcl.Diagnostic {
	type frame struct {
		kind    byte   // 'c' code, 's' quoted string, 'h' heredoc
		opener  byte   // what opened a code frame: 0 (the file), '{', '[', '(', '$'
		extra   int    // conditionals (code) or directives (templates) seen
		heredoc []byte // a heredoc's closing identifier
	}
	stack := []frame{{kind: 'c'}}
	depth := 1 // levels in stack, extras included
	unary := 0 // unary operators in a row
	push := func(f frame) {
		stack = append(stack, f)
		depth++
	}
	pop := func() {
		depth -= 1 + stack[len(stack)-1].extra
		stack = stack[:len(stack)-1]
	}
	lineStart := true
	for i := 0; i < len(src); i++ {
		if depth+unary > maxNesting {
			return nestingError(name, src, i)
		}
		c := src[i]
		top := &stack[len(stack)-1]
		atLineStart := lineStart
		lineStart = c == '\n'
		if top.kind != 'c' {
			switch {
			case top.kind == 's' && c == '\\':
				i++
			case top.kind == 's' && (c == '"' || c == '\n'):
				pop()
			case top.kind == 'h' && atLineStart && closesHeredoc(src[i:], top.heredoc):
				pop()
			case (c == '$' || c == '%') && i+2 < len(src) && src[i+1] == c && src[i+2] == '{':
				i += 2 // $${ and %%{ are literal text
			case (c == '$' || c == '%') && i+1 < len(src) && src[i+1] == '{':
				if c == '%' {
					top.extra++
					depth++
				}
				i++
				push(frame{kind: 'c', opener: '$'})
			}
			continue
		}
		switch c {
		case ' ', '\t', '\r':
			continue
		case '-', '!':
			unary++
			continue
		}
		unary = 0
		switch {
		case c == '\n':
			// A newline ends an attribute or an object item, and with it
			// a chain of conditionals; inside () and [] it does not.
			if top.opener == 0 || top.opener == '{' {
				depth -= top.extra
				top.extra = 0
			}
		case c == '?':
			top.extra++
			depth++
		case c == '#' || (c == '/' && i+1 < len(src) && src[i+1] == '/'):
			for i+1 < len(src) && src[i+1] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			i += 2
			for i+1 < len(src) && !(src[i] == '*' && src[i+1] == '/') {
				i++
			}
			i++
		case c == '"':
			push(frame{kind: 's'})
		case c == '<' && i+1 < len(src) && src[i+1] == '<':
			j := i + 2
			if j < len(src) && src[j] == '-' {
				j++
			}
			k := j
			for k < len(src) && (isIdentByte(src[k]) || (k > j && src[k] == '-')) {
				k++
			}
			if k > j && k < len(src) && (src[k] == '\n' || src[k] == '\r') {
				push(frame{kind: 'h', heredoc: src[j:k]})
				i = k - 1
			}
		case c == '{' || c == '[' || c == '(':
			push(frame{kind: 'c', opener: c})
		case c == '}' && (top.opener == '{' || top.opener == '$'), c == ']' && top.opener == '[', c == ')' && top.opener == '(':
			// A closer that does not match counts as nothing: the parser
			// is still that deep.
			pop()
		}
	}
	return nil
}

func nestingError(name string, src []byte, at int) *hcl.Diagnostic {
	line, col := 1, 1
	for _, c := range src[:at] {
		if c == '\n' {
			line, col = line+1, 1
		} else if c < 0x80 || c >= 0xc0 { // count characters, not UTF-8 continuation bytes
			col++
		}
	}
	pos := hcl.Pos{Line: line, Column: col, Byte: at}
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Too deeply nested",
		Detail:  fmt.Sprintf("Brackets, braces, strings or operators nest more than %d levels deep here; a site needs a handful. This does not look like a site file.", maxNesting),
		Subject: &hcl.Range{Filename: name, Start: pos, End: pos}}
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// closesHeredoc reports whether the line at the start of rest is the
// heredoc's closing identifier, indented or not.
func closesHeredoc(rest, id []byte) bool {
	i := 0
	for i < len(rest) && (rest[i] == ' ' || rest[i] == '\t') {
		i++
	}
	if len(rest)-i < len(id) || string(rest[i:i+len(id)]) != string(id) {
		return false
	}
	i += len(id)
	return i == len(rest) || rest[i] == '\n' || rest[i] == '\r'
}
