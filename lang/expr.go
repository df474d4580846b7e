package lang

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// maxNumberExp bounds the binary exponent of a number literal: about 77
// decimal digits either side of the point, far beyond any value a site needs
// (marks and AS numbers stop at 2^32).
const maxNumberExp = 256

// checkConstant refuses the HCL expressions a site has no use for before they
// are evaluated, because evaluating them can take unbounded time or memory:
// a number written as a string (description = 1e50000000, or inside "${…}"
// or a conditional) is formatted digit by digit, products of literals grow
// without bound, and nested for expressions or %{for} directives multiply.
// A site holds plain values: strings (heredocs included) without
// interpolation, numbers, true/false/null, lists, objects, and the calls
// file() and env(). Variables are left to evaluation, which reports them.
func checkConstant(expr hcl.Expression) hcl.Diagnostics {
	n := asNode(expr)
	return checkNode(n, n)
}

// checkNode checks n and, if it is allowed, its children. It never descends
// into a refused node: a chain such as 1+1+…+1 is as deep as it is long,
// and hclsyntax.VisitAll would recurse to its end. The allowed nodes nest
// only through brackets and unary operators, which checkNesting bounds.
func checkNode(n, root hclsyntax.Node) hcl.Diagnostics {
	var children []hclsyntax.Node
	switch e := n.(type) {
	case *hclsyntax.LiteralValueExpr:
		// A number on its own is left to the attribute's decoder, which
		// says what range it wants; inside a list, an object or a
		// template it would be converted to a string before that.
		if n != root && hugeNumber(e.Val) {
			return hcl.Diagnostics{errorAt(e.SrcRange, "Number out of range",
				"This number is far larger or smaller than any value a site uses; write the value itself.")}
		}
	case *hclsyntax.TemplateExpr:
		for _, p := range e.Parts {
			if lit, ok := p.(*hclsyntax.LiteralValueExpr); !ok || lit.Val.Type() != cty.String {
				return hcl.Diagnostics{errorAt(e.SrcRange, "Unsupported expression",
					"Site files hold plain strings: interpolation (${…}) and directives (%%{…}) are not supported. Write the value itself.")}
			}
		}
	case *hclsyntax.TupleConsExpr:
		for _, x := range e.Exprs {
			children = append(children, x)
		}
	case *hclsyntax.ObjectConsExpr:
		for _, item := range e.Items {
			children = append(children, item.KeyExpr, item.ValueExpr)
		}
	case *hclsyntax.ObjectConsKeyExpr:
		children = append(children, e.Wrapped)
	case *hclsyntax.FunctionCallExpr:
		for _, x := range e.Args {
			children = append(children, x)
		}
	case *hclsyntax.UnaryOpExpr:
		children = append(children, e.Val)
	case *hclsyntax.ParenthesesExpr:
		children = append(children, e.Expression)
	case *hclsyntax.ScopeTraversalExpr:
		// A variable or a bare object key: evaluation reports variables.
	default:
		return hcl.Diagnostics{errorAt(n.Range(), "Unsupported expression",
			"Site files hold plain values: strings, numbers, true or false, lists, objects, file(\"path\") and env(\"NAME\"). Write the value itself instead of an expression.")}
	}
	for _, c := range children {
		if diags := checkNode(c, root); diags.HasErrors() {
			return diags
		}
	}
	return nil
}

// asNode returns the syntax node of an expression; every expression of a
// file parsed by hclsyntax is one.
func asNode(expr hcl.Expression) hclsyntax.Node {
	if n, ok := expr.(hclsyntax.Node); ok {
		return n
	}
	return &hclsyntax.LiteralValueExpr{Val: cty.NullVal(cty.DynamicPseudoType)}
}

// hugeNumber reports whether v is a number too large or too small to be
// converted to a string quickly.
func hugeNumber(v cty.Value) bool {
	if v.Type() != cty.Number || !v.IsKnown() || v.IsNull() {
		return false
	}
	bf := v.AsBigFloat()
	exp := bf.MantExp(nil)
	return bf.Sign() != 0 && (exp > maxNumberExp || exp < -maxNumberExp)
}

// evalConstant evaluates an expression that passed checkConstant.
func evalConstant(expr hcl.Expression) (cty.Value, hcl.Diagnostics) {
	if diags := checkConstant(expr); diags.HasErrors() {
		return cty.NilVal, diags
	}
	return expr.Value(nil)
}
