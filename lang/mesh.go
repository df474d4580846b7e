package lang

import (
	"github.com/hashicorp/hcl/v2"
)

// Mesh is a mesh block: a tunnel between every two of its routers, or,
// with hubs, between each hub and every other router. The
// tunnels' marks, interfaces and inside addresses come from pools and are
// pinned in the site's lock file (vtic.lock.hcl), so that adding or
// removing a router never renumbers a tunnel that exists.
type Mesh struct {
	Name      string
	NameRange hcl.Range
	DeclRange hcl.Range

	Routers      []Str // the members, in the order written
	RoutersRange hcl.Range
	// Hubs, when set, makes the mesh a hub and spoke: tunnels join each
	// hub to every other member, and no two spokes.
	Hubs []Str

	InterfacePrefix Str  // the pool of interface names: prefix1, prefix2, …; default "vti"
	MarkPool        Span // the pool of marks; unset: the marks vti1, vti2, … derive to
	InsidePool      Span // the pool of inside addresses
	InsideLength    Num  // each tunnel's inside prefix length: 30 or 31 (126 or 127); default 30 (126)
	InsideEvery     Num  // each tunnel's network starts a new block of this length; default InsideLength

	// PSK is the key expression, evaluated once per tunnel with the one
	// variable `tunnel` (the tunnel's name): file("secrets/${tunnel}.psk").
	PSK          hcl.Expression
	PSKRange     hcl.Range
	MTU          Num
	Description  Str
	Enabled      Bool
	Options      []KeyValue
	OptionsRange hcl.Range

	bad bool // decoding failed: the mesh allocates nothing
}

var meshSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "routers", Required: true},
		{Name: "hubs"},
		{Name: "interface_prefix"},
		{Name: "mark_pool"},
		{Name: "inside_pool", Required: true},
		{Name: "inside_length"},
		{Name: "inside_every"},
		{Name: "psk"},
		{Name: "mtu"},
		{Name: "description"},
		{Name: "enabled"},
		{Name: "options"},
	},
}

func (d *decoder) decodeMesh(b *hcl.Block) (*Mesh, hcl.Diagnostics) {
	m := &Mesh{Name: b.Labels[0], NameRange: b.LabelRanges[0], DeclRange: b.DefRange}
	content, diags := b.Body.Content(meshSchema)
	var ds hcl.Diagnostics
	if a, ok := content.Attributes["routers"]; ok {
		m.Routers, ds = d.strList(a)
		m.RoutersRange = a.Expr.Range()
		diags = append(diags, ds...)
	}
	if a, ok := content.Attributes["hubs"]; ok {
		m.Hubs, ds = d.strList(a)
		diags = append(diags, ds...)
	}
	if a, ok := content.Attributes["interface_prefix"]; ok {
		m.InterfacePrefix, ds = d.str(a)
		diags = append(diags, ds...)
	}
	if a, ok := content.Attributes["mark_pool"]; ok {
		m.MarkPool, ds = d.span(a, false)
		diags = append(diags, ds...)
	}
	if a, ok := content.Attributes["inside_pool"]; ok {
		m.InsidePool, ds = d.span(a, true)
		diags = append(diags, ds...)
	}
	if a, ok := content.Attributes["inside_length"]; ok {
		m.InsideLength, ds = d.num(a, 128, "from 30 to 31 (126 to 127 for IPv6)")
		diags = append(diags, ds...)
	}
	if a, ok := content.Attributes["inside_every"]; ok {
		m.InsideEvery, ds = d.num(a, 128, "no larger than inside_length")
		diags = append(diags, ds...)
	}
	if a, ok := content.Attributes["psk"]; ok {
		m.PSK, m.PSKRange = a.Expr, a.Expr.Range()
	} else {
		diags = append(diags, errorAt(b.DefRange, "Missing pre-shared key",
			"The mesh %q has no psk. Give one key file per tunnel with psk = file(\"secrets/${tunnel}.psk\").", m.Name))
	}
	if a, ok := content.Attributes["mtu"]; ok {
		m.MTU, ds = d.num(a, 1<<31, "from 1280 to 9000 (from 576 when the inside addresses are IPv4)")
		diags = append(diags, ds...)
	}
	if a, ok := content.Attributes["description"]; ok {
		m.Description, ds = d.str(a)
		diags = append(diags, ds...)
	}
	if a, ok := content.Attributes["enabled"]; ok {
		m.Enabled, ds = d.boolean(a)
		diags = append(diags, ds...)
	}
	if a, ok := content.Attributes["options"]; ok {
		m.Options, ds = d.strMap(a)
		m.OptionsRange = a.Expr.Range()
		diags = append(diags, ds...)
	}
	m.bad = diags.HasErrors()
	return m, diags
}

// strList decodes a list of strings, keeping one range per element.
func (d *decoder) strList(attr *hcl.Attribute) ([]Str, hcl.Diagnostics) {
	exprs, diags := hcl.ExprList(attr.Expr)
	if diags.HasErrors() {
		return nil, hcl.Diagnostics{errorAt(attr.Expr.Range(), "Incorrect attribute value type",
			"The argument %q must be a list of names, such as [\"gw1\", \"gw2\"].", attr.Name)}
	}
	var out []Str
	for _, e := range exprs {
		s, ds := d.str(&hcl.Attribute{Name: attr.Name, Expr: e, Range: e.Range()})
		diags = append(diags, ds...)
		if !ds.HasErrors() {
			out = append(out, s)
		}
	}
	return out, diags
}
