package lang

import (
	"github.com/hashicorp/hcl/v2"
)

// Router is a Linux router that vtic manages: it receives files.
type Router struct {
	Name      string
	NameRange hcl.Range
	DeclRange hcl.Range

	ASN           Num  // optional; BGP runs on a tunnel only when both ends have one
	RouterID      Addr // optional; defaults to Outside
	Outside       Addr // the outer address tunnels start from
	Gateway       Addr // optional next hop toward the peers' outer addresses
	Announce      []Prefix
	AnnounceRange hcl.Range

	// Certificate authentication (tunnels with auth = "pubkey"): the
	// router's certificate and private key, and the identity it presents
	// (its outside address when unset).
	Cert *CertFile
	Key  *KeyFile
	ID   Str

	hasCert, hasKey bool // written, well-formed or not
	IKE             Str  // the IKE daemon: "strongswan" (default) or "libreswan"
	Routing         Str  // the BGP daemon: "frr" (default) or "bird"
}

var routerSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "asn"},
		{Name: "router_id"},
		{Name: "outside", Required: true},
		{Name: "gateway"},
		{Name: "announce"},
		{Name: "cert"},
		{Name: "key"},
		{Name: "id"},
		{Name: "ike"},
		{Name: "routing"},
	},
}

func (d *decoder) decodeRouter(b *hcl.Block) (*Router, hcl.Diagnostics) {
	r := &Router{Name: b.Labels[0], NameRange: b.LabelRanges[0], DeclRange: b.DefRange}
	content, diags := b.Body.Content(routerSchema)
	var ds hcl.Diagnostics
	if a, ok := content.Attributes["asn"]; ok {
		r.ASN, ds = d.num(a, maxUint32, asnRange)
		diags = append(diags, ds...)
	}
	if a, ok := content.Attributes["router_id"]; ok {
		r.RouterID, ds = d.addr(a)
		diags = append(diags, ds...)
	}
	if a, ok := content.Attributes["outside"]; ok {
		r.Outside, ds = d.addr(a)
		diags = append(diags, ds...)
	}
	if a, ok := content.Attributes["gateway"]; ok {
		r.Gateway, ds = d.addr(a)
		diags = append(diags, ds...)
	}
	if a, ok := content.Attributes["announce"]; ok {
		r.Announce, ds = d.prefixList(a)
		r.AnnounceRange = a.Expr.Range()
		diags = append(diags, ds...)
	}
	_, r.hasCert = content.Attributes["cert"]
	_, r.hasKey = content.Attributes["key"]
	if a, ok := content.Attributes["cert"]; ok {
		r.Cert, ds = d.certFile(a)
		diags = append(diags, ds...)
	}
	if a, ok := content.Attributes["key"]; ok {
		r.Key, ds = d.keyFile(a)
		diags = append(diags, ds...)
	}
	if a, ok := content.Attributes["id"]; ok {
		r.ID, ds = d.str(a)
		diags = append(diags, ds...)
	}
	if a, ok := content.Attributes["ike"]; ok {
		r.IKE, ds = d.str(a)
		diags = append(diags, ds...)
	}
	if a, ok := content.Attributes["routing"]; ok {
		r.Routing, ds = d.str(a)
		diags = append(diags, ds...)
	}
	return r, diags
}

// Identity is the identity the router presents: its id, else its outside
// address.
func (r *Router) Identity() string {
	if r.ID.Set {
		return r.ID.Value
	}
	if r.Outside.Set() {
		return r.Outside.Addr.String()
	}
	return ""
}

const maxUint32 = 1<<32 - 1
