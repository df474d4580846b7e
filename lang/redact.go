package lang

import (
	"bytes"
	"slices"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// redactKeys masks, in the bytes of f that diagnostics quote, the value of
// every psk or key attribute that is not a plain env("NAME") or file("path"): an
// inline key, and any malformed one (`psk = "Key\q"`, `psk = ["Key"]`,
// `psk = upper("Key")`) whose own error would otherwise print it. It runs
// on every parsed file before anything can quote it. A file that parsed
// cleanly is walked as syntax; one with errors is scanned as tokens, since
// its syntax tree may have lost the attribute. The masked bytes are a copy
// (the source may be the caller's Options.Sources); line breaks stay, so
// every range into the file stays valid.
// keyAttributes are the attributes that hold a secret: a tunnel's
// pre-shared key and a router's private key.
var keyAttributes = []string{"psk", "key"}

func redactKeys(f *hcl.File, clean bool) {
	if f == nil || !bytes.Contains(f.Bytes, []byte("psk")) && !bytes.Contains(f.Bytes, []byte("key")) {
		return
	}
	var spans [][2]int
	if body, ok := f.Body.(*hclsyntax.Body); ok && clean {
		spans = keySpansInBody(body, spans)
	} else {
		spans = keySpansInTokens(f.Bytes)
	}
	if len(spans) == 0 {
		return
	}
	b := append([]byte(nil), f.Bytes...)
	for _, s := range spans {
		for i := max(s[0], 0); i < s[1] && i < len(b); i++ {
			if b[i] != '\n' && b[i] != '\r' {
				b[i] = '*'
			}
		}
	}
	f.Bytes = b
}

func keySpansInBody(body *hclsyntax.Body, spans [][2]int) [][2]int {
	for _, name := range keyAttributes {
		if a, ok := body.Attributes[name]; ok && !plainKeyReference(a.Expr) && !tunnelKeyTemplate(a.Expr) {
			spans = append(spans, [2]int{a.Expr.Range().Start.Byte, a.SrcRange.End.Byte})
		}
	}
	for _, b := range body.Blocks {
		spans = keySpansInBody(b.Body, spans)
	}
	return spans
}

// plainKeyReference reports whether expr is env("…") or file("…") with a
// literal string: the only psk values that hold no key.
func plainKeyReference(expr hcl.Expression) bool {
	call, diags := hcl.ExprCall(expr)
	if diags.HasErrors() || (call.Name != "env" && call.Name != "file") || len(call.Arguments) != 1 {
		return false
	}
	v, diags := evalConstant(call.Arguments[0])
	return !diags.HasErrors() && v.IsKnown() && !v.IsNull() && v.Type() == cty.String
}

// keySpansInTokens finds `psk =` at the start of a line in a file that
// did not parse, and returns the span from the value's first token to the end of
// the value: the first line break outside brackets, quotes and heredocs, a
// closing bracket of the enclosing block, or the end of the file.
func keySpansInTokens(src []byte) [][2]int {
	toks, _ := hclsyntax.LexConfig(src, "", hcl.InitialPos)
	var spans [][2]int
	for i := 0; i+1 < len(toks); i++ {
		t := toks[i]
		lineStart := i == 0 || toks[i-1].Type == hclsyntax.TokenNewline || toks[i-1].Type == hclsyntax.TokenOBrace
		if t.Type != hclsyntax.TokenIdent || !slices.Contains(keyAttributes, string(t.Bytes)) || !lineStart || toks[i+1].Type != hclsyntax.TokenEqual {
			continue
		}
		start := toks[i+2].Range.Start.Byte
		j, end := valueEnd(toks, i+2)
		if !plainKeyTokens(toks[i+2 : j]) {
			spans = append(spans, [2]int{start, end})
		}
		i = j - 1
	}
	return spans
}

// valueEnd returns the index of the token that ends the value starting at
// toks[i], and the byte where the value ends.
func valueEnd(toks hclsyntax.Tokens, i int) (int, int) {
	depth, quoted, heredoc := 0, false, false
	end := toks[i-1].Range.End.Byte
	for ; i < len(toks); i++ {
		t := toks[i]
		switch t.Type {
		case hclsyntax.TokenEOF:
			return i, end
		case hclsyntax.TokenNewline:
			if depth == 0 && !quoted && !heredoc {
				return i, end
			}
		case hclsyntax.TokenQuotedNewline:
			quoted = false
			if depth == 0 && !heredoc {
				return i, t.Range.End.Byte
			}
		case hclsyntax.TokenOQuote:
			quoted = true
		case hclsyntax.TokenCQuote:
			quoted = false
		case hclsyntax.TokenOHeredoc:
			heredoc = true
		case hclsyntax.TokenCHeredoc:
			heredoc = false
		case hclsyntax.TokenOBrace, hclsyntax.TokenOBrack, hclsyntax.TokenOParen,
			hclsyntax.TokenTemplateInterp, hclsyntax.TokenTemplateControl:
			depth++
		case hclsyntax.TokenCBrace, hclsyntax.TokenCBrack, hclsyntax.TokenCParen, hclsyntax.TokenTemplateSeqEnd:
			if depth == 0 {
				return i, end // closes the enclosing block
			}
			depth--
		}
		end = t.Range.End.Byte
	}
	return i, end
}

// plainKeyTokens reports whether toks are exactly env("…") or file("…").
func plainKeyTokens(toks hclsyntax.Tokens) bool {
	want := []hclsyntax.TokenType{hclsyntax.TokenIdent, hclsyntax.TokenOParen, hclsyntax.TokenOQuote,
		hclsyntax.TokenQuotedLit, hclsyntax.TokenCQuote, hclsyntax.TokenCParen}
	if len(toks) == len(want)-1 { // an empty name: no literal token
		want = append(want[:3:3], want[4:]...)
	}
	if len(toks) != len(want) {
		return false
	}
	for i, t := range toks {
		if t.Type != want[i] {
			return false
		}
	}
	name := string(toks[0].Bytes)
	return name == "env" || name == "file"
}
