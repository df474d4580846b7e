package lang

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// meshSecret resolves a mesh's psk for one of its tunnels. The argument of
// file() or env() may name the tunnel with ${tunnel}, and only with it: a
// mesh has one key per tunnel, not general interpolation. Anything else is
// read as a tunnel's psk is.
func (d *decoder) meshSecret(m *Mesh, tunnel string) (*Secret, hcl.Diagnostics) {
	call, diags := hcl.ExprCall(m.PSK)
	if diags.HasErrors() || len(call.Arguments) != 1 {
		return d.secret(&hcl.Attribute{Name: "psk", Expr: m.PSK, Range: m.PSKRange})
	}
	tmpl, ok := call.Arguments[0].(*hclsyntax.TemplateExpr)
	if !ok || tmpl.IsStringLiteral() {
		return d.secretCall(call, m.PSKRange)
	}
	if call.Name != "env" && call.Name != "file" {
		return d.secretCall(call, m.PSKRange)
	}
	var ref strings.Builder
	for _, part := range tmpl.Parts {
		switch p := part.(type) {
		case *hclsyntax.LiteralValueExpr:
			if p.Val.Type() == cty.String && !p.Val.IsNull() {
				ref.WriteString(p.Val.AsString())
				continue
			}
		case *hclsyntax.ScopeTraversalExpr:
			if len(p.Traversal) == 1 && p.Traversal.RootName() == "tunnel" {
				ref.WriteString(tunnel)
				continue
			}
		}
		return nil, hcl.Diagnostics{errorAt(part.Range(), "Unsupported expression",
			"In a mesh's psk the only interpolation is ${tunnel}, the name of each tunnel, as in file(\"secrets/${tunnel}.psk\"). Write the rest of the string as it is.")}
	}
	return d.resolveSecret(call.Name, ref.String(), call.Arguments[0].Range(), m.PSKRange)
}

// tunnelKeyTemplate reports whether expr is env() or file() of a string
// that interpolates nothing but ${tunnel}: a mesh's key reference, which
// holds no key.
func tunnelKeyTemplate(expr hcl.Expression) bool {
	call, diags := hcl.ExprCall(expr)
	if diags.HasErrors() || (call.Name != "env" && call.Name != "file") || len(call.Arguments) != 1 {
		return false
	}
	tmpl, ok := call.Arguments[0].(*hclsyntax.TemplateExpr)
	if !ok {
		return false
	}
	for _, part := range tmpl.Parts {
		switch p := part.(type) {
		case *hclsyntax.LiteralValueExpr:
			if p.Val.Type() != cty.String || p.Val.IsNull() {
				return false
			}
		case *hclsyntax.ScopeTraversalExpr:
			if len(p.Traversal) != 1 || p.Traversal.RootName() != "tunnel" {
				return false
			}
		default:
			return false
		}
	}
	return true
}
