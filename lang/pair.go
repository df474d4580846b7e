package lang

import (
	"github.com/hashicorp/hcl/v2"
)

// Pair is two routers of one site that serve one LAN: VRRP (keepalived)
// holds the LAN's gateway address on the primary while it is healthy and
// moves it to the backup when it is not, and the backup's BGP
// announcements are made less preferred, so it carries traffic only when
// the primary cannot.
type Pair struct {
	Name      string
	NameRange hcl.Range
	DeclRange hcl.Range

	Primary   Str
	Backup    Str
	Interface Str    // the LAN interface, the same name on both routers
	Address   Prefix // the gateway address the LAN's hosts use, with its prefix length
	VRID      Num    // VRRP virtual router ID, 1 to 255
}

var pairSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "primary", Required: true},
		{Name: "backup", Required: true},
		{Name: "interface", Required: true},
		{Name: "address", Required: true},
		{Name: "vrid", Required: true},
	},
}

func (d *decoder) decodePair(b *hcl.Block) (*Pair, hcl.Diagnostics) {
	p := &Pair{Name: b.Labels[0], NameRange: b.LabelRanges[0], DeclRange: b.DefRange}
	content, diags := b.Body.Content(pairSchema)
	var ds hcl.Diagnostics
	if a, ok := content.Attributes["primary"]; ok {
		p.Primary, ds = d.str(a)
		diags = append(diags, ds...)
	}
	if a, ok := content.Attributes["backup"]; ok {
		p.Backup, ds = d.str(a)
		diags = append(diags, ds...)
	}
	if a, ok := content.Attributes["interface"]; ok {
		p.Interface, ds = d.str(a)
		diags = append(diags, ds...)
	}
	if a, ok := content.Attributes["address"]; ok {
		p.Address, ds = d.prefix(a)
		diags = append(diags, ds...)
	}
	if a, ok := content.Attributes["vrid"]; ok {
		p.VRID, ds = d.num(a, 255, "from 1 to 255")
		diags = append(diags, ds...)
	}
	return p, diags
}

// PairOf returns the pair a router belongs to, or nil.
func (s *Site) PairOf(router string) *Pair {
	for _, p := range s.Pairs {
		if p.Primary.Value == router || p.Backup.Value == router {
			return p
		}
	}
	return nil
}
