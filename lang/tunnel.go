package lang

import (
	"github.com/hashicorp/hcl/v2"
)

// Tunnel is one IPsec tunnel carried by a VTI device. Exactly two ends; each
// names a router or a peer, at least one a router.
type Tunnel struct {
	Name      string
	NameRange hcl.Range
	DeclRange hcl.Range

	Mark         Num // XFRM mark = VTI ikey/okey; derived from the interface when unset
	MTU          Num
	PSK          *Secret
	Auth         Str // "psk" or "pubkey"; see Site.AuthOf
	Description  Str
	Enabled      Bool // defaults to true
	Options      []KeyValue
	OptionsRange hcl.Range

	Ends []*End

	// Mesh names the mesh block the tunnel was expanded from; empty for a
	// tunnel block.
	Mesh string

	hasPSK  bool // a psk attribute was written, well-formed or not
	badAuth bool // an auth attribute was written and refused
}

// IsEnabled reports the enabled attribute, which defaults to true.
func (t *Tunnel) IsEnabled() bool { return !t.Enabled.Set || t.Enabled.Value }

// End is one side of a tunnel.
type End struct {
	Name      string // a router or peer name
	NameRange hcl.Range
	DeclRange hcl.Range

	Interface Str    // required on a router end
	Inside    Prefix // the inside address with its /30 or /31
	// RemoteID is the identity this router end accepts from the other
	// end, when it is not the other end's own (a router's or peer's id).
	RemoteID Str

	// Routing of a router end (routing.go): static routes into the
	// tunnel, and the policy of its BGP session. A peer end has none.
	Routes        []StaticRoute
	RoutesRange   hcl.Range
	Accept        []PrefixMatch // nil: accept what the far end sends; empty when written empty
	AcceptRange   hcl.Range
	Announce      []PrefixMatch // nil: the router's own announce prefixes
	AnnounceRange hcl.Range
	MaxPrefixes   Num
	Preference    Str // "primary" or "backup"
}

// HasBGPPolicy reports whether the end says anything about its BGP session.
func (e *End) HasBGPPolicy() bool {
	return e.AcceptRange != (hcl.Range{}) || e.AnnounceRange != (hcl.Range{}) || e.MaxPrefixes.Set || e.Preference.Set
}

var tunnelSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "mark"},
		{Name: "mtu"},
		{Name: "psk"},
		{Name: "auth"},
		{Name: "description"},
		{Name: "enabled"},
		{Name: "options"},
	},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "end", LabelNames: []string{"name"}},
	},
}

var endSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "interface"},
		{Name: "inside", Required: true},
		{Name: "remote_id"},
		{Name: "routes"},
		{Name: "accept"},
		{Name: "announce"},
		{Name: "max_prefixes"},
		{Name: "preference"},
	},
}

func (d *decoder) decodeTunnel(b *hcl.Block) (*Tunnel, hcl.Diagnostics) {
	t := &Tunnel{Name: b.Labels[0], NameRange: b.LabelRanges[0], DeclRange: b.DefRange}
	content, diags := b.Body.Content(tunnelSchema)
	var ds hcl.Diagnostics
	if a, ok := content.Attributes["mark"]; ok {
		t.Mark, ds = d.num(a, 1<<63, "from 1 to 4294967295")
		diags = append(diags, ds...)
	}
	if a, ok := content.Attributes["mtu"]; ok {
		t.MTU, ds = d.num(a, 1<<31, "from 1280 to 9000 (from 576 when the inside addresses are IPv4)")
		diags = append(diags, ds...)
	}
	if a, ok := content.Attributes["psk"]; ok {
		t.PSK, ds = d.secret(a)
		diags = append(diags, ds...)
	}
	if a, ok := content.Attributes["auth"]; ok {
		t.Auth, ds = d.auth(a)
		diags = append(diags, ds...)
		t.badAuth = ds.HasErrors()
	}
	if a, ok := content.Attributes["description"]; ok {
		t.Description, ds = d.str(a)
		diags = append(diags, ds...)
	}
	if a, ok := content.Attributes["enabled"]; ok {
		t.Enabled, ds = d.boolean(a)
		diags = append(diags, ds...)
	}
	if a, ok := content.Attributes["options"]; ok {
		t.Options, ds = d.strMap(a)
		t.OptionsRange = a.Expr.Range()
		diags = append(diags, ds...)
	}
	// A missing psk is a rule (checkAuth): a peer's auth may make it
	// unneeded.
	_, t.hasPSK = content.Attributes["psk"]
	for _, eb := range content.Blocks {
		e, ds := d.decodeEnd(eb)
		diags = append(diags, ds...)
		t.Ends = append(t.Ends, e)
	}
	return t, diags
}

func (d *decoder) decodeEnd(b *hcl.Block) (*End, hcl.Diagnostics) {
	e := &End{Name: b.Labels[0], NameRange: b.LabelRanges[0], DeclRange: b.DefRange}
	content, diags := b.Body.Content(endSchema)
	var ds hcl.Diagnostics
	if a, ok := content.Attributes["interface"]; ok {
		e.Interface, ds = d.str(a)
		diags = append(diags, ds...)
	}
	if a, ok := content.Attributes["inside"]; ok {
		e.Inside, ds = d.prefix(a)
		diags = append(diags, ds...)
	}
	if a, ok := content.Attributes["remote_id"]; ok {
		e.RemoteID, ds = d.str(a)
		diags = append(diags, ds...)
	}
	diags = append(diags, d.decodeEndRouting(e, content)...)
	return e, diags
}
